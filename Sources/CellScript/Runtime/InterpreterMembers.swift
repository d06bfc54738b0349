/// Member access: tuple elements, engine-object members, and the standard
/// members of built-in values (`count`, `map`, ...; see `ValueMembers.swift`).
extension Interpreter {
    func member(of value: Value, _ name: String, at location: SourceLocation) throws -> Value {
        switch value {
        case .tuple(let elements):
            if let index = Self.tupleIndex(of: name, in: elements) { return elements[index].value }
        case .object(let object):
            let found: Value?
            touchLibrary()
            do { found = try object.member(name) } catch { throw ScriptError.from(error, at: location) }
            if let found { return found }
            throw noMember(name, in: value, at: location)
        case .optional:
            throw ScriptError("value of optional type '\(value.typeName)' must be unwrapped to refer to "
                              + "member '\(name)'; use '?.' or '!'", at: location)
        default:
            break
        }
        if let found = try standardMember(of: value, name) { return found }
        throw noMember(name, in: value, at: location)
    }

    /// The position of `name` (a label or `0`, `1`, ...) among a tuple's elements.
    static func tupleIndex(of name: String, in elements: [TupleElement]) -> Int? {
        if let index = Int(name), index >= 0, index < elements.count { return index }
        return elements.firstIndex { $0.label == name }
    }

    func noMember(_ name: String, in value: Value, at location: SourceLocation) -> ScriptError {
        ScriptError("value of type '\(value.typeName)' has no member '\(name)'", at: location)
    }
}
