import Figures
import Foundation
import Limits

/// What running one cell produced.
public struct CellResult {
    /// The value of the cell's last statement when it is an expression with a value
    /// (not an assignment, not a call returning nothing); shown as `Out [n]`.
    public var value: Value?
    /// Everything `print` (and progress-reporting built-ins) wrote while the cell ran.
    public var output: String
    /// The output with the figures the cell displayed (`plot`, `heatmap`) in place.
    public var pieces: [OutputPiece]
    /// The runtime fault or interruption that ended the cell early, with its location.
    public var error: CellDiagnostic?
    /// What the cell read and wrote of the session (see `CellDataFlow`).
    public var dataFlow: CellDataFlow

    public init(value: Value?, output: String, pieces: [OutputPiece]? = nil, error: CellDiagnostic?,
                dataFlow: CellDataFlow = CellDataFlow()) {
        self.value = value
        self.output = output
        self.pieces = pieces ?? (output.isEmpty ? [] : [.text(output)])
        self.error = error
        self.dataFlow = dataFlow
    }
}

/// One interpreter session, like a Jupyter kernel: cells run one after another in
/// one global scope, so names bound in a cell are visible in later ones. Bindings
/// made before a cell fails stay. The session stays usable after a fault, a step
/// limit or an interrupt.
public final class Session {
    /// Evaluation steps a cell may take before it is stopped with an `.interrupted`
    /// diagnostic ("the cell ran past its step limit"); nil for no limit.
    public var stepLimit: Int?
    /// Seconds a cell may run before it is stopped with an `.interrupted` diagnostic
    /// ("the cell ran past its time limit of 60.0 s"); nil for no limit.
    public var timeLimit: Double?
    /// Whether each cell's data flow includes what it changed without naming it, found by
    /// fingerprinting every global before and after it (stale marks, minimal re-runs need it).
    /// Grading turns it off: fingerprinting a session of hundreds of megabytes costs more than
    /// many answers take.
    public var tracksDataFlow = true
    /// Called with each piece of output as it is written, for live display; the text is
    /// also collected in `CellResult.output`. It runs on the cell's own thread (cells run
    /// on a thread with a large stack while `run` waits), so it must not block on the caller.
    public var outputHandler: ((String) -> Void)?
    /// Called with each figure a cell displays, on the cell's thread, like `outputHandler`.
    public var figureHandler: ((Figure) -> Void)?
    /// Called with progress reports of long built-ins (training epochs), on the cell's thread.
    public var progressHandler: ((ProgressReport) -> Void)?
    /// Stops the running cell from another thread (SIGINT handler, time limit).
    public let interrupter: SessionInterrupter
    /// The memory cells may use (every allocation sized by a cell's data is checked against it,
    /// and the process's memory every few thousand steps); nil for no limit.
    public var memoryBudget: MemoryBudget?

    private let builtins: Environment
    private let globals: Environment
    /// The fingerprints after the last cell (`CellDataFlow`); nil after the session's state was
    /// replaced from outside (a restore), when the next cell computes them first.
    var fingerprintsBeforeCell: [String: Fingerprint]?
    private let interpreter: Interpreter
    /// Libraries' per-session state, saved and restored with snapshots.
    private(set) var stateHolders: [any SessionStateHolder] = []
    /// The object types the libraries registered for saving.
    private(set) var archives = ObjectArchives()
    /// Global functions that read how values were computed (`BuiltinRegistry.readsHistory`).
    private(set) var historyReaders: Set<String> = []
    /// The libraries' switches for recording histories (`BuiltinRegistry.bindHistoryRecording`).
    private(set) var historyBinders: [(Bool, () -> Void) -> Void] = []
    /// Whether the values cells compute remember how they were computed (on by default). A
    /// runner that knows no cell to come takes gradients turns it off, so a cell's intermediate
    /// tensors are freed as it goes instead of kept in a graph nobody will read.
    public var recordsHistory = true
    /// The scope cells define their names in.
    var globalScope: Environment { globals }
    /// The libraries' globals, which cells' names shadow.
    var builtinScope: Environment { builtins }

    /// A session with the standard library and the given libraries (the model API).
    public init(libraries: [any BuiltinLibrary] = []) {
        let flag = InterruptFlag()
        interrupter = SessionInterrupter(flag: flag)
        builtins = Environment(parent: nil, allowsRedeclaration: true)
        globals = Environment(parent: builtins, allowsRedeclaration: true)
        interpreter = Interpreter(globals: globals, interruptFlag: flag)
        register(StandardLibrary())
        for library in libraries {
            register(library)
        }
    }

    /// Adds a library's globals. A cell may shadow them with its own names.
    public func register(_ library: any BuiltinLibrary) {
        var registry = BuiltinRegistry()
        library.register(into: &registry)
        for (name, value) in registry.globals {
            if case .builtin(var function) = value {
                function.globalName = name
                function.isLibraryFunction = !(library is StandardLibrary)
                builtins.define(name, .builtin(function))
            } else {
                builtins.define(name, value)
            }
        }
        stateHolders += registry.stateHolders
        archives.merge(registry.archives)
        historyReaders.formUnion(registry.historyReaders)
        historyBinders += registry.historyBinders
    }

    /// Runs one cell to completion, a fault, the step limit or an interrupt.
    public func run(_ program: CellProgram) -> CellResult {
        let generation = interrupter.flag.beginCell()
        defer { interrupter.flag.endCell() }
        if let timeLimit, timeLimit >= 0 {
            let flag = interrupter.flag
            DispatchQueue.global().asyncAfter(deadline: .now() + timeLimit) {
                flag.expire(generation: generation, seconds: timeLimit)
            }
        }
        interpreter.beginCell()
        if interrupter.flag.isCancelled {
            return CellResult(value: nil, output: "", error: CellDiagnostic(.interrupted, "interrupted", at: nil))
        }
        interpreter.stepLimit = stepLimit
        interpreter.outputHandler = outputHandler
        interpreter.figureHandler = figureHandler
        interpreter.progressHandler = progressHandler
        let before = tracksDataFlow ? fingerprintsBeforeCell ?? fingerprints() : [:]
        let recorder = DataFlowRecorder()
        globals.recorder = recorder
        let job = CellJob(program: program, interpreter: interpreter, budget: memoryBudget, globals: globals,
                          recorder: recorder)
        job.around = { [self] body in withHistoryRecording(body) }
        job.runOnLargeStack()
        globals.recorder = nil
        return CellResult(value: job.value, output: interpreter.output, pieces: interpreter.pieces, error: job.error,
                          dataFlow: finishDataFlow(recorder, before: before))
    }

    /// The recorded names, plus the globals and library state the cell changed without naming
    /// them; keeps the fingerprints for the next cell.
    private func finishDataFlow(_ recorder: DataFlowRecorder, before: [String: Fingerprint]) -> CellDataFlow {
        var flow = recorder.flow
        // Without tracking, only the names the cell wrote: no object is fingerprinted.
        guard tracksDataFlow else { return flow }
        var after = before
        if recorder.touchedLibrary {
            after = fingerprints()
            flow.reads.formUnion(libraryStateNames.filter { !flow.writes.contains($0) })
            for name in Set(before.keys).union(after.keys) {
                guard let now = after[name] else { continue }
                if now.differs(from: before[name]) { flow.writes.insert(name) }
            }
        } else {
            // Without a library call no object changed: only names written can fingerprint differently.
            for name in recorder.writes { after[name] = nil }
            after.merge(fingerprints(of: recorder.writes)) { _, new in new }
        }
        fingerprintsBeforeCell = after
        return flow
    }

    /// Stops the running cell at its next loop iteration, call or checkpoint.
    /// Safe to call from any thread; same as `interrupter.interrupt()`.
    public func interrupt() {
        interrupter.interrupt()
    }

    /// The current value of a global name (for tools and tests).
    public func value(of name: String) -> Value? {
        globals.lookup(name)
    }
}

/// A thread-safe handle that interrupts a session's running cell.
public final class SessionInterrupter: Sendable {
    let flag: InterruptFlag

    init(flag: InterruptFlag) {
        self.flag = flag
    }

    public func interrupt() {
        flag.set()
    }

    /// Stops the running cell and makes every later `run` end at once with an
    /// "interrupted" error, until `resume()`: a request that arrives between two cells
    /// still stops the next one. Safe to call from any thread.
    public func cancel() {
        flag.cancel()
    }

    /// Lets cells run again after `cancel()`.
    public func resume() {
        flag.resume()
    }

    public var isCancelled: Bool { flag.isCancelled }
}

/// Runs a cell on a thread with a large stack (`LargeStack`), so deep (but limited) recursion
/// in a cell is a located "too much recursion" error rather than a stack overflow; the memory
/// budget is in force on that thread while the cell runs.
private final class CellJob {
    let program: CellProgram
    let interpreter: Interpreter
    let budget: MemoryBudget?
    let globals: Environment
    var value: Value?
    var error: CellDiagnostic?

    let recorder: DataFlowRecorder

    init(program: CellProgram, interpreter: Interpreter, budget: MemoryBudget?, globals: Environment,
         recorder: DataFlowRecorder) {
        self.program = program
        self.interpreter = interpreter
        self.budget = budget
        self.globals = globals
        self.recorder = recorder
    }

    /// Runs the cell's body on its thread inside what the libraries bind for it (history recording).
    var around: (@escaping () -> Void) -> Void = { $0() }

    func runOnLargeStack() {
        LargeStack.run { around { [self] in execute() } }
    }

    private func execute() {
        // Held for the cell (a dictionary copy: the values are shared, not copied) so that a
        // cell that fills the memory can be undone.
        let bindings = globals.allSlots
        do {
            value = try MemoryBudget.$current.withValue(budget) {
                try DataFlowRecorder.$current.withValue(recorder) { try interpreter.run(program) }
            }
        } catch let scriptError as ScriptError {
            error = scriptError.diagnostic
        } catch {
            self.error = CellDiagnostic(.runtime, String(describing: error), at: nil)
        }
        if error != nil { giveMemoryBack(bindings) }
    }

    /// After a failed cell that leaves the session at its memory limit, the names the cell
    /// bound or rebound are put back as they were, so what it filled is freed and the next cell
    /// can run. (Objects it changed in place keep their changes; they hold no new memory.)
    private func giveMemoryBack(_ bindings: [String: Environment.Slot]) {
        guard let budget, MemoryBudget.residentBytes > budget.limit / 10 * 9 else { return }
        globals.replaceAllSlots(with: bindings)
        error?.notes.append("the names this cell bound were put back as they were, to give its memory back")
    }
}
