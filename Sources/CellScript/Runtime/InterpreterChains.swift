/// Postfix chains: `a.b`, `f(x)`, `a[i]`, `x!`, and optional chaining `x?.b`, where a
/// `nil` met at a `?` makes the whole chain `nil` (swift-syntax's shape: the `?` marks
/// the base it follows, the chain runs to the end of the postfix expression).
extension Interpreter {
    func evaluateChain(_ expression: Expression, in environment: Environment) throws -> Value {
        guard Self.containsOptionalChain(expression) else {
            return try evaluateLink(expression, in: environment) ?? .nilValue
        }
        guard let value = try evaluateLink(expression, in: environment) else { return .nilValue }
        if case .optional = value { return value }
        return .optional(value)
    }

    static func containsOptionalChain(_ expression: Expression) -> Bool {
        var current = expression
        while true {
            switch current.kind {
            case .optionalChain: return true
            case .member(let base, _), .subscripted(let base, _), .forceUnwrap(let base): current = base
            case .call(let callee, _): current = callee
            default: return false
            }
        }
    }

    /// One link of a chain; nil when an optional chain short-circuited.
    func evaluateLink(_ expression: Expression, in environment: Environment) throws -> Value? {
        let location = expression.location
        switch expression.kind {
        case .optionalChain(let base):
            guard let value = try evaluateLink(base, in: environment) else { return nil }
            return value.unwrapped
        case .forceUnwrap(let base):
            guard let value = try evaluateLink(base, in: environment) else { return nil }
            guard let unwrapped = value.unwrapped else {
                throw ScriptError("unexpectedly found nil while unwrapping an Optional value", at: location)
            }
            return unwrapped
        case .member(let base, let name):
            guard let value = try evaluateLink(base, in: environment) else { return nil }
            return try member(of: value, name, at: location)
        case .subscripted(let base, let arguments):
            guard let value = try evaluateLink(base, in: environment) else { return nil }
            let evaluated = try evaluateArguments(arguments, in: environment)
            return try subscriptValue(value, evaluated, at: location)
        case .call(let callee, let arguments):
            return try evaluateCall(callee, arguments, in: environment, at: location)
        default:
            return try evaluate(expression, in: environment)
        }
    }

    func evaluateArguments(_ arguments: [Argument], in environment: Environment) throws -> [TupleElement] {
        try arguments.map { TupleElement(label: $0.label, try evaluate($0.value, in: environment)) }
    }

    /// A call; nil when its callee's optional chain short-circuited.
    private func evaluateCall(_ callee: Expression, _ arguments: [Argument], in environment: Environment,
                              at location: SourceLocation) throws -> Value? {
        switch callee.kind {
        case .member(let base, let name):
            if Self.mutatingMethodNames.contains(name), !Self.containsOptionalChain(base),
               try isMutableCollection(base, in: environment) {
                let evaluated = try evaluateArguments(arguments, in: environment)
                var result = Value.void
                try modify(base, in: environment) { value in
                    result = try self.callMutatingMethod(name, on: &value, evaluated, at: location)
                }
                return result
            }
            guard let receiver = try evaluateLink(base, in: environment) else { return nil }
            let method = try calledMember(of: receiver, name, at: callee.location)
            let evaluated = try evaluateArguments(arguments, in: environment)
            return try callValue(method, evaluated, at: location)
        case .array(let elements) where arguments.isEmpty && elements.count == 1:
            return .array([])  // `[Int]()`
        case .dictionary(let entries) where arguments.isEmpty && entries.count == 1:
            return .dictionary(ScriptDictionary())  // `[String: Int]()`
        default:
            guard let function = try evaluateLink(callee, in: environment) else { return nil }
            let evaluated = try evaluateArguments(arguments, in: environment)
            return try callValue(function, evaluated, at: location)
        }
    }

    /// `xs.first(where:)` shares its name with the `first` property: a call picks the method.
    private func calledMember(of receiver: Value, _ name: String, at location: SourceLocation) throws -> Value {
        if name == "first" || name == "last", receiver.isStandardSequence,
           let method = try standardMember(of: receiver, "\(name)(where:)") {
            return method
        }
        return try member(of: receiver, name, at: location)
    }

    /// Whether `base` holds an array, dictionary or string whose mutating methods must write back.
    /// A separate function so the peeked value is released before the in-place mutation.
    private func isMutableCollection(_ base: Expression, in environment: Environment) throws -> Bool {
        switch base.kind {
        case .identifier, .member, .subscripted, .forceUnwrap: break
        default: return false
        }
        switch try evaluateLink(base, in: environment) {
        case .array?, .dictionary?, .string?: return true
        default: return false
        }
    }
}
