/// Reading subscripts: arrays by Int index or range, dictionaries by key (an
/// optional, or a value with `default:`), engine objects through `ScriptObject`.
extension Interpreter {
    func subscriptValue(_ base: Value, _ arguments: [TupleElement], at location: SourceLocation) throws -> Value {
        switch base {
        case .array(let elements):
            switch try arrayPosition(arguments, count: elements.count, at: location) {
            case .index(let index): return elements[index]
            case .slice(let range): return .array(Array(elements[range]))
            }
        case .dictionary(let dictionary):
            let (key, fallback) = try dictionaryKey(arguments, at: location)
            if let fallback { return dictionary[key] ?? fallback }
            return .optional(dictionary[key])
        case .object(let object):
            let result: Value?
            do {
                touchLibrary()
                result = try object.subscripted(by: Arguments(arguments, functionName: "subscript"))
            } catch {
                throw ScriptError.from(error, at: location)
            }
            if let result { return result }
            throw ScriptError("value of type '\(object.typeName)' has no subscripts", at: location)
        case .string:
            throw ScriptError("cannot subscript String with an Int; use Array(text)[i] to get one character",
                              at: location)
        case .optional:
            throw ScriptError("value of optional type '\(base.typeName)' must be unwrapped before "
                              + "subscripting; use '?[' or '!'", at: location)
        default:
            throw ScriptError("value of type '\(base.typeName)' has no subscripts", at: location)
        }
    }

    enum ArrayPosition {
        case index(Int)
        case slice(Range<Int>)
    }

    /// A checked position in an array of `count` elements: an index or a slice.
    func arrayPosition(_ arguments: [TupleElement], count: Int, at location: SourceLocation) throws -> ArrayPosition {
        guard arguments.count == 1, let argument = arguments.first, argument.label == nil else {
            throw ScriptError("an array subscript takes one Int index or range", at: location)
        }
        switch argument.value {
        case .int(let index):
            guard index >= 0, index < count else {
                let noun = count == 1 ? "element" : "elements"
                let notes = index < 0 ? ["Swift arrays have no negative indices; the last is a[a.count - 1]"] : []
                throw ScriptError("index \(index) is out of range for an array of \(count) \(noun)",
                                  at: location, notes: notes)
            }
            return .index(index)
        case .range(let range):
            guard let bounds = range.bounds(within: count) else {
                let noun = count == 1 ? "element" : "elements"
                throw ScriptError("range \(Value.range(range).description) is out of bounds for an array of "
                                  + "\(count) \(noun)", at: location)
            }
            return .slice(bounds)
        default:
            throw ScriptError("an array index must be an Int or a range, not \(argument.value.typeName)",
                              at: location)
        }
    }

    /// `d[key]` or `d[key, default: value]`.
    func dictionaryKey(_ arguments: [TupleElement], at location: SourceLocation) throws
        -> (key: DictionaryKey, fallback: Value?)
    {
        guard let first = arguments.first, first.label == nil, arguments.count <= 2 else {
            throw ScriptError("a dictionary subscript takes a key, and optionally default:", at: location)
        }
        guard let key = DictionaryKey(first.value) else {
            throw ScriptError("a dictionary key must be an Int, String or Bool, not \(first.value.typeName)",
                              at: location)
        }
        guard arguments.count == 2 else { return (key, nil) }
        let second = arguments[1]
        guard second.label == "default" else {
            throw ScriptError("the second dictionary subscript argument must be labelled 'default:'", at: location)
        }
        return (key, second.value)
    }
}
