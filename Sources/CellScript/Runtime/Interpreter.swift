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
    let interruptFlag: InterruptFlag
    var stepLimit: Int?
    private(set) var steps = 0
    var callDepth = 0
    /// What the cell wrote, with figures in place; kept once (`output` is its text).
    private(set) var pieces: [OutputPiece] = []
    /// Everything the cell printed.
    var output: String { pieces.text }
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

    func write(_ text: String) {
        pieces.appendText(text)
        outputHandler?(text)
    }

    func display(_ figure: Figure) {
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
