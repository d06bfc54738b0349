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

    /// Strings quoted and escaped, as inside a collection or as a REPL result. At most
    /// `maximumDisplayBytes` long: a longer text ends with `…` (a value of ten million elements
    /// is not turned into a gigabyte of text only to be cut when printed).
    public var debugDescription: String {
        var writer = DisplayWriter(limit: Self.maximumDisplayBytes)
        writer.write(self)
        return writer.text
    }

    /// The longest text a value shows as (the most a cell may print is the same).
    public static let maximumDisplayBytes = 10_000_000

    /// The text a cell's result shows as `Out [n]`.
    public var displayText: String { debugDescription }

    fileprivate static func display(_ range: ScriptRange) -> String {
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
    /// Each element's name is computed once: computing the first one twice would double the
    /// work at every level of nesting (`h = [h]` a few dozen times would never finish).
    private static func commonTypeName(_ values: [Value]) -> String {
        guard let first = values.first?.typeName else { return "Any" }
        for value in values.dropFirst() where value.typeName != first {
            return "Any"
        }
        return first
    }
}

/// Builds a value's text in one string, stopping at a byte limit. Recursion follows the value's
/// nesting, which the interpreter keeps within `Value.maximumNestingDepth`.
private struct DisplayWriter {
    let limit: Int
    private(set) var text = ""
    private var full = false

    init(limit: Int) {
        self.limit = limit
    }

    mutating func write(_ value: Value) {
        guard !full else { return }
        switch value {
        case .int(let number): append(String(number))
        case .double(let number): append(number.description)
        case .bool(let flag): append(flag ? "true" : "false")
        case .string(let text): append(text.debugDescription)
        case .optional(let inner?):
            append("Optional(")
            write(inner)
            append(")")
        case .optional(nil): append("nil")
        case .array(let elements):
            append("[")
            writeList(elements) { $0.write($1) }
            append("]")
        case .dictionary(let dictionary):
            guard !dictionary.isEmpty else { return append("[:]") }
            append("[")
            writeList(Array(zip(dictionary.keys, dictionary.values))) { writer, pair in
                writer.write(pair.0.value)
                writer.append(": ")
                writer.write(pair.1)
            }
            append("]")
        case .tuple(let elements):
            append("(")
            writeList(elements) { writer, element in
                if let label = element.label { writer.append("\(label): ") }
                writer.write(element.value)
            }
            append(")")
        case .range(let range): append(Value.display(range))
        case .function, .builtin: append("(Function)")
        case .enumCase(let name): append(".\(name)")
        case .object(let object): append(object.description)
        }
    }

    private mutating func writeList<Item>(_ items: [Item], _ each: (inout DisplayWriter, Item) -> Void) {
        for (index, item) in items.enumerated() {
            guard !full else { return }
            if index > 0 { append(", ") }
            each(&self, item)
        }
    }

    private mutating func append(_ piece: String) {
        guard !full else { return }
        guard text.utf8.count + piece.utf8.count > limit else { return text += piece }
        let room = max(limit - text.utf8.count, 0)
        text += String(decoding: piece.utf8.prefix(room), as: UTF8.self).dropLast() + "…"
        full = true
    }
}
