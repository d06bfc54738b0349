/// How values read to a student: as Swift prints them (`print`) and as the REPL
/// shows a result (strings quoted).
extension Value: CustomStringConvertible, CustomDebugStringConvertible {
    /// What `print` writes: top-level strings unquoted, everything nested as Swift shows it.
    public var description: String {
        switch self {
        case .string(let text): return text
        case .enumCase(let name): return name
        default: return debugDescription
        }
    }

    /// Strings quoted and escaped, as inside a collection or as a REPL result.
    public var debugDescription: String {
        switch self {
        case .int(let number): return String(number)
        case .double(let number): return number.description
        case .bool(let flag): return flag ? "true" : "false"
        case .string(let text): return text.debugDescription
        case .optional(let inner): return inner.map { "Optional(\($0.debugDescription))" } ?? "nil"
        case .array(let elements): return "[" + elements.map(\.debugDescription).joined(separator: ", ") + "]"
        case .dictionary(let dictionary): return Self.display(dictionary)
        case .tuple(let elements): return Self.display(elements)
        case .range(let range): return Self.display(range)
        case .function, .builtin: return "(Function)"
        case .enumCase(let name): return ".\(name)"
        case .object(let object): return object.description
        }
    }

    /// The text a cell's result shows as `Out [n]`.
    public var displayText: String { debugDescription }

    private static func display(_ dictionary: ScriptDictionary) -> String {
        if dictionary.isEmpty { return "[:]" }
        let pairs = zip(dictionary.keys, dictionary.values).map { key, value in
            "\(key.value.debugDescription): \(value.debugDescription)"
        }
        return "[" + pairs.joined(separator: ", ") + "]"
    }

    private static func display(_ elements: [TupleElement]) -> String {
        let parts = elements.map { element in
            (element.label.map { "\($0): " } ?? "") + element.value.debugDescription
        }
        return "(" + parts.joined(separator: ", ") + ")"
    }

    private static func display(_ range: ScriptRange) -> String {
        switch (range.lower, range.upper) {
        case (let lower?, let upper?):
            return "\(lower)\(range.isClosed ? "..." : "..<")\(upper)"
        case (let lower?, nil):
            return "PartialRangeFrom<Int>(lowerBound: \(lower))"
        case (nil, let upper?):
            let kind = range.isClosed ? "PartialRangeThrough" : "PartialRangeUpTo"
            return "\(kind)<Int>(upperBound: \(upper))"
        case (nil, nil):
            return "UnboundedRange"
        }
    }

    /// The Swift type name shown in messages: `Int`, `[String]`, `Int?`, `(Int, Int)`.
    public var typeName: String {
        switch self {
        case .int: return "Int"
        case .double: return "Double"
        case .bool: return "Bool"
        case .string: return "String"
        case .optional(let inner): return inner.map { "\($0.typeName)?" } ?? "Optional"
        case .array(let elements): return "[\(Self.commonTypeName(elements))]"
        case .dictionary(let dictionary):
            let keys = Self.commonTypeName(dictionary.keys.map(\.value))
            return "[\(keys): \(Self.commonTypeName(dictionary.values))]"
        case .tuple(let elements):
            if elements.isEmpty { return "Void" }
            let parts = elements.map { ($0.label.map { "\($0): " } ?? "") + $0.value.typeName }
            return "(" + parts.joined(separator: ", ") + ")"
        case .range(let range):
            if range.lower != nil, range.upper != nil { return range.isClosed ? "ClosedRange<Int>" : "Range<Int>" }
            return "PartialRange<Int>"
        case .function, .builtin: return "function"
        case .enumCase: return "enum case"
        case .object(let object): return object.typeName
        }
    }

    /// The element type of a collection: the shared type name, or `Any` when mixed or empty.
    private static func commonTypeName(_ values: [Value]) -> String {
        guard let first = values.first?.typeName else { return "Any" }
        return values.allSatisfy { $0.typeName == first } ? first : "Any"
    }
}
