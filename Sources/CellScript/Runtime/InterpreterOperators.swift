/// Operators with Swift's rules: Int and Double never mix (except integer literals,
/// which adopt Double), Int overflow and division by zero are errors, `&&`/`||`/`??`
/// short-circuit. Engine objects may overload operators through `ScriptObject`.
extension Interpreter {
    func evaluateBinary(_ symbol: String, _ left: Expression, _ right: Expression, in environment: Environment,
                        at location: SourceLocation?) throws -> Value {
        switch symbol {
        case "&&", "||":
            let lhs = try evaluate(left, in: environment)
            guard case .bool(let first) = lhs else { throw logicalOperandError(symbol, lhs, at: left.location) }
            if first == (symbol == "||") { return .bool(first) }
            let rhs = try evaluate(right, in: environment)
            guard case .bool(let second) = rhs else { throw logicalOperandError(symbol, rhs, at: right.location) }
            return .bool(second)
        case "??":
            let lhs = try evaluate(left, in: environment)
            if let unwrapped = lhs.unwrapped { return unwrapped }
            return try evaluate(right, in: environment)
        default:
            var lhs = try evaluate(left, in: environment)
            var rhs = try evaluate(right, in: environment)
            lhs = adoptLiteral(lhs, expression: left, toMatch: rhs)
            rhs = adoptLiteral(rhs, expression: right, toMatch: lhs)
            return try applyBinary(symbol, lhs, rhs, at: location)
        }
    }

    private func logicalOperandError(_ symbol: String, _ value: Value, at location: SourceLocation?) -> ScriptError {
        ScriptError("'\(symbol)' needs Bool operands, not \(value.typeName)", at: location)
    }

    /// Applies a binary operator to two evaluated operands.
    func applyBinary(_ symbol: String, _ lhs: Value, _ rhs: Value, at location: SourceLocation?) throws -> Value {
        do {
            if case .object = lhs { touchLibrary() }
            if case .object = rhs { touchLibrary() }
            if case .object(let object) = lhs, let result = try object.binaryOperator(symbol, other: rhs, isLeft: true) {
                return result
            }
            if case .object(let object) = rhs, let result = try object.binaryOperator(symbol, other: lhs, isLeft: false) {
                return result
            }
        } catch {
            throw ScriptError.from(error, at: location)
        }
        switch symbol {
        case "==", "!=":
            guard let equal = lhs.isEqual(to: rhs) else { throw operandError(symbol, lhs, rhs, at: location) }
            return .bool(equal == (symbol == "=="))
        case "..<", "...":
            return try makeRange(symbol, lhs, rhs, at: location)
        default:
            break
        }
        for operand in [lhs, rhs] where operand.isOptionalValue {
            throw ScriptError("value of optional type '\(operand.typeName)' must be unwrapped "
                              + "to use '\(symbol)'; use '!' or '??'", at: location)
        }
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)): return try integerOperation(symbol, a, b, at: location)
        case (.double(let a), .double(let b)): return try doubleOperation(symbol, a, b, at: location)
        case (.string(let a), .string(let b)): return try stringOperation(symbol, a, b, at: location)
        case (.array(let a), .array(let b)) where symbol == "+":
            guard a.count + b.count <= Self.maximumCollectionSize else {
                throw ScriptError("the array would be too large (\(a.count + b.count) elements)", at: location)
            }
            try reserve(a.count + b.count, at: location)
            return .array(a + b)
        default:
            throw operandError(symbol, lhs, rhs, at: location)
        }
    }

    private func integerOperation(_ symbol: String, _ a: Int, _ b: Int, at location: SourceLocation?) throws -> Value {
        let result: (partialValue: Int, overflow: Bool)
        switch symbol {
        case "+": result = a.addingReportingOverflow(b)
        case "-": result = a.subtractingReportingOverflow(b)
        case "*": result = a.multipliedReportingOverflow(by: b)
        case "/", "%":
            guard b != 0 else {
                throw ScriptError(symbol == "/" ? "division by zero" : "division by zero in remainder operation",
                                  at: location)
            }
            result = symbol == "/" ? a.dividedReportingOverflow(by: b) : a.remainderReportingOverflow(dividingBy: b)
        case "<": return .bool(a < b)
        case "<=": return .bool(a <= b)
        case ">": return .bool(a > b)
        case ">=": return .bool(a >= b)
        case "&": return .int(a & b)
        case "|": return .int(a | b)
        case "^": return .int(a ^ b)
        case "<<": return .int(Self.shift(a, left: b))
        case ">>": return .int(b == Int.min ? Self.shift(a, left: Int.max) : Self.shift(a, left: -b))
        default: throw operandError(symbol, .int(a), .int(b), at: location)
        }
        if result.overflow {
            throw ScriptError("arithmetic overflow: \(a) \(symbol) \(b) does not fit in an Int", at: location)
        }
        return .int(result.partialValue)
    }

    /// Swift's smart shift, spelled out: a negative amount shifts the other way, and
    /// shifting by the bit width or more gives 0 (or -1 for a negative value shifted right).
    static func shift(_ value: Int, left amount: Int) -> Int {
        if amount >= Int.bitWidth { return 0 }
        if amount <= -Int.bitWidth { return value < 0 ? -1 : 0 }
        return amount >= 0 ? value &<< amount : value &>> (0 - amount)
    }

    private func doubleOperation(_ symbol: String, _ a: Double, _ b: Double,
                                 at location: SourceLocation?) throws -> Value {
        switch symbol {
        case "+": return .double(a + b)
        case "-": return .double(a - b)
        case "*": return .double(a * b)
        case "/": return .double(a / b)
        case "<": return .bool(a < b)
        case "<=": return .bool(a <= b)
        case ">": return .bool(a > b)
        case ">=": return .bool(a >= b)
        case "%":
            throw ScriptError("'%' is unavailable for Double; use a.truncatingRemainder(dividingBy: b)",
                              at: location)
        default: throw operandError(symbol, .double(a), .double(b), at: location)
        }
    }

    private func stringOperation(_ symbol: String, _ a: String, _ b: String,
                                 at location: SourceLocation?) throws -> Value {
        switch symbol {
        case "+":
            guard a.utf8.count + b.utf8.count <= Self.maximumCollectionSize else {
                throw ScriptError("the string would be too long (\(a.utf8.count + b.utf8.count) bytes)", at: location)
            }
            try reserve(a.utf8.count + b.utf8.count, of: 1, at: location)
            return .string(a + b)
        case "<": return .bool(a < b)
        case "<=": return .bool(a <= b)
        case ">": return .bool(a > b)
        case ">=": return .bool(a >= b)
        default: throw operandError(symbol, .string(a), .string(b), at: location)
        }
    }

    private func makeRange(_ symbol: String, _ lhs: Value, _ rhs: Value, at location: SourceLocation?) throws -> Value {
        guard case .int(let lower) = lhs, case .int(let upper) = rhs else {
            throw ScriptError("ranges need Int bounds, not \(lhs.typeName) and \(rhs.typeName)", at: location)
        }
        guard lower <= upper else {
            throw ScriptError("cannot form a range \(lower)\(symbol)\(upper): the lower bound is greater "
                              + "than the upper bound", at: location)
        }
        return .range(ScriptRange(lower: lower, upper: upper, isClosed: symbol == "..."))
    }

    /// "cannot add Int and String", with a hint when Int meets Double.
    func operandError(_ symbol: String, _ lhs: Value, _ rhs: Value, at location: SourceLocation?) -> ScriptError {
        let verbs = ["+": "add", "-": "subtract", "*": "multiply", "/": "divide",
                     "%": "compute the remainder of", "==": "compare", "!=": "compare",
                     "<": "compare", "<=": "compare", ">": "compare", ">=": "compare"]
        let message: String
        if let verb = verbs[symbol] {
            let joiner = symbol == "-" ? "from" : "and"
            message = symbol == "-"
                ? "cannot subtract \(rhs.typeName) from \(lhs.typeName)"
                : "cannot \(verb) \(lhs.typeName) \(joiner) \(rhs.typeName)"
        } else {
            message = "operator '\(symbol)' cannot be applied to \(lhs.typeName) and \(rhs.typeName)"
        }
        let mixesNumbers = Set([lhs.typeName, rhs.typeName]) == ["Int", "Double"]
        let notes = mixesNumbers ? ["Swift does not mix Int and Double; convert one side with Double(x) or Int(x)"] : []
        return ScriptError(message, at: location, notes: notes)
    }

    func evaluatePrefix(_ symbol: String, _ operand: Expression, in environment: Environment,
                        at location: SourceLocation?) throws -> Value {
        let value = try evaluate(operand, in: environment)
        if case .object(let object) = value {
            touchLibrary()
            if let result = try object.prefixOperator(symbol) { return result }
        }
        switch (symbol, value) {
        case ("-", .int(let number)):
            let (negated, overflow) = Int(0).subtractingReportingOverflow(number)
            if overflow { throw ScriptError("arithmetic overflow: -(\(number)) does not fit in an Int", at: location) }
            return .int(negated)
        case ("-", .double(let number)): return .double(-number)
        case ("+", .int), ("+", .double): return value
        case ("!", .bool(let flag)): return .bool(!flag)
        case ("~", .int(let number)): return .int(~number)
        case ("..<", .int(let upper)): return .range(ScriptRange(lower: nil, upper: upper, isClosed: false))
        case ("...", .int(let upper)): return .range(ScriptRange(lower: nil, upper: upper, isClosed: true))
        default:
            throw ScriptError("prefix operator '\(symbol)' cannot be applied to \(value.typeName)", at: location)
        }
    }

    func evaluatePostfix(_ symbol: String, _ operand: Expression, in environment: Environment,
                         at location: SourceLocation?) throws -> Value {
        let value = try evaluate(operand, in: environment)
        if symbol == "...", case .int(let lower) = value {
            return .range(ScriptRange(lower: lower, upper: nil, isClosed: false))
        }
        throw ScriptError("postfix operator '\(symbol)' cannot be applied to \(value.typeName)", at: location)
    }

    /// `sorted(by: <)`, `reduce(0, +)`: an operator used as a function value.
    static func operatorFunction(_ name: String) -> Value? {
        let symbols: Set = ["+", "-", "*", "/", "%", "<", "<=", ">", ">=", "==", "!=", "&&", "||"]
        guard symbols.contains(name) else { return nil }
        return .builtin(BuiltinFunction(name) { arguments, context in
            let values = try arguments.bind(["_", "_"])
            guard let interpreter = context as? Interpreter else { throw ScriptError("no interpreter") }
            if name == "&&" || name == "||" {
                let a = try values[0].asBool("left operand")
                let b = try values[1].asBool("right operand")
                return .bool(name == "&&" ? a && b : a || b)
            }
            return try interpreter.applyBinary(name, values[0], values[1], at: nil)
        })
    }
}

extension Value {
    var isOptionalValue: Bool {
        if case .optional = self { return true }
        return false
    }
}
