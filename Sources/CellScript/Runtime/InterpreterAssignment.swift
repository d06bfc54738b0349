/// Assignment and in-place mutation through l-value paths: `x = 1`, `p.x += 1`,
/// `a[i][j] = 0`, `d["k", default: 0] += 1`, `(a, b) = (b, a)`, `a.append(x)`.
///
/// Values are mutated in place where they live (an enum payload is first detached
/// with `value = .void`) so a loop filling an array stays linear, not quadratic.
extension Interpreter {
    func evaluateAssignment(_ symbol: String, target: Expression, value: Expression, in environment: Environment,
                            at location: SourceLocation) throws {
        if symbol == "=" {
            let newValue = try evaluate(value, in: environment)
            try checkNesting(newValue, at: value.location)
            try assign(newValue, to: target, in: environment)
            return
        }
        guard symbol.hasSuffix("="), symbol.count > 1 else {
            throw ScriptError("unknown assignment operator '\(symbol)'", at: location)
        }
        let operation = String(symbol.dropLast())
        let operand = try evaluate(value, in: environment)
        try modify(target, in: environment) { current in
            let adopted = self.adoptLiteral(operand, expression: value, toMatch: current)
            current = try self.applyBinary(operation, current, adopted, at: location)
            try self.checkNesting(current, at: location)
        }
    }

    private func assign(_ newValue: Value, to target: Expression, in environment: Environment) throws {
        switch target.kind {
        case .identifier("_"):
            return
        case .tuple(let targets):
            guard case .tuple(let elements) = newValue, elements.count == targets.count else {
                throw ScriptError("cannot assign a value of type \(newValue.typeName) to a tuple of "
                                  + "\(targets.count) elements", at: target.location)
            }
            for (inner, element) in zip(targets, elements) {
                try assign(element.value, to: inner.value, in: environment)
            }
        default:
            try modify(target, in: environment) { $0 = newValue }
        }
    }

    /// Applies `transform` to the storage `target` names.
    func modify(_ target: Expression, in environment: Environment,
                _ transform: (inout Value) throws -> Void) throws {
        let location = target.location
        switch target.kind {
        case .identifier(let name):
            try environment.mutate(name, at: location, transform)
        case .member(let base, let name):
            // Engine objects are references, as Swift classes: `let optimizer = ...;
            // optimizer.learningRate = 0.5` changes the object, not the constant.
            if case .identifier(let baseName) = base.kind, case .object? = environment.lookup(baseName),
               var reference = environment.lookup(baseName) {
                try modifyMember(&reference, name, at: location, transform)
                return
            }
            try modify(base, in: environment) { value in
                try self.modifyMember(&value, name, at: location, transform)
            }
        case .subscripted(let base, let arguments):
            let evaluated = try evaluateArguments(arguments, in: environment)
            try modify(base, in: environment) { value in
                try self.modifyElement(&value, evaluated, at: location, transform)
            }
        case .forceUnwrap(let base):
            try modify(base, in: environment) { value in
                guard case .optional(let inner) = value, var unwrapped = inner else {
                    if value.isNil {
                        throw ScriptError("unexpectedly found nil while unwrapping an Optional value", at: location)
                    }
                    try transform(&value)
                    return
                }
                value = .void
                defer { value = .optional(unwrapped) }
                try transform(&unwrapped)
            }
        default:
            throw ScriptError("cannot assign to this expression; only variables, properties and subscripts "
                              + "can be changed", at: location)
        }
    }

    private func modifyMember(_ value: inout Value, _ name: String, at location: SourceLocation,
                              _ transform: (inout Value) throws -> Void) throws {
        switch value {
        case .tuple(var elements):
            guard let index = Self.tupleIndex(of: name, in: elements) else { break }
            value = .void
            defer { value = .tuple(elements) }
            try transform(&elements[index].value)
            return
        case .object(let object):
            var current = try member(of: value, name, at: location)
            try transform(&current)
            let accepted: Bool
            touchLibrary()
            do { accepted = try object.setMember(name, to: current) } catch { throw ScriptError.from(error, at: location) }
            if accepted { return }
            throw ScriptError("cannot assign to property '\(name)' of \(object.typeName): it is read-only",
                              at: location)
        case .optional:
            throw ScriptError("value of optional type '\(value.typeName)' must be unwrapped to change "
                              + "member '\(name)'", at: location)
        default:
            break
        }
        throw ScriptError("cannot assign to '\(name)' of a value of type '\(value.typeName)'", at: location)
    }

    private func modifyElement(_ value: inout Value, _ arguments: [TupleElement], at location: SourceLocation,
                               _ transform: (inout Value) throws -> Void) throws {
        switch value {
        case .array(var elements):
            let position = try arrayPosition(arguments, count: elements.count, at: location)
            value = .void
            defer { value = .array(elements) }
            switch position {
            case .index(let index):
                try transform(&elements[index])
            case .slice(let range):
                var slice = Value.array(Array(elements[range]))
                try transform(&slice)
                guard case .array(let replacement) = slice else {
                    throw ScriptError("a slice can only be replaced by an array, not \(slice.typeName)", at: location)
                }
                elements.replaceSubrange(range, with: replacement)
            }
        case .dictionary(var dictionary):
            let (key, fallback) = try dictionaryKey(arguments, at: location)
            var entry = dictionary[key].map { fallback == nil ? Value.optional($0) : $0 } ?? fallback ?? .nilValue
            value = .void
            defer { value = .dictionary(dictionary) }
            try transform(&entry)
            dictionary[key] = entry.unwrapped
        case .object(let object):
            let packed = Arguments(arguments, functionName: "subscript")
            var current = try subscriptValue(value, arguments, at: location)
            try transform(&current)
            let accepted: Bool
            touchLibrary()
            do { accepted = try object.setSubscript(packed, to: current) } catch {
                throw ScriptError.from(error, at: location)
            }
            if !accepted {
                throw ScriptError("cannot assign through a subscript of \(object.typeName): it is read-only",
                                  at: location)
            }
        default:
            throw ScriptError("cannot assign through a subscript of a value of type '\(value.typeName)'",
                              at: location)
        }
    }
}
