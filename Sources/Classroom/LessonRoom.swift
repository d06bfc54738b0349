import CellScript
import Figures
import Foundation
import Notebook
import Render

/// One lesson being taught: a single stepping session that the presenter drives and every
/// open page follows.
///
/// Commands run one at a time on the room's own thread (a cell may train for half an hour),
/// never on the server's threads; a command sent while one runs is refused, except `interrupt`.
/// The stepping rules are the stepper's (`NotebookStepper.perform`, the same as `lesson step`);
/// what pages see is `RoomState`; `RoomEventHub` numbers the events and sends them. A page
/// that subscribes first gets the whole state, so joining late, reloading or reconnecting
/// after a closed laptop all show the same. Nothing here depends on any page staying connected.
public final class LessonRoom: @unchecked Sendable {
    // @unchecked: `state` and `hub` are only touched with `lock` held; `stepper` only on
    // `worker` (and `interruptRunningCell`, which is made to be called from any thread).
    private let stepper: NotebookStepper
    private let slideCount: Int
    private let worker = DispatchQueue(label: "lesson.serve.cells", qos: .userInitiated)
    private let clock: any RoomClock

    /// Recursive: ending a subscriber's stream (with the lock held) runs its termination
    /// handler at once, which takes the lock again to forget the subscriber.
    private let lock = NSRecursiveLock()
    private var state: RoomState
    private let hub = RoomEventHub()

    /// - Parameters:
    ///   - stepper: the session to drive (made with `executor`); the room sets the executor's hooks.
    ///   - slideCount: how many slides the page has, to bound `slide(_:)`.
    ///   - hiddenCells: cells (0-based) whose outputs are withheld (only their checks show).
    ///   - clock: for throttling progress and gathering text (tests drive their own).
    public init(stepper: NotebookStepper, executor: NotebookExecutor, slideCount: Int, hiddenCells: Set<Int> = [],
                clock: any RoomClock = SystemRoomClock()) {
        self.stepper = stepper
        self.slideCount = max(slideCount, 1)
        self.clock = clock
        let problems = stepper.setupErrors + stepper.warnings
        state = RoomState(states: stepper.states, notice: problems.isEmpty ? nil : problems.joined(separator: "\n"),
                          hiddenCells: hiddenCells)
        // A stepper that starts further on (a fork) shows where it stands.
        _ = state.sync(states: stepper.states, stale: stepper.stale, executionCount: stepper.executionCount,
                       position: stepper.position, cacheWarnings: [], finished: false)
        // Before the room is shared: the prose before the first cell. A fork's pages show the
        // values the class showed up to where it started (evaluating them again would cost the
        // fork its first moments for nothing).
        if stepper.firstPosition == 0 {
            _ = state.showInline(InlineView.views(stepper.inlineValues(before: stepper.position)))
        }
        executor.onCellStart = { [weak self] cell in self?.update { $0.cellStarted(cell.index - 1) } }
        executor.onCellOutput = { [weak self] cell, text in self?.cellWrote(cell.index - 1, text) }
        executor.onCellFigure = { [weak self] cell, figure in self?.update { $0.cellDisplayed(cell.index - 1, figure) } }
        executor.onCellProgress = { [weak self] cell, report in
            guard let self else { return }
            let now = clock.now
            update { $0.cellProgressed(cell.index - 1, report, now: now) }
        }
    }

    // MARK: Following

    /// A page's view of the room: its events, and the number to unsubscribe with.
    public struct Subscription: Sendable {
        public let id: Int
        public let events: AsyncStream<RoomFeedItem>
    }

    /// The events of the room from now on, starting with a `state` event that describes
    /// everything so far. The stream ends when the room closes or when its reader falls
    /// too far behind (the page then reconnects and starts again from a fresh state).
    /// Call `unsubscribe` when the page goes away, or its events pile up until then.
    public func subscribe() -> Subscription {
        lock.withLock {
            let (id, events) = hub.subscribe(first: .state(state.picture)) { [weak self] id in self?.unsubscribe(id) }
            announceClass()
            return Subscription(id: id, events: events)
        }
    }

    /// Forgets a page (its connection closed).
    public func unsubscribe(_ id: Int) {
        lock.withLock {
            hub.unsubscribe(id)
            announceClass()
        }
    }

    // MARK: The class's forks

    /// What the forks add to the class's count: pages in forks, forks, cells running and waiting.
    private var forkCount = ClassCount(connected: 0, forked: 0, running: 0, waiting: 0)
    private var lastAnnounced: ClassCount?
    /// Whether the class is counted for the presenter (a server that offers forks); without
    /// it pages coming and going publish nothing.
    private var countsClass = false

    /// Tells every page (the presenter's shows it) how the forks stand now.
    public func updateForks(_ count: ClassCount) {
        lock.withLock {
            forkCount = count
            countsClass = true
            announceClass()
        }
    }

    /// The class now: pages following plus pages in forks, and the forks' cells.
    public var classCount: ClassCount {
        lock.withLock { currentClassCount }
    }

    private var currentClassCount: ClassCount {
        ClassCount(connected: hub.count + forkCount.connected, forked: forkCount.forked, running: forkCount.running,
                   waiting: forkCount.waiting)
    }

    /// With `lock` held: publishes the class's count when it changed.
    private func announceClass() {
        let count = currentClassCount
        guard countsClass, count != lastAnnounced, !hub.closed else { return }
        lastAnnounced = count
        publish([.classCount(count)])
    }

    /// The session as it stands, saved, with the cell it stands before and the room's version
    /// (commands finished so far), for a fork host. Waits for nothing: while a command runs
    /// it is refused, since the session is changing.
    public func saveForFork() throws(StepRefusal) -> (position: Int, version: Int, state: Data) {
        let (closed, busy, version) = lock.withLock { (hub.closed, state.busy, state.version) }
        if closed { throw .closed }
        if busy { throw .busy }
        // On the room's thread; a command sent meanwhile waits behind it (it is not refused).
        let saved = worker.sync { () -> Result<(Int, Data), SaveFailure> in
            do throws(SessionStateError) {
                return .success((stepper.position, try stepper.exportSession()))
            } catch {
                return .failure(SaveFailure(description: error.description))
            }
        }
        switch saved {
        case .success(let (position, data)): return (position, version, data)
        case .failure(let failure): throw .unsaveable(failure.description)
        }
    }

    private struct SaveFailure: Error {
        let description: String
    }

    /// Commands finished and edits made so far.
    public var version: Int {
        lock.withLock { state.version }
    }

    /// The whole state as one JSON object (the first event of every subscription).
    public func stateJSON() -> String {
        lock.withLock { RoomEvent.state(state.picture).json(sequence: hub.sequence) }
    }

    /// How many pages follow the room now.
    public var followerCount: Int {
        lock.withLock { hub.count }
    }

    /// Sends a keep-alive to every page, so connections that died are noticed and dropped.
    public func heartbeat() {
        lock.withLock { hub.heartbeat() }
    }

    /// Ends every subscription and stops the running cell (the server is shutting down).
    public func close() {
        let wasRunning = lock.withLock { () -> Bool in
            hub.close()
            return state.running != nil
        }
        if wasRunning { stepper.interruptRunningCell() }
    }

    // MARK: Commands

    /// Starts `command`, returning at once; its effects arrive as events.
    ///
    /// A command's number comes from the network: it is checked against the lesson before
    /// anything uses it, and a refusal quotes it as sent (no arithmetic on it can overflow).
    /// - Throws: why the command cannot be carried out (`StepRefusal.kind` says how bad):
    ///   a slide or cell the lesson does not have, a cell that is not a hidden solution;
    ///   another command still running, nothing running to stop, the lesson at that end;
    ///   the room closed.
    public func perform(_ command: RoomCommand) throws(StepRefusal) {
        if let refusal = outOfRange(command) { throw refusal }
        let refusal = lock.withLock { () -> StepRefusal? in
            if hub.closed { return .closed }
            switch command {
            case .interrupt:
                return state.busy ? nil : .nothingRunning
            case .slide(let index):
                publish(state.showSlide(index))
                return nil
            case .reveal(let index):
                do throws(StepRefusal) {
                    publish(try state.reveal(index, html: LessonPage.solutionSource(stepper.cells[index])))
                    return nil
                } catch {
                    return error
                }
            case .edit(let index, let typed):
                if let typed, typed.utf8.count > Self.maxEditBytes { return .tooLong(typed.utf8.count, limit: Self.maxEditBytes) }
                // The lesson's own code is no edit, for the pages as for the stepper (`NotebookStepper.edit`).
                let code = typed == stepper.cells[index].source ? nil : typed
                // A hidden solution's own code never goes to a page.
                let shown = code ?? (state.hiddenCells.contains(index) ? "" : stepper.cells[index].source)
                publish(state.showSource(SourceView(cell: index, code: shown,
                                                    html: LessonPage.editedSource(shown, edited: code != nil),
                                                    edited: code != nil)))
                return nil
            case .step(let move):
                // The stepper is only read here while no command runs (`busy` is false), so
                // its position is not changing under us.
                do throws(StepRefusal) {
                    try state.claim(refusal: state.busy ? nil : stepper.refusal(for: move))
                    return nil
                } catch {
                    return error
                }
            }
        }
        if let refusal { throw refusal }
        switch command {
        case .interrupt:
            stepper.interruptRunningCell()
        case .step(let move):
            worker.async { [self] in
                _ = try? stepper.perform(move, onOutcome: { [self] _ in sync(finished: false) })
                let values = InlineView.views(stepper.inlineValues(before: stepper.position))
                    + InlineView.pending(stepper.inlineExpressions(after: stepper.position))
                update { $0.showInline(values) }
                // Before the news that the room is free, so whoever hears it can count on it.
                onCommandFinished?()
                sync(finished: true)
            }
        case .edit(let index, let code):
            // On the room's thread, in order with the commands that run cells.
            worker.async { [self] in stepper.edit(index, code: code) }
        case .slide, .reveal:
            break
        }
    }

    /// Called on the room's thread when a stepping command has finished, just before pages
    /// hear that the room is free (a fork's worker tells the server its core is free). Set it
    /// before the first command.
    public var onCommandFinished: (@Sendable () -> Void)?

    /// The most bytes of code an edit may hold.
    public static let maxEditBytes = NotebookStepper.maxEditBytes

    /// The code each edited cell has now (for writing it back or downloading); the stepper
    /// takes an edit before the next command that runs a cell.
    public var edits: [Int: String] {
        lock.withLock { state.editedCode }
    }

    /// Why `command` would be refused now, without carrying it out (a fork's command is
    /// checked before it waits for a core).
    public func refusal(for command: RoomCommand) -> StepRefusal? {
        if let refusal = outOfRange(command) { return refusal }
        return lock.withLock { () -> StepRefusal? in
            if hub.closed { return .closed }
            switch command {
            case .interrupt: return state.busy ? nil : .nothingRunning
            case .step(let move): return state.busy ? .busy : stepper.refusal(for: move)
            case .slide, .reveal, .edit: return nil
            }
        }
    }

    /// A refusal when `command` names a slide or cell the lesson does not have (both counts
    /// are fixed when the room opens, so no lock is needed).
    private func outOfRange(_ command: RoomCommand) -> StepRefusal? {
        switch command {
        case .slide(let index) where !(0..<slideCount).contains(index):
            return .noSuchSlide(index, slideCount: slideCount)
        case .step(let move):
            return stepper.indexRefusal(for: move)
        case .reveal(let index), .edit(let index, _):
            return stepper.cellRefusal(index)
        case .slide, .interrupt:
            return nil
        }
    }

    /// Waits until no command is running (tests; the server never waits).
    public func waitUntilIdle() {
        worker.sync {}
    }

    // MARK: News

    /// Publishes what the stepper changed (on the worker thread, between and after cells).
    private func sync(finished: Bool) {
        let states = stepper.states
        let stale = stepper.stale
        let count = stepper.executionCount
        let position = stepper.position
        let warnings = stepper.cacheWarnings
        update {
            $0.sync(states: states, stale: stale, executionCount: count, position: position, cacheWarnings: warnings,
                    finished: finished)
        }
    }

    /// Changes the state and publishes the events the change returns, in one step.
    private func update(_ change: (inout RoomState) -> [RoomEvent]) {
        lock.withLock { publish(change(&state)) }
    }

    /// With `lock` held.
    private func publish(_ events: [RoomEvent]) {
        for event in events { hub.publish(event) }
    }

    private func cellWrote(_ index: Int, _ text: String) {
        lock.withLock {
            guard state.cellWrote(index, text), hub.gather(text, from: index) else { return }
            clock.schedule(after: RoomEventHub.textDelay) { [weak self] in
                guard let self else { return }
                lock.withLock { hub.flushText() }
            }
        }
    }
}
