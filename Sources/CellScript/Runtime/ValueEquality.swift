/// `==` between values, Swift style: same types compare structurally; a value
/// compares with an optional by wrapping it; Int and Double never compare equal
/// implicitly (the interpreter converts integer literals before it gets here).
extension Value {
    /// nil when the two values cannot be compared (different types).
    public func isEqual(to other: Value) -> Bool? {
        switch (self, other) {
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.bool(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.enumCase(let a), .enumCase(let b)): return a == b
        case (.range(let a), .range(let b)): return a == b
        case (.optional(let a), .optional(let b)): return Self.optionalsEqual(a, b)
        case (.optional(let a), _): return Self.optionalsEqual(a, other)
        case (_, .optional(let b)): return Self.optionalsEqual(self, b)
        case (.array(let a), .array(let b)): return Self.sequencesEqual(a, b)
        case (.tuple(let a), .tuple(let b)):
            guard a.count == b.count else { return nil }
            return Self.sequencesEqual(a.map(\.value), b.map(\.value))
        case (.dictionary(let a), .dictionary(let b)): return Self.dictionariesEqual(a, b)
        case (.object(let a), .object(let b)): return a.isEqual(to: b)
        default: return nil
        }
    }

    private static func optionalsEqual(_ a: Value?, _ b: Value?) -> Bool? {
        switch (a, b) {
        case (nil, nil): return true
        case (nil, _), (_, nil): return false
        case (let a?, let b?): return a.isEqual(to: b)
        }
    }

    private static func sequencesEqual(_ a: [Value], _ b: [Value]) -> Bool? {
        guard a.count == b.count else { return false }
        // The same storage is the same array, as Swift's own `==` assumes; shared storage
        // (`a.append(a)`) must not be compared element by element on every path to it.
        let same = a.withUnsafeBufferPointer { left in b.withUnsafeBufferPointer { $0.baseAddress == left.baseAddress } }
        if same { return true }
        for (left, right) in zip(a, b) {
            guard let equal = left.isEqual(to: right) else { return nil }
            if !equal { return false }
        }
        return true
    }

    private static func dictionariesEqual(_ a: ScriptDictionary, _ b: ScriptDictionary) -> Bool? {
        guard a.count == b.count else { return false }
        for (key, value) in zip(a.keys, a.values) {
            guard let other = b[key] else { return false }
            guard let equal = value.isEqual(to: other) else { return nil }
            if !equal { return false }
        }
        return true
    }
}
