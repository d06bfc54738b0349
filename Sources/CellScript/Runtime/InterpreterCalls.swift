/// Calling functions: cell functions and closures (labels, defaults, recursion
/// limit), built-ins (errors located at the call) and callable engine objects.
extension Interpreter {
    /// Calls any callable value. `location` is nil when a built-in calls back into
    /// the cell (`map { ... }`); argument labels are then not checked, as Swift
    /// ignores labels of a function passed as a value.
    func callValue(_ callee: Value, _ arguments: [TupleElement], at location: SourceLocation?) throws -> Value {
        switch callee {
        case .function(let function):
            return try invoke(function, arguments, checkingLabels: location != nil, at: location)
        case .builtin(let builtin):
            try checkInterrupt(at: location)
            if builtin.isLibraryFunction { touchLibrary() }
            do {
                return try builtin.body(Arguments(arguments, functionName: builtin.name), self)
            } catch {
                throw ScriptError.from(error, at: location)
            }
        case .object(let object):
            touchLibrary()
            let callable: Value?
            do { callable = try object.member("callAsFunction") } catch { throw ScriptError.from(error, at: location) }
            if let callable { return try callValue(callable, arguments, at: location) }
            throw ScriptError("cannot call a value of type \(object.typeName)", at: location)
        default:
            throw ScriptError("cannot call a value of non-function type \(callee.typeName)", at: location)
        }
    }

    private func invoke(_ function: ScriptFunction, _ arguments: [TupleElement], checkingLabels: Bool,
                        at location: SourceLocation?) throws -> Value {
        callDepth += 1
        defer { callDepth -= 1 }
        guard callDepth <= Self.maximumCallDepth else {
            throw ScriptError("too much recursion: more than \(Self.maximumCallDepth) nested calls", at: location)
        }
        try checkInterrupt(at: location)
        let scope = Environment(parent: function.environment)
        switch function.body {
        case .declaration(let declaration):
            try bindParameters(declaration, arguments, checkingLabels: checkingLabels, into: scope,
                               definedIn: function.environment, at: location)
            let result = try runBody(declaration.body, in: scope)
            guard let typeName = declaration.returnTypeName else { return result }
            return try Self.conform(result, toDeclared: typeName, role: "return type", at: location)
        case .closure(let closure):
            try bindClosureParameters(closure, arguments, into: scope, at: location)
            return try runBody(closure.body, in: scope)
        }
    }

    /// Checks a value against a declared simple type (`Int`, `Double`, `Bool`, `String`,
    /// optionally `?`): an Int becomes a Double for `Double` (Swift would accept the literal),
    /// a value is wrapped for an optional type, and a mismatch is an error naming `role`.
    /// Other types (`[Int]`, `Tensor`) are taken as they come.
    static func conform(_ value: Value, toDeclared typeName: String, role: String,
                        at location: SourceLocation?) throws -> Value {
        let name = String(typeName.filter { $0 != " " })
        let isOptional = name.hasSuffix("?")
        let base = isOptional ? String(name.dropLast()) : name
        if value.isNil {
            guard isOptional else { throw ScriptError("'nil' is not compatible with \(role) '\(typeName)'", at: location) }
            return value
        }
        var result = value.unwrapped ?? value
        if base == "Double" || base == "Float", case .int(let number) = result { result = .double(Double(number)) }
        let expected = base == "Float" ? "Double" : base
        if ["Int", "Double", "Bool", "String"].contains(expected), result.typeName != expected {
            throw ScriptError("cannot convert value of type '\(result.typeName)' to \(role) '\(typeName)'", at: location)
        }
        if case .optional = value, !isOptional {
            throw ScriptError("value of optional type '\(value.typeName)' must be unwrapped to match \(role) '\(typeName)'",
                              at: location)
        }
        return isOptional ? Value.optional(from: result) : result
    }

    /// A body of one expression returns its value (implicit return, as in Swift).
    private func runBody(_ body: [Statement], in scope: Environment) throws -> Value {
        if body.count == 1, let only = body.first, case .expression(let expression) = only.kind {
            if case .assignment = expression.kind {
                _ = try evaluate(expression, in: scope)
                return .void
            }
            return try evaluate(expression, in: scope)
        }
        switch try execute(body, in: Environment(parent: scope)) {
        case .normal: return .void
        case .returned(let value): return value
        case .breakLoop, .continueLoop:
            throw ScriptError("'break' and 'continue' must be inside a loop", at: body.first?.location)
        }
    }

    private func bindParameters(_ declaration: FunctionDeclaration, _ arguments: [TupleElement],
                                checkingLabels: Bool, into scope: Environment, definedIn home: Environment,
                                at location: SourceLocation?) throws {
        var index = 0
        for parameter in declaration.parameters {
            let labelFits = index < arguments.count
                && (!checkingLabels || BuiltinParameter.label((arguments[index].label, arguments[index].value.isCallable), fits: parameter.label))
            if labelFits {
                let value = arguments[index].value
                let role = "expected argument type"
                scope.define(parameter.name, try parameter.typeName.map { try Self.conform(value, toDeclared: $0, role: role, at: location) } ?? value)
                index += 1
            } else if let defaultValue = parameter.defaultValue {
                scope.define(parameter.name, try evaluate(defaultValue, in: home))
            } else if index < arguments.count {
                let have = arguments[index].label.map { "'\($0):'" } ?? "no label"
                let want = parameter.label.map { "'\($0):'" } ?? "no label"
                throw ScriptError("incorrect argument label in call to \(declaration.name) "
                                  + "(have \(have), expected \(want))", at: location)
            } else {
                let name = parameter.label ?? parameter.name
                throw ScriptError("missing argument for parameter '\(name)' in call to \(declaration.name)",
                                  at: location)
            }
        }
        if index < arguments.count {
            throw ScriptError("extra argument in call to \(declaration.name): it takes "
                              + "\(declaration.parameters.count) and got \(arguments.count)", at: location)
        }
    }

    private func bindClosureParameters(_ closure: Closure, _ arguments: [TupleElement], into scope: Environment,
                                       at location: SourceLocation?) throws {
        let names = closure.parameters
        if names.isEmpty {
            for (index, argument) in arguments.enumerated() {
                scope.define("$\(index)", argument.value)
            }
            return
        }
        var values = arguments.map(\.value)
        // `dictionary.map { key, value in ... }`: one tuple argument spreads over the parameters.
        if names.count > 1, values.count == 1, case .tuple(let elements)? = values.first, elements.count == names.count {
            values = elements.map(\.value)
        }
        guard values.count == names.count else {
            throw ScriptError("the closure takes \(names.count) argument\(names.count == 1 ? "" : "s") "
                              + "but was called with \(values.count)", at: location ?? closure.location)
        }
        for (name, value) in zip(names, values) where name != "_" {
            scope.define(name, value)
        }
    }
}
