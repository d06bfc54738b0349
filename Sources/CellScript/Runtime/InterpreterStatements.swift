/// Statements: bindings, declarations, control flow.
extension Interpreter {
    func execute(_ statements: [Statement], in environment: Environment) throws -> Completion {
        for statement in statements {
            let completion = try execute(statement, in: environment)
            if case .normal = completion { continue }
            return completion
        }
        return .normal
    }

    func execute(_ statement: Statement, in environment: Environment) throws -> Completion {
        try tick(at: statement.location)
        let location = statement.location
        switch statement.kind {
        case .expression(let expression):
            _ = try evaluate(expression, in: environment)
            return .normal
        case .binding(let isConstant, let pattern, let typeName, let value):
            try executeBinding(isConstant: isConstant, pattern: pattern, typeName: typeName, value: value,
                               in: environment, at: location)
            return .normal
        case .function(let declaration):
            let function = ScriptFunction(.declaration(declaration), environment: environment)
            try environment.declare(declaration.name, .function(function), isConstant: true, at: location)
            return .normal
        case .ifStatement(let conditions, let then, let otherwise):
            let scope = Environment(parent: environment)
            if try evaluateConditions(conditions, in: scope, at: location) {
                return try execute(then, in: Environment(parent: scope))
            }
            guard let otherwise else { return .normal }
            return try execute(otherwise, in: Environment(parent: environment))
        case .guardStatement(let conditions, let otherwise):
            return try executeGuard(conditions, otherwise: otherwise, in: environment, at: location)
        case .whileLoop(let conditions, let body):
            return try executeWhile(conditions, body: body, in: environment, at: location)
        case .repeatWhile(let body, let condition):
            return try executeRepeat(body, condition: condition, in: environment, at: location)
        case .forIn(let pattern, let sequence, let filter, let body):
            return try executeFor(pattern, sequence: sequence, filter: filter, body: body,
                                  in: environment, at: location)
        case .switchStatement(let subject, let cases):
            return try executeSwitch(subject, cases: cases, in: environment, at: location)
        case .block(let body):
            return try execute(body, in: Environment(parent: environment))
        case .breakStatement:
            return .breakLoop
        case .continueStatement:
            return .continueLoop
        case .returnStatement(let value):
            return .returned(try value.map { try evaluate($0, in: environment) } ?? .void)
        }
    }

    private func executeBinding(isConstant: Bool, pattern: Pattern, typeName: String?, value: Expression?,
                                in environment: Environment, at location: SourceLocation) throws {
        guard let value else {
            if isConstant {
                throw ScriptError("'let' declarations need a value here", at: location)
            }
            let isOptional = typeName?.hasSuffix("?") ?? false
            try bind(pattern, to: .nilValue, isConstant: false, isOptional: isOptional, in: environment, at: location)
            return
        }
        var result = try evaluate(value, in: environment)
        var isOptional = false
        if let typeName {
            result = try coerce(result, from: value, toTypeNamed: typeName, at: value.location)
            isOptional = typeName.hasSuffix("?")
        }
        try bind(pattern, to: result, isConstant: isConstant, isOptional: isOptional, in: environment, at: location)
    }

    private func executeGuard(_ conditions: [Condition], otherwise: [Statement], in environment: Environment,
                              at location: SourceLocation) throws -> Completion {
        // `guard let` binds into the enclosing scope, unlike `if let`.
        if try evaluateConditions(conditions, in: environment, at: location) { return .normal }
        let completion = try execute(otherwise, in: Environment(parent: environment))
        if case .normal = completion {
            throw ScriptError("'guard' body must not fall through; end it with 'return', 'break' or 'continue'",
                              at: location)
        }
        return completion
    }

    private func executeWhile(_ conditions: [Condition], body: [Statement], in environment: Environment,
                              at location: SourceLocation) throws -> Completion {
        while true {
            try checkInterrupt(at: location)
            let scope = Environment(parent: environment)
            guard try evaluateConditions(conditions, in: scope, at: location) else { return .normal }
            switch try execute(body, in: Environment(parent: scope)) {
            case .normal, .continueLoop: continue
            case .breakLoop: return .normal
            case .returned(let value): return .returned(value)
            }
        }
    }

    private func executeRepeat(_ body: [Statement], condition: Expression, in environment: Environment,
                               at location: SourceLocation) throws -> Completion {
        while true {
            try checkInterrupt(at: location)
            let scope = Environment(parent: environment)
            switch try execute(body, in: scope) {
            case .normal, .continueLoop: break
            case .breakLoop: return .normal
            case .returned(let value): return .returned(value)
            }
            guard try evaluateCondition(condition, in: scope) else { return .normal }
        }
    }

    private func executeFor(_ pattern: Pattern, sequence: Expression, filter: Expression?, body: [Statement],
                            in environment: Environment, at location: SourceLocation) throws -> Completion {
        let source = try evaluate(sequence, in: environment)
        var result = Completion.normal
        try forEachElement(of: source, at: sequence.location) { element in
            try tick(at: location)  // an empty body still spends the budget
            try checkInterrupt(at: location)
            let scope = Environment(parent: environment)
            try bind(pattern, to: element, isConstant: true, isOptional: false, in: scope, at: location)
            if let filter, try !evaluateCondition(filter, in: scope) { return true }
            switch try execute(body, in: Environment(parent: scope)) {
            case .normal, .continueLoop: return true
            case .breakLoop: return false
            case .returned(let value):
                result = .returned(value)
                return false
            }
        }
        return result
    }

    private func executeSwitch(_ subjectExpression: Expression, cases: [SwitchCase], in environment: Environment,
                               at location: SourceLocation) throws -> Completion {
        let subject = try evaluate(subjectExpression, in: environment)
        for switchCase in cases {
            let scope = Environment(parent: environment)
            guard try matches(switchCase, subject: subject, in: scope) else { continue }
            switch try execute(switchCase.body, in: Environment(parent: scope)) {
            case .normal, .breakLoop: return .normal  // `break` leaves the switch.
            case .continueLoop: return .continueLoop
            case .returned(let value): return .returned(value)
            }
        }
        throw ScriptError("no case of the switch matched \(subject.debugDescription); add a 'default:' case",
                          at: location)
    }
}
