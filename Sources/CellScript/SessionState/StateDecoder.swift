/// Reads what `StateEncoder` wrote: the object table, then values referring to it.
/// Every tag, length and reference is checked; bad bytes are `.malformed`, never a trap.
package final class StateDecoder {
    package let stateHolders: [any SessionStateHolder]
    private let archives: ObjectArchives
    private let builtins: Environment
    /// The table read so far; an entry may refer only to entries before it.
    private(set) var nodes: [AnyObject] = []

    init(stateHolders: [any SessionStateHolder], archives: ObjectArchives, builtins: Environment) {
        self.stateHolders = stateHolders
        self.archives = archives
        self.builtins = builtins
    }

    /// Reads the whole object table.
    func readTable(_ reader: inout StateReader) throws(SessionStateError) {
        let count = try reader.count("the object table", minimumSize: 1)
        for index in 0..<count {
            let tag = try reader.byte("the tag of object \(index)")
            let what = "object \(index)"
            if let read = archives.readers[tag] {
                nodes.append(try read(&reader, self, what))
            } else {
                throw .malformed("\(what) has the unknown tag \(tag)")
            }
        }
    }

    /// A reference to an entry of type `T` (an object, or a library's shared entry such as a
    /// variable); anything else is `.malformed`, naming `description` ("a variable").
    package func object<T>(_ reader: inout StateReader, as type: T.Type, _ what: String,
                           description: String? = nil) throws(SessionStateError) -> T {
        let id = Int(try reader.u32(what))
        guard id < nodes.count else { throw .malformed("\(what) refers to object \(id), which is not in the table before it") }
        guard let typed = nodes[id] as? T else {
            throw .malformed("\(what) does not refer to \(description ?? "a \(T.self)")")
        }
        return typed
    }

    /// One value; nesting deeper than the encoder writes is refused.
    package func value(_ reader: inout StateReader, depth: Int = 0) throws(SessionStateError) -> Value {
        guard depth < StateEncoder.maximumDepth else { throw .malformed("values nest too deeply") }
        let tag = try reader.byte("a value's tag")
        guard let kind = ValueTag(rawValue: tag) else { throw .malformed("unknown value tag \(tag)") }
        switch kind {
        case .int: return .int(try reader.int("an Int"))
        case .double: return .double(try reader.double("a Double"))
        case .bool: return .bool(try reader.bool("a Bool"))
        case .string: return .string(try reader.string("a String"))
        case .none: return .optional(nil)
        case .some: return .optional(try value(&reader, depth: depth + 1))
        case .array:
            let count = try reader.count("an array", minimumSize: 1)
            var elements: [Value] = []
            for _ in 0..<count { elements.append(try value(&reader, depth: depth + 1)) }
            return .array(elements)
        case .dictionary:
            let count = try reader.count("a dictionary", minimumSize: 2)
            var dictionary = ScriptDictionary()
            for _ in 0..<count {
                let keyValue = try value(&reader, depth: depth + 1)
                guard let key = DictionaryKey(keyValue), dictionary[key] == nil else {
                    throw .malformed("a dictionary key is not an Int, String or Bool, or appears twice")
                }
                dictionary[key] = try value(&reader, depth: depth + 1)
            }
            return .dictionary(dictionary)
        case .tuple:
            let count = try reader.count("a tuple", minimumSize: 2)
            var elements: [TupleElement] = []
            for _ in 0..<count {
                let label = try reader.optionalString("a tuple label")
                elements.append(TupleElement(label: label, try value(&reader, depth: depth + 1)))
            }
            return .tuple(elements)
        case .range:
            let isClosed = try reader.bool("whether a range is closed")
            let lower = try reader.bool("whether a range has a lower bound") ? try reader.int("a range's lower bound") : nil
            let upper = try reader.bool("whether a range has an upper bound") ? try reader.int("a range's upper bound") : nil
            return .range(ScriptRange(lower: lower, upper: upper, isClosed: isClosed))
        case .builtin:
            let name = try reader.string("a built-in's name")
            guard case .builtin(let function) = builtins.lookup(name) else {
                throw .malformed("this session has no built-in function '\(name)' (register the same libraries)")
            }
            return .builtin(function)
        case .enumCase: return .enumCase(try reader.string("an enum case"))
        case .object: return .object(try object(&reader, as: (any ScriptObject).self, "a value"))
        }
    }
}
