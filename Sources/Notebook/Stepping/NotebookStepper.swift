import CellScript
import Foundation

/// Steps through a notebook one cell at a time in one session, as a student does with
/// `lesson step`: run the next cell, skip it, run the last one again, go back (the
/// session returns to how it was before that cell), or go to any cell.
///
/// Before each cell runs, the session is snapshotted (in memory, copy-on-write), so going
/// back never re-runs anything. Going forward runs the cells in between.
public final class NotebookStepper {
    /// Where a cell stands.
    public enum CellState: Equatable, Sendable {
        case pending
        case skipped
        case ran(CellOutcome)
    }

    public let document: NotebookDocument
    public let cells: [Cell]
    /// Index (0-based) of the next cell to run; `cells.count` at the end.
    public private(set) var position = 0
    public internal(set) var states: [CellState]
    /// The params the cells see, warnings about them, and errors binding them.
    public let params: [(name: String, value: String)]
    public let warnings: [String]
    public let setupErrors: [String]
    /// Execution count of the last cell run, for `In [n]`.
    public internal(set) var executionCount = 0
    /// Cells (before `position`) whose outputs no longer hold because a cell before them ran
    /// again and changed what they read: cell index → the names that changed.
    public private(set) var stale: [Int: Set<String>] = [:]

    let executor: NotebookExecutor
    /// `snapshots[i]`: the session just before cell `i` ran (for every `i < position`), with
    /// what the stepper showed then (cells run again in place since are undone with it).
    private var snapshots: [Int: SessionSnapshot] = [:]
    private var shownBefore: [Int: (states: [CellState], stale: [Int: Set<String>])] = [:]
    /// The cell cache, when used: cells on the notebook's own path come from it or go into it.
    private var cache: CacheWriter?
    /// `onPath[i]`: the session at position `i` is what running the notebook's cells before it,
    /// in order, gives (nothing skipped by hand, no `eval: false` cell run). Only then do the
    /// cache's keys describe it.
    var onPath: [Bool]
    /// Problems with the cache met while stepping (each also ends the cache's use).
    public private(set) var cacheWarnings: [String] = []
    /// The prose's inline expressions (`{swift} expr`), found once.
    private lazy var inlineExpressions = document.inlineExpressions
    /// Cells whose code was edited in place of the lesson's (a student's fork, the presenter's
    /// live edit): cell index -> the code that runs instead. Edited cells never go into the cache.
    public private(set) var edits: [Int: String] = [:]
    /// The first position the session can go back to: 0, or the cell a fork started at (the
    /// session before it came from elsewhere and has no snapshots).
    public private(set) var firstPosition = 0
    /// A student steps (`lesson step --student`): each solution cell is an exercise, its edit
    /// is the student's answer, run and judged as grading does (`judgeAnswer`, hidden checks
    /// left out) and then set aside for the lesson's solution, run unseen; an exercise without
    /// an answer never runs in view: `run` is refused, and moving on (`skip`, `goTo` past it)
    /// runs the lesson's solution unseen so later cells work.
    public let forStudent: Bool
    /// Exercises (cell indexes) whose lesson solution ran unseen since the session last stood before them.
    public private(set) var solvedUnseen: Set<Int> = []
    /// The exercise whose lesson solution, run unseen in place of the student's judged answer by
    /// the last command, did not run through (it raised, or Ctrl-C stopped it): later cells lack
    /// its values. Nil when it ran (the answer's own outcome is what the command reports).
    public private(set) var unseenFailure: Int?
    /// The exercise a student skips: its solution runs unseen even when it has an answer.
    var skipping: Int?
    /// Seconds a student's answer may run when its exercise sets no `timeout:`, as in grading.
    public var answerTimeLimit = GradingPlan.defaultAnswerTimeLimit
    /// The longest code an edit may hold, in UTF-8 bytes.
    public static let maxEditBytes = 64 << 10

    /// - Parameters:
    ///   - executor: runs the cells; set its hooks to show outputs as they come.
    ///   - cache: where cells are looked up before they run and stored after.
    ///   - student: step as a student (`forStudent`).
    public init(document: NotebookDocument, executor: NotebookExecutor, params overrides: [String: String] = [:],
                cache settings: CacheSettings? = nil, student: Bool = false) {
        self.document = document
        self.executor = executor
        forStudent = student
        cells = document.cells
        states = Array(repeating: .pending, count: document.cells.count)
        onPath = Array(repeating: false, count: document.cells.count + 1)
        (params, warnings, setupErrors) = executor.bindParams(overrides)
        onPath[0] = setupErrors.isEmpty
        if let settings, setupErrors.isEmpty {
            cache = CacheWriter(settings: settings, cells: cells, params: params)
        }
    }

    /// The cell `position` points at, with its edited code if it was edited; nil past the last one.
    public var current: Cell? {
        position < cells.count ? cell(position) : nil
    }

    /// Cell `index` as it runs: the lesson's, or with the edited code in place of its own.
    public func cell(_ index: Int) -> Cell {
        guard let code = edits[index] else { return cells[index] }
        var edited = cells[index]
        edited.source = code
        edited.firstLine = 1
        edited.columnShifts = []
        return edited
    }

    /// Runs `code` in place of cell `index`'s code from now on (nil: the lesson's own again).
    /// The session is not touched: the edit counts when the cell next runs. Edited code is
    /// text from whoever typed it: it runs under the same limits as every cell.
    public func edit(_ index: Int, code: String?) {
        guard cells.indices.contains(index) else { return }
        // A student's answer is an answer even when it is the lesson's solution word for word.
        edits[index] = code == cells[index].source && !isExercise(index) ? nil : code
    }

    lazy var exerciseNumbers: [Int: Int] = Dictionary(uniqueKeysWithValues: document.exercises.map {
        ($0.cell.index - 1, $0.number)
    })

    /// The session as it stands, saved (the cache's state format), for a fork to start from
    /// with `start(at:state:)`. Only between commands, on the thread that runs them.
    public func exportSession() throws(SessionStateError) -> Data {
        try executor.sessionForCache.exportState()
    }

    /// Starts stepping at `index` with the session `state` saved (`exportSession`): a fork of
    /// another session. The cells before it count as run elsewhere, and going back before it
    /// is refused (`beforeStart`). Only before any cell ran here.
    public func start(at index: Int, state: Data) throws(SessionStateError) {
        guard index >= 0, index <= cells.count, position == 0 else {
            throw .malformed("a fork starts at a cell of the lesson, before any cell ran")
        }
        try executor.sessionForCache.importState(state)
        for earlier in 0..<index { states[earlier] = .skipped }
        position = index
        firstPosition = index
        cache = nil
    }

    public var isAtEnd: Bool { position >= cells.count }

    /// Runs the current cell and moves on; nil at the end.
    @discardableResult
    public func runCurrent() -> CellOutcome? {
        runCurrent(judged: nil)
    }

    /// `runCurrent`, with a student's answer at the current exercise already judged from the session `before`.
    func runCurrent(judged earlier: (outcome: CellOutcome, before: SessionSnapshot)?) -> CellOutcome? {
        guard position < cells.count else { return nil }
        let plan = plan(position)
        // The session before the cell; judging an answer puts it back as it was.
        let before = earlier?.before ?? executor.snapshot()
        // A student's answer is judged, then set aside for the lesson's solution (below).
        let judged = plan.answered ? earlier?.outcome ?? judgeAnswer(position, from: before) : nil
        snapshots[position] = before
        shownBefore[position] = (states, stale)
        executionCount += 1
        let cell = plan.cell
        let outcome = (plan.edited ? nil : cachedOutcome(for: cell)) ?? run(plan)
        if !outcome.fromCache, onPath[position], !plan.edited, cell.options.eval,
           let stored = cache?.store(outcome, session: executor.sessionForCache) {
            if let warning = stored.warning { cacheWarnings.append(warning) }
            if stored.disable { cache = nil }
        }
        onPath[position + 1] = onPath[position] && cell.options.eval && !plan.edited
        let shown = settle(position, plan, judged: judged, ran: outcome)
        position += 1
        return shown
    }

    /// How cell `index` runs now. For a student's exercise it is the lesson's own solution,
    /// which no hook hears of (`hidden`): in place of their answer, judged first (`answered`),
    /// or with no answer to show at all (`solvedUnseen`).
    private struct RunPlan {
        var cell: Cell
        /// Edited code (never cached, located in its own text).
        var edited: Bool
        var answered: Bool
        var solvedUnseen: Bool
        var hidden: Bool { answered || solvedUnseen }
    }

    private func plan(_ index: Int) -> RunPlan {
        let solved = runsUnseen(index)
        let answered = isExercise(index) && !solved
        return RunPlan(cell: solved || answered ? cells[index] : cell(index),
                       edited: !solved && !answered && edits[index] != nil, answered: answered, solvedUnseen: solved)
    }

    /// Records cell `index`'s run by `plan` (`ran`; `judged`, the student's answer when there
    /// was one) and returns what it shows: the answer's outcome, a solution's with nothing of
    /// it, or the cell's own.
    private func settle(_ index: Int, _ plan: RunPlan, judged: CellOutcome?, ran: CellOutcome) -> CellOutcome {
        let shown = judged ?? (plan.solvedUnseen ? Self.unseen(ran) : ran)
        unseenFailure = plan.answered && !Self.ranThrough(ran) ? index : nil
        if plan.solvedUnseen { solvedUnseen.insert(index) } else { solvedUnseen.remove(index) }
        states[index] = .ran(shown)
        return shown
    }

    /// Marks the current cell skipped and moves on (the session is unchanged).
    public func skip() {
        guard position < cells.count else { return }
        snapshots[position] = executor.snapshot()
        shownBefore[position] = (states, stale)
        onPath[position + 1] = onPath[position] && !cells[position].options.eval
        states[position] = .skipped
        position += 1
    }

    /// Steps back one cell: the session returns to how it was before that cell, and it and
    /// every later cell are pending again. False at the start.
    @discardableResult
    public func back() -> Bool {
        guard position > firstPosition else { return false }
        return rewind(to: position - 1)
    }

    /// Goes to cell `index` (0-based): backwards by restoring its snapshot, forwards by
    /// running the cells in between (skipping `eval: false` ones), stopping early at a cell
    /// that fails under `error: stop`. `willRun` sees each cell before it runs on the way,
    /// `onOutcome` its outcome.
    /// - Returns: false when `index` is out of range or a cell on the way failed.
    @discardableResult
    public func go(to index: Int, onOutcome: (CellOutcome) -> Void = { _ in },
                   willRun: (Cell) -> Void = { _ in }) -> Bool {
        guard index >= 0, index <= cells.count else { return false }
        if index < position { return rewind(to: index) }
        while position < index, let cell = current {
            if !cell.options.eval {
                skip()
                continue
            }
            willRun(cell)
            guard let outcome = runCurrent() else { break }
            onOutcome(outcome)
            if outcome.failsRun { return false }
        }
        return true
    }

    // MARK: Commands (the rules `lesson step` and `lesson serve` share)

    /// Why `command` names a cell the lesson does not have: the part of the rules that never
    /// changes while the lesson is open (the room checks it before anything else).
    public func indexRefusal(for command: StepCommand) -> StepRefusal? {
        switch command {
        case .goTo(let index):
            return (0...cells.count).contains(index) ? nil : .noSuchCell(index, cellCount: cells.count)
        case .runTo(let index):
            return cellRefusal(index)
        case .runAgain(let index):
            return cellRefusal(index)
        case .run, .skip, .rerun, .back, .reset, .runStale:
            return nil
        }
    }

    /// `.noSuchCell` unless `index` is one of the lesson's cells.
    public func cellRefusal(_ index: Int) -> StepRefusal? {
        cells.indices.contains(index) ? nil : .noSuchCell(index, cellCount: cells.count)
    }

    /// Why `command` cannot be carried out now; nil when it can.
    public func refusal(for command: StepCommand) -> StepRefusal? {
        if let refusal = indexRefusal(for: command) { return refusal }
        switch command {
        case .run:
            if isAtEnd { return .atEnd }
            return isExercise(position) && edits[position] == nil ? .unanswered(position) : nil
        case .skip:
            return isAtEnd ? .atEnd : nil
        case .rerun:
            if position == 0 { return .nothingRan }
            return position <= firstPosition ? .beforeStart(firstPosition) : nil
        case .back:
            if position == 0 { return .atStart }
            return position <= firstPosition ? .beforeStart(firstPosition) : nil
        case .reset:
            return nil
        case .goTo(let index), .runTo(let index):
            return index < firstPosition ? .beforeStart(firstPosition) : nil
        case .runAgain(let index):
            return index < position ? nil : .notReached(index)
        case .runStale:
            return stale.isEmpty ? .nothingStale : nil
        }
    }

    /// Carries out `command`, or throws why it cannot be. `willRun` sees each cell before it
    /// runs, `onOutcome` each outcome.
    /// - Returns: false when a cell it ran failed the run (`goTo` and `runTo` stop at it).
    @discardableResult
    public func perform(_ command: StepCommand, willRun: (Cell) -> Void = { _ in },
                        onOutcome: (CellOutcome) -> Void = { _ in }) throws(StepRefusal) -> Bool {
        if let refusal = refusal(for: command) { throw refusal }
        unseenFailure = nil
        switch command {
        case .run:
            if isExercise(position) { return answerCurrent(willRun: willRun, onOutcome: onOutcome) }
            return runCurrent(willRun: willRun, onOutcome: onOutcome)
        case .skip:
            guard isExercise(position) else {
                skip()
                return true
            }
            // A student moving on: the lesson's solution runs unseen so later cells work.
            skipping = position
            defer { skipping = nil }
            return runCurrent(willRun: willRun, onOutcome: onOutcome)
        case .rerun:
            back()
            return runCurrent(willRun: willRun, onOutcome: onOutcome)
        case .back:
            back()
            return true
        case .reset:
            return go(to: firstPosition)
        case .goTo(let index):
            return go(to: index, onOutcome: onOutcome, willRun: willRun)
        case .runTo(let index):
            guard go(to: index, onOutcome: onOutcome, willRun: willRun) else { return false }
            return runCurrent(willRun: willRun, onOutcome: onOutcome)
        case .runAgain(let index):
            return runAgain(index, willRun: willRun, onOutcome: onOutcome)
        case .runStale:
            // Each run marks only cells after it, so taking the first stale cell each time ends.
            while let index = stale.keys.min() {
                guard runAgain(index, willRun: willRun, onOutcome: onOutcome) else { return false }
            }
            return true
        }
    }

    /// Runs cell `index` (before `position`) again in the session as it stands. The session
    /// leaves the notebook's path (nothing more goes into the cache until a rewind before it);
    /// the later cells that read what it wrote, and those that read what they wrote, are stale.
    private func runAgain(_ index: Int, willRun: (Cell) -> Void, onOutcome: (CellOutcome) -> Void) -> Bool {
        let plan = plan(index)
        willRun(self.cell(index))
        executionCount += 1
        let judged = plan.answered ? judgeAnswer(index, from: executor.snapshot()) : nil
        let ran = run(plan)
        let outcome = settle(index, plan, judged: judged, ran: ran)
        stale[index] = nil
        for later in (index + 1)...position { onPath[later] = false }
        // What the session holds now: the cell's run (for an answer, the lesson's solution after it).
        markStale(after: index, changed: ran.dataFlow?.writes ?? [])
        onOutcome(outcome)
        return !outcome.failsRun
    }

    /// Runs a cell by `plan`: edited code is located and quoted in its own text, not the
    /// notebook's; a hidden solution tells no hook.
    private func run(_ plan: RunPlan) -> CellOutcome {
        let cell = plan.cell
        if plan.hidden {
            return executor.runCell(cell, file: executor.sourceForCache.file, source: executor.sourceForCache.text,
                                    observed: false)
        }
        return plan.edited ? executor.runCell(cell, file: "cell \(cell.index) (edited)", source: cell.source)
            : executor.runCell(cell)
    }

    /// Marks the cells after `index` that read any of `changed`, or anything a stale cell
    /// before them writes (it will write other values when it runs again).
    private func markStale(after index: Int, changed: Set<String>) {
        var dirty = changed
        for later in (index + 1)..<position {
            guard case .ran(let outcome) = states[later], let flow = outcome.dataFlow else { continue }
            let hit = dirty.intersection(flow.reads)
            if !hit.isEmpty { stale[later, default: []].formUnion(hit) }
            if stale[later] != nil { dirty.formUnion(flow.writes) }
        }
    }

    /// Runs the current cell, telling `willRun` and `onOutcome`; false when it failed the run.
    private func runCurrent(willRun: (Cell) -> Void, onOutcome: (CellOutcome) -> Void) -> Bool {
        guard let cell = current else { return true }
        willRun(cell)
        guard let outcome = runCurrent() else { return true }
        onOutcome(outcome)
        return !outcome.failsRun
    }

    /// The values of the inline expressions in the prose before cell `index` (`cells.count`:
    /// after the last), evaluated now in the session as it stands; empty unless `index` is
    /// the current position (only then does the session stand where the prose is).
    public func inlineValues(before index: Int) -> [InlineKey: InlineResult] {
        guard index == position else { return [:] }
        var values: [InlineKey: InlineResult] = [:]
        for inline in inlineExpressions where inline.cellsBefore == index {
            values[inline.key] = executor.evaluate(inline)
        }
        return values
    }

    /// The inline expressions after more than `index` cells: not reached from `index`.
    public func inlineExpressions(after index: Int) -> [InlineExpression] {
        inlineExpressions.filter { $0.cellsBefore > index }
    }

    /// Interrupts the running cell from another thread (Ctrl-C).
    public func interruptRunningCell() {
        executor.interruptCell()
    }

    /// How a global shows as a cell result; nil if no such name is bound.
    public func displayValue(of name: String) -> String? {
        executor.displayValue(of: name)
    }

    /// The current cell's outcome from the cache, with the session restored to the state it
    /// left, when the session is on the notebook's path and the entry saved its state.
    private func cachedOutcome(for cell: Cell) -> CellOutcome? {
        guard let cache, onPath[position], cell.options.eval, position < cache.keys.count else { return nil }
        let key = cache.keys[position]
        guard case .hit(let entry, hasState: true) = cache.settings.cache.lookupWithoutState(key),
              let state = try? cache.settings.cache.loadState(for: key),
              (try? executor.sessionForCache.importState(bytes: state.bytes, blobs: cache.settings.cache.blobSource)) != nil
        else { return nil }
        executor.sessionForCache.adoptFingerprints(entry.fingerprints)
        let source = executor.sourceForCache
        var outcome = entry.outcome(for: cell, file: source.file, source: source.text)
        outcome.fromCache = true
        return outcome
    }

    private func rewind(to index: Int) -> Bool {
        guard index < position, let snapshot = snapshots[index] else { return false }
        executor.restore(snapshot)
        if let shown = shownBefore[index] { (states, stale) = shown }
        stale = stale.filter { $0.key < index }
        solvedUnseen = solvedUnseen.filter { $0 < index }
        for later in index..<cells.count {
            states[later] = .pending
            if later > index { snapshots[later] = nil }
        }
        position = index
        return true
    }
}
