/// What `for-in` and the sequence methods walk over: ranges (lazily), arrays,
/// dictionaries (`(key:value:)` tuples in insertion order), strings (characters as
/// one-character strings) and engine iterators (`next()` until `nil`).
extension Interpreter {
    /// Calls `body` with each element until it returns false.
    func forEachElement(of sequence: Value, at location: SourceLocation?, _ body: (Value) throws -> Bool) throws {
        switch sequence {
        case .range(let range):
            try forEachInteger(in: range, at: location, body)
        case .array(let elements):
            for element in elements {
                guard try body(element) else { return }
            }
        case .dictionary(let dictionary):
            for entry in dictionary.entries {
                guard try body(entry) else { return }
            }
        case .string(let text):
            for character in text {
                guard try body(.string(String(character))) else { return }
            }
        case .object(let object):
            try forEachObjectElement(object, at: location, body)
        case .optional:
            throw ScriptError("value of optional type '\(sequence.typeName)' must be unwrapped before "
                              + "iterating over it", at: location)
        default:
            throw ScriptError("cannot iterate over a value of type \(sequence.typeName); for-in needs a range, "
                              + "array, dictionary, string or iterator", at: location)
        }
    }

    private func forEachInteger(in range: ScriptRange, at location: SourceLocation?,
                                _ body: (Value) throws -> Bool) throws {
        guard let lower = range.lower else {
            throw ScriptError("cannot iterate over a range without a lower bound", at: location)
        }
        var current = lower
        while range.contains(current) {
            guard try body(.int(current)) else { return }
            let (next, overflow) = current.addingReportingOverflow(1)
            if overflow { return }
            current = next
        }
    }

    private func forEachObjectElement(_ object: any ScriptObject, at location: SourceLocation?,
                                      _ body: (Value) throws -> Bool) throws {
        let next: Value?
        do {
            touchLibrary()
            next = try object.makeIterator().member("next")
        } catch {
            throw ScriptError.from(error, at: location)
        }
        guard let next else {
            throw ScriptError("cannot iterate over a value of type \(object.typeName): it has no next()",
                              at: location)
        }
        while true {
            try checkInterrupt(at: location)
            guard let element = try callValue(next, [], at: location).unwrapped else { return }
            guard try body(element) else { return }
        }
    }

    /// All elements as an array, charged against the step budget; an unbounded
    /// sequence or one larger than the collection limit is an error.
    func elements(of sequence: Value, at location: SourceLocation?) throws -> [Value] {
        if case .array(let elements) = sequence { return elements }
        if case .range(let range) = sequence {
            guard let count = range.count else {
                throw ScriptError("cannot collect the elements of an unbounded range", at: location)
            }
            try checkCollectionSize(count, at: location)
            try reserve(count, at: location)
        }
        var result: [Value] = []
        try forEachElement(of: sequence, at: location) { element in
            result.append(element)
            if result.count & 0x3FF == 0 {
                try checkpoint(steps: 1024)
                try checkCollectionSize(result.count, at: location)
            }
            return true
        }
        return result
    }

    func checkCollectionSize(_ count: Int, at location: SourceLocation?, unit: String = "elements") throws {
        guard count <= Self.maximumCollectionSize else {
            let size = count == Int.max ? "more than \(Int.max)" : "\(count)"
            throw ScriptError("that would make \(size) \(unit); the limit is \(Self.maximumCollectionSize)",
                              at: location)
        }
    }
}
