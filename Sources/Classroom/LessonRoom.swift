import Figures
import Foundation
import Notebook
import Render

/// One lesson being taught: a single stepping session that the presenter drives and every
/// open page follows.
///
/// Commands run one at a time on the room's own thread (a cell may train for half an hour),
/// never on the server's threads; a command sent while one runs is refused, except `interrupt`.
/// What happens is published as numbered events; a page that subscribes first gets the whole
/// state, so joining late, reloading or reconnecting after a closed laptop all show the same.
/// Nothing here depends on any page staying connected.
public final class LessonRoom: @unchecked Sendable {
    /// What the presenter can ask for; the same moves as `lesson step`.
    public enum Command: Equatable, Sendable {
        /// Run the current cell and move on (`n`).
        case run
        /// Move on without running the current cell (`s`).
        case skip
        /// Go back one cell, restoring the session as it was before it (`b`).
        case back
        /// Back to the first cell, with the session as it was before any cell ran.
        case reset
        /// Run every cell up to and including this one (0-based); going back first when it
        /// lies behind (`g N` then `n`).
        case runTo(Int)
        /// Stop the running cell; it fails with an "interrupted" error and the session goes on.
        case interrupt
        /// Show this slide (0-based) to everyone following.
        case slide(Int)
        /// Show a hidden solution (0-based cell) to everyone: its code, and its outputs from now on.
        case reveal(Int)
    }

    /// Why a command was not carried out, with the HTTP status that says so.
    public struct Refusal: Error, Equatable, CustomStringConvertible {
        public let status: Int
        public let description: String
    }

    private let stepper: NotebookStepper
    private let slideCount: Int
    /// Guarded by `lock`: cells (0-based) whose code and outputs no page sees (exercises'
    /// solutions in a student session) until the presenter reveals them.
    private var hiddenCells: Set<Int>
    /// Revealed solutions: cell -> its highlighted source.
    private var revealed: [Int: String] = [:]
    /// The execution count each finished cell ran with, for re-rendering it.
    private var numbers: [Int: Int] = [:]
    private let worker = DispatchQueue(label: "lesson.serve.cells", qos: .userInitiated)
    private let clock: () -> TimeInterval

    /// Recursive: finishing a subscriber's stream (with the lock held) runs its termination
    /// handler at once, which takes the lock again to forget the subscriber.
    private let lock = NSRecursiveLock()
    /// Guarded by `lock`: everything pages see.
    private var views: [CellView]
    private var known: [NotebookStepper.CellState]
    private var position = 0
    private var running: Int?
    private var busy = false
    private var slide = 0
    private var notice: String?
    private var live = LiveCell(cell: -1)
    private var sequence = 0
    private var subscribers: [Int: AsyncStream<String>.Continuation] = [:]
    private var nextSubscriber = 0
    private var cacheWarningsShown = 0
    private var closed = false

    /// - Parameters:
    ///   - stepper: the session to drive (made with `executor`); the room sets the executor's hooks.
    ///   - slideCount: how many slides the page has, to bound `slide(_:)`.
    ///   - hiddenCells: cells (0-based) whose outputs are withheld (only their checks show).
    ///   - clock: seconds, for throttling progress (tests pass their own).
    public init(stepper: NotebookStepper, executor: NotebookExecutor, slideCount: Int, hiddenCells: Set<Int> = [],
                clock: @escaping () -> TimeInterval = { ProcessInfo.processInfo.systemUptime }) {
        self.hiddenCells = hiddenCells
        self.stepper = stepper
        self.slideCount = max(slideCount, 1)
        self.clock = clock
        views = stepper.cells.indices.map { CellView.pending($0) }
        known = stepper.states
        let problems = stepper.setupErrors + stepper.warnings
        notice = problems.isEmpty ? nil : problems.joined(separator: "\n")
        executor.onCellStart = { [weak self] cell in self?.cellStarted(cell) }
        executor.onCellOutput = { [weak self] cell, text in self?.cellWrote(cell, text) }
        executor.onCellFigure = { [weak self] cell, figure in self?.cellDisplayed(cell, figure) }
        executor.onCellProgress = { [weak self] cell, report in self?.cellProgressed(cell, report) }
    }

    // MARK: Following

    /// A page's view of the room: its events, and the number to unsubscribe with.
    public struct Subscription: Sendable {
        public let id: Int
        public let events: AsyncStream<String>
    }

    /// The events of the room from now on, starting with a `state` event that describes
    /// everything so far. The stream ends when the room closes or when its reader falls
    /// too far behind (the page then reconnects and starts again from a fresh state).
    /// Call `unsubscribe` when the page goes away, or its events pile up until then.
    public func subscribe() -> Subscription {
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingOldest(4096))
        let id = lock.withLock { () -> Int in
            let id = nextSubscriber
            nextSubscriber += 1
            guard !closed else {
                continuation.finish()
                return id
            }
            flushTextLocked()
            continuation.yield(RoomEvent.frame(stateLocked()))
            subscribers[id] = continuation
            continuation.onTermination = { [weak self] _ in self?.unsubscribe(id) }
            return id
        }
        return Subscription(id: id, events: stream)
    }

    /// Forgets a page (its connection closed).
    public func unsubscribe(_ id: Int) {
        lock.withLock { drop(id) }
    }

    /// The whole state as one JSON object (the first event of every subscription).
    public func stateJSON() -> String {
        lock.withLock { RoomEvent.encode(stateLocked()) }
    }

    /// How many pages follow the room now.
    public var followerCount: Int {
        lock.withLock { subscribers.count }
    }

    /// Sends a comment line to every page, so connections that died are noticed and dropped.
    public func heartbeat() {
        lock.withLock {
            for (id, continuation) in subscribers {
                if case .dropped = continuation.yield(": keep-alive\n\n") { drop(id) }
            }
        }
    }

    /// Ends every subscription and stops the running cell (the server is shutting down).
    public func close() {
        let wasRunning = lock.withLock { () -> Bool in
            closed = true
            for continuation in subscribers.values { continuation.finish() }
            subscribers.removeAll()
            return running != nil
        }
        if wasRunning { stepper.interruptRunningCell() }
    }

    // MARK: Commands

    /// Starts `command`, returning at once; its effects arrive as events.
    ///
    /// A command's number comes from the network: it is checked against the lesson before
    /// anything uses it, and a refusal quotes it as sent (no arithmetic on it can overflow).
    /// - Throws: `Refusal` (400) for a slide or cell that the lesson does not have, or a cell
    ///   that is not a hidden solution; (409) when another command is still running, nothing
    ///   runs to stop, or the lesson is at that end; (503) once the room has closed.
    public func perform(_ command: Command) throws(Refusal) {
        if let refusal = outOfRange(command) { throw refusal }
        let refusal = lock.withLock { () -> Refusal? in
            if closed { return Refusal(status: 503, description: "The lesson server is stopping.") }
            switch command {
            case .interrupt:
                return busy ? nil : Refusal(status: 409, description: "No cell is running.")
            case .slide(let index):
                slide = index
                publishLocked(["type": "slide", "slide": index])
                return nil
            case .reveal(let index):
                guard hiddenCells.contains(index) else {
                    return Refusal(status: 400, description: "Cell \(index) is not a hidden solution.")
                }
                revealLocked(index)
                return nil
            case .run, .skip, .back, .reset, .runTo:
                return claimWorkerLocked(for: command)
            }
        }
        if let refusal { throw refusal }
        switch command {
        case .interrupt:
            stepper.interruptRunningCell()
        case .run, .skip, .back, .reset, .runTo:
            worker.async { [self] in
                carryOut(command)
                sync(finished: true)
            }
        case .slide, .reveal:
            break
        }
    }

    /// A refusal when `command` names a slide or cell the lesson does not have (both counts
    /// are fixed when the room opens, so no lock is needed).
    private func outOfRange(_ command: Command) -> Refusal? {
        switch command {
        case .slide(let index) where !(0..<slideCount).contains(index):
            return Refusal(status: 400, description: "There is no slide \(index): slides are numbered 0 to \(slideCount - 1).")
        case .runTo(let index) where !stepper.cells.indices.contains(index),
             .reveal(let index) where !stepper.cells.indices.contains(index):
            let range = stepper.cells.isEmpty ? "this lesson has no cells" : "cells are numbered 0 to \(stepper.cells.count - 1)"
            return Refusal(status: 400, description: "There is no cell \(index): \(range).")
        default:
            return nil
        }
    }

    /// Takes the worker for a stepping command, or says why not (with `lock` held).
    private func claimWorkerLocked(for command: Command) -> Refusal? {
        if busy { return Refusal(status: 409, description: "A cell is running: wait for it, or stop it first.") }
        if command == .run || command == .skip, position >= views.count {
            return Refusal(status: 409, description: "The lesson is over: go back or reset.")
        }
        if command == .back, position == 0 { return Refusal(status: 409, description: "Already at the first cell.") }
        busy = true
        return nil
    }

    /// Waits until no command is running (tests; the server never waits).
    public func waitUntilIdle() {
        worker.sync {}
    }

    /// Runs on the worker thread.
    private func carryOut(_ command: Command) {
        switch command {
        case .run:
            stepper.runCurrent()
        case .skip:
            stepper.skip()
        case .back:
            stepper.back()
        case .reset:
            stepper.go(to: 0)
        case .runTo(let index):
            if index < stepper.position { stepper.go(to: index) }
            let reached = stepper.go(to: index, onOutcome: { [self] _ in sync(finished: false) })
            if reached, stepper.position == index { stepper.runCurrent() }
        case .interrupt, .slide, .reveal:
            break
        }
    }

    // MARK: The stepper's news

    /// Publishes every cell whose state the stepper changed. When the command has `finished`,
    /// the room is free again and says so (a position with nothing running), in one step, so
    /// a page that sends its next command on that news is never told a cell is running.
    private func sync(finished: Bool) {
        let states = stepper.states
        let count = stepper.executionCount
        let at = stepper.position
        let warnings = stepper.cacheWarnings
        lock.withLock {
            for index in states.indices where index < known.count && states[index] != known[index] {
                known[index] = states[index]
                if case .ran = states[index] { numbers[index] = count }
                let view = CellView(index: index, state: states[index], number: numbers[index] ?? count,
                                    hidingOutputs: hiddenCells.contains(index))
                views[index] = view
                publishLocked(view.event)
            }
            position = at
            if warnings.count > cacheWarningsShown {
                notice = warnings[cacheWarningsShown...].joined(separator: "\n")
                cacheWarningsShown = warnings.count
                publishLocked(["type": "notice", "text": notice ?? ""])
            }
            guard finished else { return }
            busy = false
            running = nil
            publishPositionLocked()
        }
    }

    private func cellStarted(_ cell: Cell) {
        let index = cell.index - 1
        lock.withLock {
            guard views.indices.contains(index) else { return }
            flushTextLocked()
            running = index
            live = LiveCell(cell: index)
            views[index] = .running(index)
            publishLocked(views[index].event)
            publishPositionLocked()
        }
    }

    private func cellWrote(_ cell: Cell, _ text: String) {
        lock.withLock {
            guard live.cell == cell.index - 1, !hiddenCells.contains(live.cell) else { return }
            live.pieces.appendText(text)
            // A cell that prints in a tight loop would send an event per line: gather what it
            // writes for a twentieth of a second (any other event sends it first).
            live.pendingText += text
            guard !live.flushScheduled else { return }
            live.flushScheduled = true
            DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) { [weak self] in
                self?.lock.withLock { self?.flushTextLocked() }
            }
        }
    }

    /// Sends the text the running cell wrote since the last text event.
    private func flushTextLocked() {
        live.flushScheduled = false
        guard !live.pendingText.isEmpty else { return }
        let text = live.pendingText
        live.pendingText = ""
        emitLocked(["type": "text", "cell": live.cell, "text": text])
    }

    private func cellDisplayed(_ cell: Cell, _ figure: Figure) {
        lock.withLock {
            guard live.cell == cell.index - 1, !hiddenCells.contains(live.cell) else { return }
            live.pieces.append(.figure(figure))
            let html = LessonPage.figure(figure, id: "live_\(live.cell)_\(live.pieces.count)")
            publishLocked(["type": "figure", "cell": live.cell, "html": html])
        }
    }

    private func cellProgressed(_ cell: Cell, _ report: ProgressReport) {
        let now = clock()
        lock.withLock {
            guard live.cell == cell.index - 1, !hiddenCells.contains(live.cell) else { return }
            live.chart.add(report)
            let finished = report.completed >= report.total
            let event: [String: Any] = ["type": "progress", "cell": live.cell, "fraction": report.fraction,
                                        "phase": report.phase, "text": ProgressText.line(report)]
            live.progress = event
            if finished || now - live.lastProgress >= 0.2 {
                live.lastProgress = now
                publishLocked(event)
            }
            if live.chart.hasPoints, finished || now - live.lastChart >= 1 {
                live.lastChart = now
                publishLocked(["type": "chart", "cell": live.cell, "html": live.chartHTML])
            }
        }
    }

    private func revealLocked(_ index: Int) {
        hiddenCells.remove(index)
        let html = LessonPage.solutionSource(stepper.cells[index])
        revealed[index] = html
        publishLocked(["type": "reveal", "cell": index, "html": html])
        if case .ran = known[index] {
            views[index] = CellView(index: index, state: known[index], number: numbers[index] ?? 0, hidingOutputs: false)
            publishLocked(views[index].event)
        }
    }

    // MARK: Events (all with `lock` held)

    private func stateLocked() -> [String: Any] {
        var liveNow: [String: Any] = [:]
        if let running, live.cell == running {
            if let progress = live.progress { liveNow["progress"] = progress }
            if live.chart.hasPoints { liveNow["chart"] = ["type": "chart", "cell": running, "html": live.chartHTML] }
        }
        return [
            "type": "state", "live": liveNow,
            "revealed": revealed.sorted { $0.key < $1.key }.map { ["cell": $0.key, "html": $0.value] }, "seq": sequence, "position": position, "running": running as Any? ?? NSNull(),
            "slide": slide, "notice": notice as Any? ?? NSNull(),
            "cells": views.map { view in
                var fields = view.fields
                // A running cell's outputs so far; drawn here, not at every print.
                if view.index == running, live.cell == view.index { fields["html"] = live.html }
                return fields
            },
        ]
    }

    private func publishPositionLocked() {
        publishLocked(["type": "position", "position": position, "running": running as Any? ?? NSNull()])
    }

    /// Sends an event to every page, after any text the running cell wrote before it.
    private func publishLocked(_ event: [String: Any]) {
        flushTextLocked()
        emitLocked(event)
    }

    private func emitLocked(_ event: [String: Any]) {
        sequence += 1
        var numbered = event
        numbered["seq"] = sequence
        let line = RoomEvent.frame(numbered)
        for (id, continuation) in subscribers {
            if case .dropped = continuation.yield(line) { drop(id) }
        }
    }

    /// A page that fell too far behind: end its stream so it reconnects to a fresh state.
    private func drop(_ id: Int) {
        subscribers.removeValue(forKey: id)?.finish()
    }
}
