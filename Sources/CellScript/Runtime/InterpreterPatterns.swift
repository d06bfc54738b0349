/// Binding patterns, conditions, `case` matching and type annotations.
extension Interpreter {
    /// Binds `x`, `_` or `(a, b)` to a value in `environment`.
    func bind(_ pattern: Pattern, to value: Value, isConstant: Bool, isOptional: Bool,
              in environment: Environment, at location: SourceLocation) throws {
        switch pattern {
        case .wildcard:
            return
        case .name(let name):
            var stored = value
            if isOptional, case .optional = value {} else if isOptional { stored = .optional(value) }
            try environment.declare(name, stored, isConstant: isConstant, isOptional: isOptional, at: location)
        case .tuple(let patterns):
            guard case .tuple(let elements) = value, elements.count == patterns.count else {
                throw ScriptError("cannot destructure a value of type \(value.typeName) "
                                  + "into a tuple of \(patterns.count) elements", at: location)
            }
            for (inner, element) in zip(patterns, elements) {
                try bind(inner, to: element.value, isConstant: isConstant, isOptional: false,
                         in: environment, at: location)
            }
        }
    }

    /// All conditions of an `if`/`guard`/`while`, left to right; `let` clauses bind into `scope`.
    func evaluateConditions(_ conditions: [Condition], in scope: Environment,
                            at location: SourceLocation) throws -> Bool {
        for condition in conditions {
            switch condition {
            case .expression(let expression):
                guard try evaluateCondition(expression, in: scope) else { return false }
            case .optionalBinding(let isConstant, let name, let expression):
                let value = try evaluate(expression, in: scope)
                guard let unwrapped = value.unwrapped else { return false }
                try scope.declare(name, unwrapped, isConstant: isConstant, at: expression.location)
            }
        }
        return true
    }

    /// A Bool-valued expression; anything else is an error naming the type.
    func evaluateCondition(_ expression: Expression, in environment: Environment) throws -> Bool {
        let value = try evaluate(expression, in: environment)
        guard case .bool(let flag) = value else {
            throw ScriptError("a condition must be a Bool, not \(value.typeName)", at: expression.location)
        }
        return flag
    }

    /// Whether a `case` label matches `subject`, binding `let` names into `scope`.
    func matches(_ switchCase: SwitchCase, subject: Value, in scope: Environment) throws -> Bool {
        let location = switchCase.location
        var matched = switchCase.patterns.isEmpty  // `default:`
        for pattern in switchCase.patterns where !matched {
            switch pattern {
            case .wildcard:
                matched = true
            case .binding(let name):
                try scope.declare(name, subject, isConstant: true, at: location)
                matched = true
            case .value(let expression):
                matched = try caseMatches(expression, subject: subject, in: scope)
            }
        }
        guard matched else { return false }
        if let guardExpression = switchCase.guardExpression {
            return try evaluateCondition(guardExpression, in: scope)
        }
        return true
    }

    /// `~=`: a range contains the subject, otherwise the values are equal.
    private func caseMatches(_ expression: Expression, subject: Value, in scope: Environment) throws -> Bool {
        let candidate = try evaluate(expression, in: scope)
        if case .range(let range) = candidate {
            switch subject {
            case .int(let number): return range.contains(number)
            case .double(let number):
                return try doubleRangeContains(range, number, at: expression.location)
            default:
                throw ScriptError("cannot match a value of type \(subject.typeName) against a range",
                                  at: expression.location)
            }
        }
        let adopted = adoptLiteral(candidate, expression: expression, toMatch: subject)
        guard let equal = adopted.isEqual(to: subject) else {
            throw ScriptError("cannot match a value of type \(subject.typeName) against \(adopted.typeName)",
                              at: expression.location)
        }
        return equal
    }

    private func doubleRangeContains(_ range: ScriptRange, _ value: Double, at location: SourceLocation) throws
        -> Bool
    {
        if let lower = range.lower, value < Double(lower) { return false }
        if let upper = range.upper {
            return range.isClosed ? value <= Double(upper) : value < Double(upper)
        }
        return true
    }

    /// `let x: Double = 1` and friends: integer literals become Double where a Double is
    /// declared; a value of a clearly different simple type is an error, as in Swift.
    func coerce(_ value: Value, from expression: Expression, toTypeNamed typeName: String,
                at location: SourceLocation) throws -> Value {
        let name = String(typeName.filter { $0 != " " })
        let base = name.hasSuffix("?") ? String(name.dropLast()) : name
        if value.isNil {
            guard name.hasSuffix("?") else {
                throw ScriptError("'nil' cannot initialize specified type '\(typeName)'", at: location)
            }
            return value
        }
        let converted = convertLiterals(value, expression: expression, toTypeNamed: base)
        let simple: Set = ["Int", "Double", "Float", "Bool", "String"]
        let actual = converted.unwrapped?.typeName ?? converted.typeName
        let expected = base == "Float" ? "Double" : base
        if simple.contains(base), actual != expected {
            throw ScriptError("cannot convert value of type '\(converted.typeName)' to specified type '\(typeName)'",
                              at: location)
        }
        return converted
    }

    /// Integer literals (also inside array literals) adopt Double for `Double`/`[Double]` targets.
    private func convertLiterals(_ value: Value, expression: Expression, toTypeNamed typeName: String) -> Value {
        switch (typeName, value, expression.kind) {
        case ("Double", .int(let number), _), ("Float", .int(let number), _):
            return Self.isIntegerLiteral(expression) ? .double(Double(number)) : value
        case ("[Double]", .array(let elements), .array(let expressions)),
             ("[Float]", .array(let elements), .array(let expressions)):
            return .array(zip(elements, expressions).map { element, elementExpression in
                convertLiterals(element, expression: elementExpression, toTypeNamed: "Double")
            })
        default:
            return value
        }
    }
}
