/// Expressions: literals, names, collections, closures, optionals, `try`, type checks.
extension Interpreter {
    func evaluate(_ expression: Expression, in environment: Environment) throws -> Value {
        try tick(at: expression.location)
        let location = expression.location
        switch expression.kind {
        case .integer(let number): return .int(number)
        case .double(let number): return .double(number)
        case .boolean(let flag): return .bool(flag)
        case .string(let text): return .string(text)
        case .nilLiteral: return .nilValue
        case .interpolation(let parts): return try interpolate(parts, in: environment)
        case .identifier(let name): return try lookup(name, in: environment, at: location)
        case .anonymousParameter(let index): return try lookup("$\(index)", in: environment, at: location)
        case .array(let elements): return try evaluateArray(elements, in: environment)
        case .dictionary(let entries): return try evaluateDictionary(entries, in: environment, at: location)
        case .tuple(let elements):
            return .tuple(try elements.map { element in
                let value = try evaluate(element.value, in: environment)
                try checkNesting(value, inContainer: true, at: element.value.location)
                return TupleElement(label: element.label, value)
            })
        case .prefix(let symbol, let operand): return try evaluatePrefix(symbol, operand, in: environment, at: location)
        case .postfix(let symbol, let operand):
            return try evaluatePostfix(symbol, operand, in: environment, at: location)
        case .binary(let symbol, let left, let right):
            return try evaluateBinary(symbol, left, right, in: environment, at: location)
        case .ternary(let condition, let then, let otherwise):
            let chosen = try evaluateCondition(condition, in: environment) ? then : otherwise
            return try evaluate(chosen, in: environment)
        case .assignment(let symbol, let target, let value):
            try evaluateAssignment(symbol, target: target, value: value, in: environment, at: location)
            return .void
        case .closure(let closure):
            return .function(ScriptFunction(.closure(closure), environment: environment))
        case .implicitMember(let name): return .enumCase(name)
        case .member, .call, .subscripted, .forceUnwrap, .optionalChain:
            return try evaluateChain(expression, in: environment)
        case .tryExpression(let kind, let inner): return try evaluateTry(kind, inner, in: environment)
        case .typeCheck(let kind, let inner, let typeName):
            return try evaluateTypeCheck(kind, inner, typeName: typeName, in: environment)
        }
    }

    func lookup(_ name: String, in environment: Environment, at location: SourceLocation) throws -> Value {
        if let value = environment.lookup(name) { return value }
        if let function = Self.operatorFunction(name) { return function }
        throw ScriptError("cannot find '\(name)' in scope", at: location)
    }

    private func interpolate(_ parts: [InterpolationPart], in environment: Environment) throws -> Value {
        var text = ""
        for part in parts {
            switch part {
            case .text(let literal): text += literal
            case .expression(let expression): text += try evaluate(expression, in: environment).description
            }
            try checkCollectionSize(text.utf8.count, at: nil)
        }
        try reserve(text.utf8.count, of: 1, at: nil)
        return .string(text)
    }

    /// `[1, 2.5]` is `[Double]` in Swift: integer literals adopt Double next to a Double.
    private func evaluateArray(_ expressions: [Expression], in environment: Environment) throws -> Value {
        let values = try expressions.map { expression in
            let value = try evaluate(expression, in: environment)
            try checkNesting(value, inContainer: true, at: expression.location)
            return value
        }
        return .array(adoptLiterals(values, expressions: expressions))
    }

    private func adoptLiterals(_ values: [Value], expressions: [Expression]) -> [Value] {
        guard values.contains(where: { if case .double = $0 { return true } else { return false } }) else {
            return values
        }
        return zip(values, expressions).map { value, expression in
            if case .int(let number) = value, Self.isIntegerLiteral(expression) { return .double(Double(number)) }
            return value
        }
    }

    private func evaluateDictionary(_ entries: [(key: Expression, value: Expression)], in environment: Environment,
                                    at location: SourceLocation) throws -> Value {
        var dictionary = ScriptDictionary()
        var keys: [DictionaryKey] = []
        var values: [Value] = []
        for entry in entries {
            let keyValue = try evaluate(entry.key, in: environment)
            guard let key = DictionaryKey(keyValue) else {
                throw ScriptError("a dictionary key must be an Int, String or Bool, not \(keyValue.typeName)",
                                  at: entry.key.location)
            }
            if keys.contains(key) {
                throw ScriptError("dictionary literal has the key \(keyValue.debugDescription) twice",
                                  at: entry.key.location)
            }
            keys.append(key)
            let value = try evaluate(entry.value, in: environment)
            try checkNesting(value, inContainer: true, at: entry.value.location)
            values.append(value)
        }
        let adopted = adoptLiterals(values, expressions: entries.map(\.value))
        for (key, value) in zip(keys, adopted) {
            dictionary[key] = value
        }
        return .dictionary(dictionary)
    }

    private func evaluateTry(_ kind: Expression.TryKind, _ inner: Expression,
                             in environment: Environment) throws -> Value {
        guard kind == .optional else { return try evaluate(inner, in: environment) }
        do {
            let value = try evaluate(inner, in: environment)
            if case .optional = value { return value }
            return .optional(value)
        } catch let error as ScriptError where error.phase == .runtime {
            return .nilValue
        }
    }

    private func evaluateTypeCheck(_ kind: Expression.TypeCheckKind, _ inner: Expression, typeName: String,
                                   in environment: Environment) throws -> Value {
        let value = try evaluate(inner, in: environment)
        var converted = value
        if typeName == "Double" || typeName == "Float", let literal = Self.literalValue(inner) {
            converted = .double(Double(literal))
        }
        let fits = Self.value(converted, hasTypeNamed: typeName)
        switch kind {
        case .isType:
            return .bool(fits)
        case .asOptional:
            return fits ? .optional(converted.unwrapped ?? converted) : .nilValue
        case .asType:
            guard fits else {
                throw ScriptError("cannot convert value of type '\(value.typeName)' to type '\(typeName)'",
                                  at: inner.location)
            }
            return converted
        }
    }

    /// Whether a value's dynamic type is `typeName` (`Any` fits everything).
    static func value(_ value: Value, hasTypeNamed typeName: String) -> Bool {
        let name = String(typeName.filter { $0 != " " })
        if name == "Any" || name == "AnyObject" { return true }
        if name.hasSuffix("?") {
            return value.isNil || Self.value(value, hasTypeNamed: String(name.dropLast()))
        }
        let actual = value.unwrapped ?? value
        if name == "Float" { return actual.typeName == "Double" }
        if actual.typeName == name { return true }
        if case .array(let elements) = actual, elements.isEmpty, name.hasPrefix("[") { return true }
        return false
    }

    /// `3` or `-3` written in the source: such a literal adopts Double next to a Double.
    static func isIntegerLiteral(_ expression: Expression) -> Bool {
        literalValue(expression) != nil
    }

    static func literalValue(_ expression: Expression) -> Int? {
        switch expression.kind {
        case .integer(let number):
            return number
        case .prefix(let symbol, let operand) where symbol == "-" || symbol == "+":
            guard case .integer(let number) = operand.kind else { return nil }
            return symbol == "-" ? (number == Int.min ? nil : -number) : number
        default:
            return nil
        }
    }

    /// An Int value written as a literal becomes Double when matched against a Double.
    func adoptLiteral(_ value: Value, expression: Expression, toMatch other: Value) -> Value {
        if case .int(let number) = value, case .double = other.unwrapped ?? other, Self.isIntegerLiteral(expression) {
            return .double(Double(number))
        }
        return value
    }
}
