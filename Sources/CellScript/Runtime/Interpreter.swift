import Limits
import Figures
/// Runs statements and evaluates expressions of the cell language over `Value`s,
/// Crafting-Interpreters style: a tree walk with an `Environment` chain. Faults are
/// `ScriptError`s carrying the location of the construct that failed.
///
/// The walk is split by concept: `InterpreterStatements`, `InterpreterExpressions`,
/// `InterpreterOperators`, `InterpreterCalls`, `InterpreterMembers`,
/// `InterpreterSubscripts`, `InterpreterAssignment`, `InterpreterPatterns`, `Iteration`.
final class Interpreter: ScriptContext {
    /// How a statement finished: normally, or by jumping.
    enum Completion {
        case normal
        case breakLoop
        case continueLoop
        case returned(Value)
    }

    /// Nested calls allowed before "too much recursion" (a fault, never a stack overflow).
    static let maximumCallDepth = 1_000
    /// Largest array or string a single operation may build, so a typo cannot exhaust memory.
    static let maximumCollectionSize = 10_000_000

    let globals: Environment

    /// Notes that the running cell called into a library or used an object (data flow).
    func touchLibrary() {
        globals.recorder?.touchedLibrary = true
    }
    let interruptFlag: InterruptFlag
    var stepLimit: Int?
    private(set) var steps = 0
    var callDepth = 0
    /// What the cell wrote, with figures in place; kept once (`output` is its text).
    private(set) var pieces: [OutputPiece] = []
    /// Everything the cell printed.
    var output: String { pieces.text }
    /// Bytes the cell has printed so far; past `Value.maximumDisplayBytes` the rest is dropped.
    private var outputBytes = 0
    /// Figures the cell has drawn so far, kept or not.
    private var figureCount = 0
    /// Figures one cell's output keeps.
    static let maximumFigures = 100
    var outputHandler: ((String) -> Void)?
    var figureHandler: ((Figure) -> Void)?
    var progressHandler: ((ProgressReport) -> Void)?

    init(globals: Environment, interruptFlag: InterruptFlag) {
        self.globals = globals
        self.interruptFlag = interruptFlag
    }

    /// Resets the per-cell state before a cell runs.
    func beginCell() {
        steps = 0
        callDepth = 0
        pieces = []
        outputBytes = 0
        figureCount = 0
    }

    // MARK: Budget and interruption

    /// Counts one evaluation step against the budget.
    @inline(__always)
    func tick(at location: SourceLocation) throws {
        steps &+= 1
        if let stepLimit, steps > stepLimit {
            throw ScriptError(phase: .interrupted, "the cell ran past its step limit", at: location)
        }
        if steps & 0xFFF == 0 {
            try checkInterrupt(at: location)
            try checkMemory(at: location)
        }
    }

    /// Ends the cell when the process is over its memory budget: what many small allocations
    /// add up to (one large allocation is checked before it is made, with `reserve`).
    func checkMemory(at location: SourceLocation?) throws {
        do {
            try MemoryBudget.checkInUse("the cell")
        } catch {
            throw ScriptError(error.description, at: location)
        }
    }

    /// Checks that `count` new elements of `size` bytes fit in the memory budget.
    func reserve(_ count: Int, of size: Int = MemoryLayout<Value>.stride, at location: SourceLocation?) throws {
        do {
            try MemoryBudget.reserve(count: count, stride: size,
                                     for: size == 1 ? "a string of \(count) bytes" : "an array of \(count) elements")
        } catch {
            throw ScriptError(error.description, at: location)
        }
    }

    /// Checked at every loop iteration and call.
    func checkInterrupt(at location: SourceLocation?) throws {
        switch interruptFlag.current {
        case nil:
            return
        case .user:
            throw ScriptError(phase: .interrupted, "interrupted", at: location)
        case .timeLimit(let seconds):
            throw ScriptError(phase: .interrupted, "the cell ran past its time limit of \(seconds) s", at: location)
        }
    }

    // MARK: ScriptContext

    func call(_ function: Value, _ arguments: [Value]) throws -> Value {
        try callValue(function, arguments.map { TupleElement($0) }, at: nil)
    }

    /// Adds printed text to the cell's output, up to `Value.maximumDisplayBytes` in all; then a
    /// note says the rest was dropped, and nothing more is kept (the cell goes on running).
    func write(_ text: String) {
        let limit = Value.maximumDisplayBytes
        guard outputBytes <= limit else { return }
        let size = text.utf8.count
        outputBytes += size
        guard outputBytes > limit else {
            pieces.appendText(text)
            outputHandler?(text)
            return
        }
        let room = max(limit - (outputBytes - size), 0)
        let kept = String(decoding: text.utf8.prefix(room), as: UTF8.self)
            + "\n… the cell printed more than \(MemoryBudget.text(limit)); the rest of its output is not kept\n"
        pieces.appendText(kept)
        outputHandler?(kept)
    }

    /// Adds a figure to the cell's output, up to `maximumFigures`; then a note says the rest
    /// were dropped (a `plot` inside a long loop would otherwise make a report of gigabytes).
    func display(_ figure: Figure) {
        figureCount += 1
        guard figureCount <= Self.maximumFigures else {
            if figureCount == Self.maximumFigures + 1 {
                write("… the cell drew more than \(Self.maximumFigures) figures; the rest are not kept\n")
            }
            return
        }
        pieces.append(.figure(figure))
        figureHandler?(figure)
    }

    func report(_ progress: ProgressReport) {
        progressHandler?(progress)
    }

    func checkpoint(steps count: Int) throws {
        steps &+= Swift.max(count, 0)
        if let stepLimit, steps > stepLimit {
            throw ScriptError(phase: .interrupted, "the cell ran past its step limit", at: nil)
        }
        try checkInterrupt(at: nil)
        try checkMemory(at: nil)
    }

    // MARK: Running a cell

    /// Runs a cell's statements in the global scope. Returns the value of the last
    /// statement when it is an expression (not an assignment) with a non-Void value.
    func run(_ program: CellProgram) throws -> Value? {
        let statements = program.statements
        for (index, statement) in statements.enumerated() {
            let isLast = index == statements.count - 1
            if isLast, case .expression(let expression) = statement.kind {
                if case .assignment = expression.kind {
                    _ = try evaluate(expression, in: globals)
                    return nil
                }
                let value = try evaluate(expression, in: globals)
                return value.isVoid ? nil : value
            }
            switch try execute(statement, in: globals) {
            case .normal:
                continue
            case .returned:
                return nil  // `return` (from a guard's else, say) ends the cell quietly.
            case .breakLoop:
                throw ScriptError("'break' is only allowed inside a loop or switch", at: statement.location)
            case .continueLoop:
                throw ScriptError("'continue' is only allowed inside a loop", at: statement.location)
            }
        }
        return nil
    }
}
