import CellScript
import Figures
import Foundation
import Limits

/// Runs a notebook's cells in order in one interpreter session, like a Jupyter kernel,
/// and returns results (never markup). Progress goes out through the hooks.
///
/// Error policy per cell (`//| error:`):
/// - `stop` (default): the failing cell keeps its error, later cells are `.notRun`, the run fails.
/// - `allow`: the error is recorded and the run goes on.
/// - `expected`: the cell must raise (`.expectedFailure`); one that does not is
///   `.missingExpectedError` and fails the run, though later cells still run.
/// Syntax and unsupported-construct errors count as errors of their cell.
///
/// Checks (`//| check: EXPR`) run after a cell that raised nothing, in order, each as its own
/// expression in the session; the session's state is put back afterwards, so a check that
/// assigns or mutates cannot change what later cells see. A check passes only when its value
/// is the Bool `true`. A failed check fails the run whatever the cell's error policy (the
/// policy is about errors the code raises, a check is what its result must be), but it does
/// not stop the run: the cell itself finished, so later cells still run, as they do after a
/// missing expected error, and every exercise of a lesson gets graded.
///
/// Graded answers (`lesson grade`, see `GradingPlan`) run in place of the solution cells they
/// answer, with that cell's options and checks, their diagnostics located in the student's
/// file. After an answer the session goes back to how it was before it and the lesson's own
/// solution runs, unobserved, so what follows sees the lesson's values and never what the
/// answer defined: each exercise is graded on its own, and an answer cannot define what a
/// later exercise checks.
///
/// One executor runs one notebook once: its session keeps the globals cells define.
/// Set the hooks before `run`; only `cancel()` may be called from another thread.
public final class NotebookExecutor: @unchecked Sendable {
    // @unchecked: the hooks and the session are set and used by the thread that calls `run`
    // (and the cell thread it waits for); only `cancel()` crosses threads, through the
    // session's InterruptFlag, which is Sendable.
    /// Called before a cell that will run (not for skipped or not-run cells).
    public var onCellStart: ((Cell) -> Void)?
    /// Called with each piece of a cell's output as it is written. It runs on the cell's
    /// own thread, so it must not wait for the thread that called `run`.
    public var onCellOutput: ((Cell, String) -> Void)?
    /// Called with each figure a cell displays, on the cell's thread.
    public var onCellFigure: ((Cell, Figure) -> Void)?
    /// Called with the progress of long built-ins (training), on the cell's thread, often
    /// (every batch): keep it cheap.
    public var onCellProgress: ((Cell, ProgressReport) -> Void)?
    /// Called once for every cell, in order, with its outcome (skipped and not-run cells too,
    /// so a progress display can count cells).
    public var onCellComplete: ((Cell, CellOutcome) -> Void)?
    /// Called when a cell raised, before `onCellComplete`, whatever its error policy.
    public var onCellError: ((Cell, [CellDiagnostic]) -> Void)?
    /// Seconds a cell may run when it sets no `timeout:`; nil for no limit.
    public var defaultTimeLimit: Double?
    /// The memory the session's cells may use (see `Session.memoryBudget`); nil for no limit.
    public var memoryBudget: MemoryBudget? {
        get { session.memoryBudget }
        set { session.memoryBudget = newValue }
    }

    private let document: NotebookDocument
    private let text: String
    private let fileName: String
    private let session: Session
    private let clock: any ExecutionClock
    private let answers: [Int: GradedAnswer]

    /// - Parameters:
    ///   - document: the parsed notebook.
    ///   - text: the whole notebook file's text, so diagnostics quote the file's lines (read
    ///     with the parser's line endings, so a CRLF file's lines are quoted too).
    ///   - libraries: built-ins beyond the standard library (the model API); `[]` in tests.
    ///   - clock: where cell start times and durations are read.
    ///   - answers: graded answers by the index of the solution cell each runs in place of.
    public init(document: NotebookDocument, text: String, libraries: [any BuiltinLibrary] = [],
                clock: any ExecutionClock = SystemClock(), answers: [Int: GradedAnswer] = [:]) {
        self.document = document
        self.text = NotebookParser.normalized(text)
        self.fileName = document.file ?? "notebook"
        self.session = Session(libraries: libraries)
        self.clock = clock
        self.answers = answers
    }

    /// Runs every cell. `params` overrides the front matter's defaults by name; the values
    /// are globals (`let name = value`) before the first cell.
    ///
    /// With `cache`, the leading cells whose entries match are taken from it: the session is
    /// restored from the latest of them that saved its state, and running starts after it.
    /// Each cell run is stored in turn. Problems with the cache are warnings, never failures.
    /// A graded run never uses the cache: its answers are not the notebook's cells.
    public func run(params overrides: [String: String] = [:], cache: CacheSettings? = nil) -> NotebookRun {
        let startedAt = clock.now()
        var (params, warnings, setupErrors) = bindParams(overrides)
        var outcomes: [CellOutcome] = []
        var stopped = !setupErrors.isEmpty
        var writer = cache.flatMap { stopped || !answers.isEmpty ? nil
            : CacheWriter(settings: $0, cells: document.cells, params: params) }
        let inline = Dictionary(grouping: document.inlineExpressions, by: \.cellsBefore)
        var inlineValues: [InlineKey: InlineResult] = [:]
        /// Evaluates the inline expressions after the first `count` cells that have no value
        /// yet; false when one failed (the run stops, as after a failing cell).
        func evaluateInline(after count: Int) -> [String: String] {
            var texts: [String: String] = [:]
            for expression in inline[count] ?? [] where inlineValues[expression.key] == nil {
                let result = evaluate(expression)
                inlineValues[expression.key] = result
                if case .text(let text) = result { texts[expression.code] = text } else { stopped = true }
            }
            return texts
        }
        if !stopped { _ = evaluateInline(after: 0) }
        let lastHistoryReader = lastCellReadingHistory(inline: inline)
        writer?.lastHistoryReader = lastHistoryReader
        historyNeededThrough = releasesHistories ? lastHistoryReader : Int.max
        defer { historyNeededThrough = Int.max; session.recordsHistory = true }
        /// After cell `index` (0-based): no cell or inline value to come takes gradients, so the
        /// values' autodiff graphs (often hundreds of megabytes of intermediate tensors) go.
        func releaseHistories(after index: Int) {
            if releasesHistories, index >= lastHistoryReader { session.forgetHistories() }
            AllocatorPolicy.returnFreedMemory()
        }
        var ranMinimal = false
        if var minimal = writer, !stopped {
            switch minimal.minimalPlan(inline: inline) {
            case .success(let plan):
                if let result = runMinimal(plan, writer: &minimal, inline: inline, warnings: &warnings) {
                    outcomes = result.outcomes
                    stopped = result.stopped
                    inlineValues.merge(result.inline) { _, new in new }
                    ranMinimal = true
                    for (index, entry) in plan.old.enumerated() where index < plan.firstChanged {
                        for expression in inline[index + 1] ?? [] {
                            if let text = entry.inlineValues[expression.code] { inlineValues[expression.key] = .text(text) }
                        }
                    }
                }
                writer = minimal.disabled ? nil : minimal
            case .failure(let fallback):
                if fallback.worthSaying { warnings.append("cache: running every cell after the first changed one: \(fallback.reason)") }
            }
        }
        if let writer, !stopped, !ranMinimal {
            let resumed = writer.resume(into: session, file: fileName, source: text, inline: inline)
            warnings += resumed.warnings
            inlineValues.merge(resumed.inlineValues) { mine, _ in mine }
            for outcome in resumed.outcomes {
                outcomes.append(outcome)
                onCellComplete?(outcome.cell, outcome)
            }
            if !outcomes.isEmpty { _ = evaluateInline(after: outcomes.count) }
        }
        for cell in document.cells.dropFirst(outcomes.count) {
            let outcome: CellOutcome
            if stopped || session.interrupter.isCancelled {
                outcome = CellOutcome(cell: cell, status: .notRun)
            } else if !cell.options.eval {
                outcome = CellOutcome(cell: cell, status: .skipped)
            } else if let answer = answers[cell.index] {
                outcome = runAnswer(answer, inPlaceOf: cell, warnings: &warnings)
            } else {
                outcome = runCell(cell)
                if case .failed = outcome.status, cell.options.error == .stop { stopped = true }
            }
            let ranOn = !stopped && !session.interrupter.isCancelled
            let texts = ranOn ? evaluateInline(after: cell.index) : [:]
            if ranOn { releaseHistories(after: cell.index - 1) }
            if !session.interrupter.isCancelled, let stored = writer?.store(outcome, session: session, inlineValues: texts) {
                if let warning = stored.warning { warnings.append(warning) }
                if stored.disable { writer = nil }
            }
            outcomes.append(outcome)
            onCellComplete?(cell, outcome)
        }
        if let writer, !session.interrupter.isCancelled, outcomes.count == document.cells.count,
           outcomes.allSatisfy({ CacheWriter.isReproducible($0.status) }), let warning = writer.storeManifest() {
            warnings.append(warning)
        }
        return NotebookRun(outcomes: outcomes, params: params, warnings: warnings, setupErrors: setupErrors,
                           cancelled: session.interrupter.isCancelled, startedAt: startedAt,
                           duration: clock.now().timeIntervalSince(startedAt), inlineValues: inlineValues)
    }

    /// Runs only the cells an edit can have changed (see `CacheWriter.MinimalPlan`): the last
    /// complete run's final state is restored and, from the first changed cell on, a cell runs
    /// when its source changed or it reads or writes a name a cell that ran wrote; every other
    /// cell is taken from the cache. Running a cell on top of the final state is right only if
    /// no cell at or after it in the last run wrote a name it reads: that is checked on the last
    /// run's records before anything runs, and on what each cell really read after it ran.
    /// - Returns: the outcomes, or nil (with a warning saying why, the session as it was) when
    ///   the plan cannot be proven safe.
    private func runMinimal(_ plan: CacheWriter.MinimalPlan, writer: inout CacheWriter, inline: [Int: [InlineExpression]],
                            warnings: inout [String]) -> (outcomes: [CellOutcome], stopped: Bool, inline: [InlineKey: InlineResult])? {
        let fresh = session.snapshot()
        func abandon(_ reason: String) -> (outcomes: [CellOutcome], stopped: Bool, inline: [InlineKey: InlineResult])? {
            session.restore(fresh)
            warnings.append("cache: running every cell after the first changed one: \(reason)")
            return nil
        }
        let cells = document.cells
        var lastWriter: [String: Int] = [:]
        for (index, entry) in plan.old.enumerated() {
            for name in entry.outcome.dataFlow?.writes ?? [] { lastWriter[name] = index }
        }
        func readLater(_ reads: Set<String>, at index: Int) -> String? {
            guard let name = reads.sorted().first(where: { (lastWriter[$0] ?? -1) >= index }) else { return nil }
            let writer = (lastWriter[name] ?? index) + 1
            return "cell \(index + 1) reads \(CellDataFlow.readableName(name)), which cell \(writer) "
                + (writer == index + 1 ? "itself changes" : "changes later")
        }
        func runs(_ index: Int, dirty: Set<String>) -> Bool {
            let flow = plan.old[index].outcome.dataFlow ?? CellDataFlow()
            return plan.changed.contains(index) || !flow.reads.isDisjoint(with: dirty) || !flow.writes.isDisjoint(with: dirty)
        }
        // The last run's records first: nothing shows before the plan is known to hold.
        func takesGradients(_ index: Int) -> String? {
            guard readsHistory(cells[index]) else { return nil }
            return "cell \(index + 1) takes gradients, which need how values were computed, and a saved state keeps only their numbers"
        }
        /// An edited cell that no longer writes a name its last version wrote would leave that
        /// name as the final state has it, where a run from the top would not have it (or would
        /// have an earlier value). Objects are left out: they change in place through any call.
        func dropsAName(_ index: Int) -> String? {
            guard plan.changed.contains(index) else { return nil }
            let cell = cells[index]
            guard let program = try? CellParser.parse(cell.source, firstLine: cell.firstLine, columnShifts: cell.columnShifts)
            else { return nil }
            let written = program.writtenNames
            let dropped = (plan.old[index].outcome.dataFlow?.writes ?? []).filter { name in
                guard !written.contains(name), !name.hasPrefix("#") else { return false }
                if case .object? = session.value(of: name) { return false }
                return true
            }
            guard let name = dropped.sorted().first else { return nil }
            return "cell \(index + 1) no longer writes \(CellDataFlow.readableName(name)), which its last version wrote"
        }
        var dirty = Set<String>()
        for index in plan.firstChanged..<cells.count where runs(index, dirty: dirty) {
            let flow = plan.old[index].outcome.dataFlow ?? CellDataFlow()
            if let problem = readLater(flow.reads, at: index) ?? takesGradients(index) { return abandon(problem) }
            dirty.formUnion(flow.writes)
        }
        let restored: (key: CellCacheKey, length: Int, checksum: UInt64)
        do {
            let state = try writer.settings.cache.loadState(for: plan.finalKey)
            try session.importState(bytes: state.bytes, blobs: writer.settings.cache.blobSource)
            session.adoptFingerprints(plan.finalFingerprints)
            restored = (plan.finalKey, state.bytes.count, state.checksum)
        } catch {
            return abandon("the last run's final state could not be read (\(error))")
        }
        var outcomes: [CellOutcome] = []
        var stopped = false
        var shown: [(Cell, CellOutcome)] = []
        for index in 0..<plan.firstChanged {
            let outcome = writer.cachedOutcome(plan.old[index], for: cells[index], file: fileName, source: text)
            outcomes.append(outcome)
            shown.append((cells[index], outcome))
        }
        for (cell, outcome) in shown { onCellComplete?(cell, outcome) }
        dirty = []
        let last = cells.count - 1
        var inlineValues: [InlineKey: InlineResult] = [:]
        for index in plan.firstChanged..<cells.count {
            let cell = cells[index]
            let old = plan.old[index]
            var outcome: CellOutcome
            if stopped || session.interrupter.isCancelled {
                outcome = CellOutcome(cell: cell, status: .notRun)
            } else if runs(index, dirty: dirty) {
                if cell.options.eval {
                    // On the final state, restored by now: whether a dropped name holds an object.
                    if let problem = takesGradients(index) ?? dropsAName(index) { return abandon(problem) }
                    outcome = runCell(cell)
                    let actual = outcome.dataFlow ?? CellDataFlow()
                    if let problem = readLater(actual.reads, at: index) { return abandon(problem) }
                    dirty.formUnion(actual.writes)
                    if case .failed = outcome.status, cell.options.error == .stop { stopped = true }
                } else {
                    outcome = CellOutcome(cell: cell, status: .skipped)
                }
                dirty.formUnion(old.outcome.dataFlow?.writes ?? [])
            } else {
                outcome = writer.cachedOutcome(old, for: cell, file: fileName, source: text)
            }
            // The prose after the cell quotes values: evaluated on the session as it stands,
            // which is right when no later cell of the last run wrote what they read.
            var texts: [String: String] = [:]
            if !stopped, !session.interrupter.isCancelled {
                for expression in inline[index + 1] ?? [] {
                    let (result, reads) = evaluateReading(expression)
                    guard case .text(let shown) = result else {
                        return abandon("a value the prose quotes after cell \(index + 1) cannot be shown here")
                    }
                    if let name = reads.sorted().first(where: { (lastWriter[$0] ?? -1) > index }) {
                        return abandon("the prose after cell \(index + 1) quotes \(CellDataFlow.readableName(name)), "
                                       + "which cell \((lastWriter[name] ?? index) + 1) changes later")
                    }
                    inlineValues[expression.key] = result
                    texts[expression.code] = shown
                }
            }
            if !session.interrupter.isCancelled {
                let ran = !outcome.fromCache
                let stored = index == last
                    ? writer.storeFinal(outcome, session: session, restored: restored, inlineValues: texts,
                                        earlierDataFiles: old.dataFiles)
                    : ran ? writer.store(outcome, session: session, inlineValues: texts, savingState: false,
                                         earlierDataFiles: old.dataFiles)
                          : writer.storeReused(old, at: index, inlineValues: texts)
                if let warning = stored.warning { warnings.append(warning) }
                if stored.disable { writer.disabled = true }
            }
            outcomes.append(outcome)
            onCellComplete?(cell, outcome)
        }
        return (outcomes, stopped, inlineValues)
    }

    /// One inline expression's value in the session as it stands; the session is left as it
    /// was (an expression that changes it is refused and undone).
    func evaluate(_ inline: InlineExpression) -> InlineResult {
        evaluateReading(inline).result
    }

    /// `evaluate`, with the globals the expression read (empty when it did not run).
    private func evaluateReading(_ inline: InlineExpression) -> (result: InlineResult, reads: Set<String>) {
        var reads = Set<String>()
        let result = evaluate(inline, reads: &reads)
        return (result, reads)
    }

    private func evaluate(_ inline: InlineExpression, reads: inout Set<String>) -> InlineResult {
        let location = SourceLocation(line: inline.line, column: inline.column)
        func failed(_ diagnostics: [CellDiagnostic]) -> InlineResult {
            .failed(message: diagnostics.first?.message ?? "failed",
                    rendered: diagnostics.map { $0.rendered(file: fileName, source: text) }.joined(separator: "\n"))
        }
        let expression: CellScript.Expression
        let format: String?
        switch InlineEvaluation.parse(inline) {
        case .failure(let failure): return failed(failure.diagnostics)
        case .success(let parsed): (expression, format) = parsed
        }
        session.timeLimit = defaultTimeLimit
        session.outputHandler = nil
        session.figureHandler = nil
        session.progressHandler = nil
        let before = session.snapshot()
        let result = session.run(CellProgram(statements: [Statement(.expression(expression), at: expression.location)]))
        reads = result.dataFlow.reads
        if let error = result.error { return failed([error]) }
        let changed = result.dataFlow.writes
        guard changed.isEmpty else {
            session.restore(before)
            let names = changed.sorted().map(CellDataFlow.readableName).joined(separator: ", ")
            return failed([CellDiagnostic(.runtime, "an inline value must not change the session, but this one changed \(names)",
                                          at: location)])
        }
        guard let value = result.value else {
            return failed([CellDiagnostic(.runtime, "this inline expression has no value to show", at: location)])
        }
        do {
            return .text(try InlineEvaluation.text(of: value, format: format))
        } catch {
            return failed([CellDiagnostic(.runtime, (error as? ScriptError)?.message ?? "\(error)", at: location)])
        }
    }

    /// Stops the run from any thread: the running cell is interrupted (it fails with an
    /// "interrupted" error) and the cells after it are `.notRun`.
    public func cancel() {
        session.interrupter.cancel()
    }

    // MARK: One cell at a time (`lesson step`)

    /// Resolves the params (front-matter defaults, then `overrides`) and defines them as
    /// globals. Call once, before the first cell; `run` does.
    /// - Returns: the values used, warnings (an undeclared override) and rendered errors.
    public func bindParams(_ overrides: [String: String] = [:])
        -> (params: [(name: String, value: String)], warnings: [String], setupErrors: [String]) {
        let (params, warnings) = ParamBindings.resolve(document.params, overrides: overrides)
        return (params, warnings, bind(params))
    }

    /// Whether a whole run (`run`) drops the values' autodiff histories once no cell or inline
    /// value to come takes gradients (on by default): the graph behind one `[1200, 10000]`
    /// product keeps several tensors of that size alive. Values stay; only `gradients(of:wrt:)`
    /// through them is refused afterwards, as for values restored from the cache.
    public var releasesHistories = true

    /// During a whole run, the last cell (0-based) that may need histories: cells after it run
    /// with the session not recording any (their intermediate tensors are freed as they go).
    /// `Int.max` outside `run`, where any cell may come next.
    private var historyNeededThrough = Int.max

    /// The last cell (0-based) that reads how values were computed (takes gradients), in its
    /// code, its checks, a graded answer in its place or an inline value right after it; -1
    /// when none does. Cells that do not parse count as readers (they cannot be looked into).
    func lastCellReadingHistory(inline: [Int: [InlineExpression]], through last: Int = Int.max) -> Int {
        for cell in document.cells.reversed() where cell.index - 1 <= last {
            if readsHistory(cell) || answers[cell.index].map({ readsHistory($0.cell) }) == true { return cell.index - 1 }
            for expression in inline[cell.index] ?? [] {
                guard case .success(let parsed) = InlineEvaluation.parse(expression) else { return cell.index - 1 }
                if session.readsHistory(parsed.expression) { return cell.index - 1 }
            }
        }
        return -1
    }

    /// Whether `cell` reads how values were computed, in its code or its checks (see
    /// `lastCellReadingHistory`).
    private func readsHistory(_ cell: Cell) -> Bool {
        guard let program = try? CellParser.parse(cell.source, firstLine: cell.firstLine, columnShifts: cell.columnShifts)
        else { return true }
        if session.readsHistory(program) { return true }
        return cell.options.checks.contains { check in
            guard let program = try? CellParser.parseCheck(check.expression, line: check.line, column: check.column)
            else { return true }
            return session.readsHistory(program)
        }
    }

    /// Interrupts the running cell only (Ctrl-C in `lesson step`); later cells run normally.
    public func interruptCell() {
        session.interrupt()
    }

    /// The session itself, for the cache (which saves and restores its state).
    var sessionForCache: Session { session }

    /// The notebook's name in messages and its text, for re-rendering cached diagnostics.
    var sourceForCache: (file: String, text: String) { (fileName, text) }

    /// The session's state now, to return to with `restore`.
    public func snapshot() -> SessionSnapshot {
        session.snapshot()
    }

    public func restore(_ snapshot: SessionSnapshot) {
        session.restore(snapshot)
    }

    /// How a global shows as a cell result (`p NAME` in `lesson step`); nil if unbound.
    public func displayValue(of name: String) -> String? {
        session.value(of: name)?.displayText
    }

    /// Runs one cell in the session (whatever its `eval` option), with the start, output,
    /// figure, progress and error hooks and the cell's error policy (not `onCellComplete`,
    /// which `run` calls), and returns its outcome.
    public func runCell(_ cell: Cell) -> CellOutcome {
        runCell(cell, file: fileName, source: text)
    }

    /// `runCell` for a cell whose code is in the file `file` with text `source`, where its
    /// diagnostics are located and quoted (a graded answer's code is in the student's file,
    /// an edited cell's in its own text). Unobserved (`observed: false`), no hook hears of it:
    /// a lesson's solution run unseen for a student.
    public func runCell(_ cell: Cell, file: String, source: String, observed: Bool = true,
                         beforeChecks: (() -> Void)? = nil) -> CellOutcome {
        if observed { onCellStart?(cell) }
        session.recordsHistory = cell.index - 1 <= historyNeededThrough
        let startedAt = clock.now()
        let (result, diagnostics) = interpret(cell, observed: observed)
        let duration = clock.now().timeIntervalSince(startedAt)
        var outcome = CellOutcome(cell: cell, status: .ran, output: result.output, pieces: result.pieces,
                                  startedAt: startedAt, duration: duration)
        outcome.dataFlow = result.dataFlow
        if diagnostics.isEmpty {
            outcome.displayedValue = result.value?.displayText
            beforeChecks?()
            outcome.checks = evaluateChecks(of: cell)
            if cell.options.error == .expected {
                outcome.status = .missingExpectedError
                outcome.renderedDiagnostics = [missingErrorMessage(cell)]
            }
            return outcome
        }
        outcome.status = cell.options.error == .expected ? .expectedFailure(diagnostics) : .failed(diagnostics)
        outcome.renderedDiagnostics = diagnostics.map { $0.rendered(file: file, source: source) }
        if observed { onCellError?(cell, diagnostics) }
        return outcome
    }

    /// Parses and runs the cell's code in the session under its time limit. Observed, what it
    /// writes, draws and reports goes to the hooks; unobserved, nowhere.
    private func interpret(_ cell: Cell, observed: Bool) -> (result: CellResult, diagnostics: [CellDiagnostic]) {
        do {
            let program = try CellParser.parse(cell.source, firstLine: cell.firstLine, columnShifts: cell.columnShifts)
            session.timeLimit = cell.options.timeoutSeconds ?? defaultTimeLimit
            if observed {
                session.outputHandler = { [weak self] piece in self?.onCellOutput?(cell, piece) }
                session.figureHandler = { [weak self] figure in self?.onCellFigure?(cell, figure) }
                session.progressHandler = { [weak self] report in self?.onCellProgress?(cell, report) }
            } else {
                session.outputHandler = nil
                session.figureHandler = nil
                session.progressHandler = nil
            }
            let result = session.run(program)
            return (result, result.error.map { [$0] } ?? [])
        } catch {
            return (CellResult(value: nil, output: "", error: nil), error.diagnostics)
        }
    }

    /// Whether cells' data flow is tracked in full (`Session.tracksDataFlow`).
    public var tracksDataFlow: Bool {
        get { session.tracksDataFlow }
        set { session.tracksDataFlow = newValue }
    }

    /// Replaces the session with a saved one (the cache's state format; large arrays in `blobs`),
    /// for grading an answer where the lesson's own run stood.
    public func importSavedState(bytes: [UInt8], blobs: (any StateBlobSource)?) throws(SessionStateError) {
        try session.importState(bytes: bytes, blobs: blobs)
    }

    /// Runs `answer` in place of the solution cell `solution`, with its checks, in the session as
    /// it stands, and returns its outcome (grading from a saved state: nothing runs after it).
    public func gradeAnswer(_ answer: GradedAnswer, inPlaceOf solution: Cell) -> CellOutcome {
        runAnswer(answer.cell, inPlaceOf: solution, file: answer.file, source: answer.text)
    }

    /// Runs `answer` (the solution cell with a student's code) in the session as it stands and
    /// judges it as grading does: its checks see the answer's values only for the names the
    /// lesson's `solution` declares or changes, the lesson's for every other name, so redefining
    /// the lesson's data cannot make a check pass. The session keeps what the checks saw.
    /// - Parameter before: the session as it stands, when the caller has just taken it.
    public func runAnswer(_ answer: Cell, inPlaceOf solution: Cell, file: String, source: String,
                          before: SessionSnapshot? = nil) -> CellOutcome {
        let before = before ?? session.snapshot()
        let written = (try? CellParser.parse(solution.source, firstLine: solution.firstLine,
                                             columnShifts: solution.columnShifts))?.writtenNames ?? []
        return runCell(answer, file: file, source: source) { [session] in
            session.restoreBindings(from: before, keeping: written)
        }
    }

    /// Runs `answer` in place of the solution cell `solution` and returns the answer's outcome;
    /// its checks see the answer's values only for the names the solution declares or changes.
    /// Then the session goes back to how it was before the answer, and the lesson's solution
    /// runs unobserved, so later cells see what the lesson defines, not what the answer did.
    /// A solution that raises there is a warning: the lesson itself is broken.
    private func runAnswer(_ answer: GradedAnswer, inPlaceOf solution: Cell, warnings: inout [String]) -> CellOutcome {
        let before = session.snapshot()
        let outcome = runAnswer(answer.cell, inPlaceOf: solution, file: answer.file, source: answer.text, before: before)
        session.restore(before)
        guard !session.interrupter.isCancelled else { return outcome }
        let lesson = interpret(solution, observed: false)
        if let diagnostic = lesson.diagnostics.first, !session.interrupter.isCancelled {
            warnings.append("the lesson's own solution of cell \(solution.index), run after the answer so that later "
                            + "cells see its values, raised an error:\n"
                            + diagnostic.rendered(file: fileName, source: text))
        }
        return outcome
    }

    /// Runs the cell's checks with no output hooks, then restores the session as it was before them.
    private func evaluateChecks(of cell: Cell) -> [CheckResult] {
        guard !cell.options.checks.isEmpty else { return [] }
        let before = session.snapshot()
        defer { session.restore(before) }
        session.outputHandler = nil
        session.figureHandler = nil
        session.progressHandler = nil
        return cell.options.checks.map { check in
            var outcome = CheckResult(expression: check.expression, line: check.line, column: check.column,
                                      passed: false)
            let program: CellProgram
            do throws(CellFailure) {
                program = try CellParser.parseCheck(check.expression, line: check.line, column: check.column)
            } catch {
                let message = error.diagnostics.first?.message ?? "it does not parse"
                outcome.message = "is not a Swift expression: \(message)"
                return outcome
            }
            let result = session.run(program)
            if let error = result.error {
                outcome.message = "raised an error: \(error.message)"
                return outcome
            }
            switch result.value {
            case .bool(true)?:
                outcome.passed = true
            case .bool(false)?:
                outcome.message = "is false" + sidesOfFalseComparison(check)
            case let value?:
                outcome.message = "is \(Self.short(value.displayText)) (a \(value.typeName)), not true or false"
            case nil:
                outcome.message = "has no value, not true or false"
            }
            return outcome
        }
    }

    /// For a comparison that came out false, what its sides were (`: total is 11432`), leaving
    /// out literals, whose value is what they say; empty when there is nothing to add.
    private func sidesOfFalseComparison(_ check: CellCheck) -> String {
        guard let (left, right) = CellParser.comparisonSides(of: check.expression) else { return "" }
        let shown = [left, right].compactMap { side -> String? in
            guard let program = try? CellParser.parseCheck(side, line: check.line, column: check.column),
                  case let result = session.run(program), result.error == nil, let value = result.value else { return nil }
            let text = Self.short(value.displayText)
            return text == side ? nil : "\(side) is \(text)"
        }
        return shown.isEmpty ? "" : ": " + shown.joined(separator: ", ")
    }

    /// A value's text cut to one line of at most 60 characters (a tensor's repr can be pages).
    private static func short(_ text: String) -> String {
        let firstLine = text.prefix { $0 != "\n" }
        guard firstLine.count > 60 || firstLine.count < text.count else { return text }
        return String(firstLine.prefix(60)) + "…"
    }

    /// Defines the params as globals; returns rendered diagnostics if that failed.
    private func bind(_ params: [(name: String, value: String)]) -> [String] {
        guard !params.isEmpty else { return [] }
        let source = ParamBindings.source(for: params)
        do {
            let program = try CellParser.parse(source)
            let result = session.run(program)
            return result.error.map { [$0.rendered(file: "params", source: source)] } ?? []
        } catch {
            return error.diagnostics.map { $0.rendered(file: "params", source: source) }
        }
    }

    private func missingErrorMessage(_ cell: Cell) -> String {
        Self.missingExpectedErrorDiagnostic(cell).rendered(file: fileName, source: text)
    }

    /// What `.missingExpectedError` shows, at the cell's fence (shared with cached outcomes).
    static func missingExpectedErrorDiagnostic(_ cell: Cell) -> CellDiagnostic {
        let label = cell.options.label.map { " '\($0)'" } ?? ""
        return CellDiagnostic(
            .runtime, "cell \(cell.index)\(label) is marked `error: expected` but ran without raising an error",
            at: SourceLocation(line: cell.fenceLine, column: 1),
            notes: ["remove `//| error: expected` or make the cell raise the error it demonstrates"])
    }
}
