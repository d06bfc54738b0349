import Figures
import Foundation
import Notebook
import Render

/// Everything pages see of a room, and how each piece of news changes it: a value, changed
/// only by the room with its lock held. Each change returns the events that tell pages.
struct RoomState {
    /// Cells (0-based) whose code and outputs no page sees (exercises' solutions in a student
    /// session) until the presenter reveals them.
    private(set) var hiddenCells: Set<Int>
    /// Revealed solutions: cell -> its highlighted source.
    private var revealed: [Int: String] = [:]
    /// The execution count each finished cell ran with, for drawing it again.
    private var numbers: [Int: Int] = [:]
    private var views: [CellView]
    private var known: [NotebookStepper.CellState]
    /// The inline values shown, by key.
    private var inline: [String: InlineView] = [:]
    /// The stale marks last shown, by cell.
    private var knownStale: [Int: Set<String>] = [:]
    private(set) var position = 0
    private(set) var running: Int?
    /// A stepping command is being carried out.
    private(set) var busy = false
    private var slide = 0
    private var notice: String?
    private(set) var live = LiveCell(cell: -1)
    private var cacheWarningsShown = 0
    /// Cells whose code was edited, as pages show them.
    private var sources: [Int: SourceView] = [:]
    /// Counts commands finished: a fork host saved at one version stays good until the next. (An
    /// edit changes no value of the session; forks get the live edits when they open.)
    private(set) var version = 0

    /// Seconds between progress events, and between redraws of the live chart.
    static let progressInterval: TimeInterval = 0.2
    static let chartInterval: TimeInterval = 1

    /// A `--student` class: hidden checks never reach a page.
    private let forStudents: Bool

    init(states: [NotebookStepper.CellState], notice: String?, hiddenCells: Set<Int>) {
        self.hiddenCells = hiddenCells
        forStudents = !hiddenCells.isEmpty
        self.notice = notice
        // A stepper that starts further on (a fork) has cells that ran elsewhere: skipped here.
        views = states.indices.map { CellView(index: $0, state: states[$0], number: 0, hidingOutputs: hiddenCells.contains($0),
                                        forStudents: !hiddenCells.isEmpty) }
        known = states
    }

    var cellCount: Int { views.count }

    /// Whether cell `index`'s outputs are withheld: a hidden solution, unless edited (the code
    /// that runs is then the editor's own).
    func isHidden(_ index: Int) -> Bool {
        hiddenCells.contains(index) && sources[index] == nil
    }

    /// The whole room, for a page that joins.
    var picture: RoomPicture {
        var progress: ProgressView?
        var chart: (cell: Int, html: String)?
        if let running, live.cell == running {
            progress = live.progress
            if live.chart.hasPoints { chart = (running, live.chartHTML) }
        }
        let cells = views.map { view -> CellView in
            // A running cell's outputs so far; drawn here, not at every print.
            guard view.index == running, live.cell == view.index else { return view }
            var drawn = view
            drawn.html = live.html
            return drawn
        }
        var picture = RoomPicture(position: position, running: running, slide: slide, notice: notice, cells: cells,
                                  revealed: revealed.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
                                  progress: progress, chart: chart)
        picture.inline = inline.values.sorted { $0.key < $1.key }
        picture.sources = sources.values.sorted { $0.cell < $1.cell }
        return picture
    }

    // MARK: Commands

    /// Takes the room for a stepping command (`refusal` is the stepper's verdict on it).
    mutating func claim(refusal: StepRefusal?) throws(StepRefusal) {
        if busy { throw .busy }
        if let refusal { throw refusal }
        busy = true
    }

    mutating func showSlide(_ index: Int) -> [RoomEvent] {
        slide = index
        return [.slide(index)]
    }

    /// Shows hidden solution `index` with `html`, its source; its outputs too if it ran.
    /// - Throws: `.notHidden` when cell `index` is not a hidden solution.
    mutating func reveal(_ index: Int, html: String) throws(StepRefusal) -> [RoomEvent] {
        guard hiddenCells.contains(index) else { throw .notHidden(index) }
        hiddenCells.remove(index)
        revealed[index] = html
        var events: [RoomEvent] = [.reveal(cell: index, html: html)]
        if case .ran = known[index] {
            views[index] = CellView(index: index, state: known[index], number: numbers[index] ?? 0, hidingOutputs: false,
                                    forStudents: forStudents)
            events.append(.cell(views[index]))
        }
        return events
    }

    /// The edited cells' code, by cell.
    var editedCode: [Int: String] { sources.mapValues(\.code) }

    /// Shows cell `view.cell` with edited code (or the lesson's again).
    mutating func showSource(_ view: SourceView) -> [RoomEvent] {
        sources[view.cell] = view.edited ? view : nil
        return [.source(view)]
    }

    // MARK: The stepper's news

    /// Shows inline values; events for those that changed. A pending view withdraws a value
    /// shown before (the reader went back above it); one never shown needs no news.
    mutating func showInline(_ views: [InlineView]) -> [RoomEvent] {
        var events: [RoomEvent] = []
        for view in views where inline[view.key] != view {
            if view.pending {
                guard inline.removeValue(forKey: view.key) != nil else { continue }
            } else {
                inline[view.key] = view
            }
            events.append(.inline(view))
        }
        return events
    }

    /// Views of every cell whose state changed, the position, and new cache warnings. When
    /// the command has `finished`, the room is free again and says so (a position with
    /// nothing running) in the same step, so a page that sends its next command on that news
    /// is never told a cell is running.
    mutating func sync(states: [NotebookStepper.CellState], stale: [Int: Set<String>] = [:], executionCount: Int,
                       position at: Int, cacheWarnings: [String], finished: Bool) -> [RoomEvent] {
        var events: [RoomEvent] = []
        for index in states.indices where index < known.count
            && (states[index] != known[index] || stale[index] != knownStale[index]) {
            if states[index] != known[index], case .ran = states[index] { numbers[index] = executionCount }
            known[index] = states[index]
            knownStale[index] = stale[index]
            views[index] = CellView(index: index, state: states[index], number: numbers[index] ?? executionCount,
                                    hidingOutputs: isHidden(index), stale: stale[index] ?? [], forStudents: forStudents)
            events.append(.cell(views[index]))
        }
        position = at
        if cacheWarnings.count > cacheWarningsShown {
            let text = cacheWarnings[cacheWarningsShown...].joined(separator: "\n")
            notice = text
            cacheWarningsShown = cacheWarnings.count
            events.append(.notice(text))
        }
        guard finished else { return events }
        version += 1
        busy = false
        running = nil
        events.append(.position(position, running: nil))
        return events
    }

    mutating func cellStarted(_ index: Int) -> [RoomEvent] {
        guard views.indices.contains(index) else { return [] }
        running = index
        live = LiveCell(cell: index)
        views[index] = .running(index)
        return [.cell(views[index]), .position(position, running: index)]
    }

    /// Whether text `index` wrote goes to pages (it is the running cell, and not hidden).
    mutating func cellWrote(_ index: Int, _ text: String) -> Bool {
        guard live.cell == index, !isHidden(index) else { return false }
        live.pieces.appendText(text)
        return true
    }

    mutating func cellDisplayed(_ index: Int, _ figure: Figure) -> [RoomEvent] {
        guard live.cell == index, !isHidden(index) else { return [] }
        live.pieces.append(.figure(figure))
        return [.figure(cell: index, html: LessonPage.figure(figure, id: "live_\(index)_\(live.pieces.count)"))]
    }

    /// Progress at most every `progressInterval`, the chart every `chartInterval` (both at
    /// once when the work finishes); `now` is the room's clock.
    mutating func cellProgressed(_ index: Int, _ report: ProgressReport, now: TimeInterval) -> [RoomEvent] {
        guard live.cell == index, !isHidden(index) else { return [] }
        live.chart.add(report)
        let finished = report.completed >= report.total
        let progress = ProgressView(cell: index, fraction: report.fraction, phase: report.phase,
                                    text: ProgressText.line(report))
        live.progress = progress
        var events: [RoomEvent] = []
        if finished || now - live.lastProgress >= Self.progressInterval {
            live.lastProgress = now
            events.append(.progress(progress))
        }
        if live.chart.hasPoints, finished || now - live.lastChart >= Self.chartInterval {
            live.lastChart = now
            events.append(.chart(cell: index, html: live.chartHTML))
        }
        return events
    }
}
