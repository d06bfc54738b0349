/// Calls to declared built-ins, checked against their signatures before anything runs
/// (`lesson check`): wrong, missing or extra labels, with the message running the cell would
/// give, and literal arguments of the wrong type (`ptbIterator(data, batchSize: "20", ...)`).
/// A name the lesson binds anywhere (`let train = ...`, `func plot(...)`, a parameter) is
/// the lesson's, not the built-in, and is not checked; neither are arguments whose type
/// shows only when they run.
public enum CallCheck {
    public static func diagnostics(_ programs: [CellProgram], signatures: [BuiltinSignature]) -> [CellDiagnostic] {
        var bound = BoundNames()
        for program in programs { bound.walk(program.statements) }
        var declared: [String: BuiltinSignature] = [:]
        for signature in signatures where !bound.names.contains(signature.name) { declared[signature.name] = signature }
        var calls = CallWalker(declared: declared, functions: bound.functions)
        for program in programs { calls.walk(program.statements) }
        return calls.diagnostics
    }

    /// What kind of literal `expression` is, when that shows without running it.
    static func literalKind(_ expression: Expression) -> ScriptType.LiteralKind? {
        switch expression.kind {
        case .integer: return .integer
        case .double: return .double
        case .boolean: return .boolean
        case .string, .interpolation: return .string
        case .array: return .array
        case .nilLiteral: return .nilLiteral
        case .closure: return .closure
        case .prefix("-", let inner): return literalKind(inner).flatMap { $0 == .integer || $0 == .double ? $0 : nil }
        default: return nil
        }
    }

    static func typeName(of literal: ScriptType.LiteralKind) -> String {
        switch literal {
        case .integer: "Int"
        case .double: "Double"
        case .boolean: "Bool"
        case .string: "String"
        case .array: "Array"
        case .nilLiteral: "nil"
        case .closure: "a closure"
        }
    }
}

/// Every name the cells bind, and which of them are functions.
private struct BoundNames: ASTWalker {
    var names = Set<String>()
    var functions = Set<String>()

    mutating func bind(_ name: String) {
        names.insert(name)
    }

    mutating func bindFunction(_ name: String) {
        names.insert(name)
        functions.insert(name)
    }
}

private struct CallWalker: ASTWalker {
    let declared: [String: BuiltinSignature]
    let functions: Set<String>
    var diagnostics: [CellDiagnostic] = []

    mutating func visitExpression(_ expression: Expression) {
        guard case .call(let callee, let arguments) = expression.kind, case .identifier(let name) = callee.kind,
              let signature = declared[name] else { return }
        let labels = arguments.map { argument -> (label: String?, isClosure: Bool) in
            (argument.label, isCallable(argument.value))
        }
        if let problem = signature.bindingProblem(labels) {
            let location = problem.argument.map { arguments[$0].location } ?? expression.location
            diagnostics.append(CellDiagnostic(.call, problem.message, at: location))
            return
        }
        for (argument, parameter) in zip(arguments, signature.parameters(for: labels)) {
            guard let parameter, let literal = CallCheck.literalKind(argument.value),
                  !parameter.type.accepts(literal: literal) else { continue }
            diagnostics.append(CellDiagnostic(
                .call, "\(signature.selector): \(parameter.name): expected \(parameter.type.expectedName), got \(CallCheck.typeName(of: literal))",
                at: argument.value.location))
        }
    }

    /// Whether the argument may be a function when it runs: a closure, or a name the lesson
    /// declares with `func` (a variable holding a closure is not told apart; the model API
    /// takes no function arguments).
    private func isCallable(_ expression: Expression) -> Bool {
        switch expression.kind {
        case .closure: return true
        case .identifier(let name): return functions.contains(name)
        default: return false
        }
    }
}
