/// Methods that change the collection they are called on (`append`, `remove(at:)`,
/// `sort()`, `removeValue(forKey:)`). They run on the storage itself, reached
/// through `modify`, so `let` is enforced and the change is seen by the variable.
extension Interpreter {
    static let mutatingMethodNames: Set<String> = [
        "append", "insert", "remove", "removeLast", "removeFirst", "removeAll", "popLast",
        "sort", "reverse", "swapAt", "removeValue", "updateValue",
    ]

    func callMutatingMethod(_ name: String, on value: inout Value, _ arguments: [TupleElement],
                            at location: SourceLocation) throws -> Value {
        let packed = Arguments(arguments, functionName: name)
        do {
            switch value {
            case .array(var elements):
                value = .void
                defer { value = .array(elements) }
                return try mutateArray(&elements, name, packed)
            case .dictionary(var dictionary):
                value = .void
                defer { value = .dictionary(dictionary) }
                return try mutateDictionary(&dictionary, name, packed)
            case .string(var text):
                value = .void
                defer { value = .string(text) }
                return try mutateString(&text, name, packed)
            default:
                throw ScriptError("value of type '\(value.typeName)' has no member '\(name)'")
            }
        } catch {
            throw ScriptError.from(error, at: location)
        }
    }

    private func mutateArray(_ elements: inout [Value], _ name: String, _ arguments: Arguments) throws -> Value {
        switch (name, arguments.labels) {
        case ("append", [nil]):
            try checkCollectionSize(elements.count + 1, at: nil)
            for value in arguments.values { try checkNesting(value, inContainer: true, at: nil) }
            elements.append(contentsOf: arguments.values)
        case ("append", ["contentsOf"]):
            let extra = try self.elements(of: try arguments.bind(["contentsOf"])[0], at: nil)
            try checkCollectionSize(elements.count + extra.count, at: nil)
            try reserve(extra.count, at: nil)
            elements.append(contentsOf: extra)
        case ("insert", [nil, "at"]):
            let values = try arguments.bind(["_", "at"])
            let index = try values[1].asInt("at")
            guard index >= 0, index <= elements.count else {
                throw ScriptError("cannot insert at index \(index) in an array of \(elements.count) elements")
            }
            try checkNesting(values[0], inContainer: true, at: nil)
            elements.insert(values[0], at: index)
        case ("remove", ["at"]):
            let index = try arguments.bind(["at"])[0].asInt("at")
            guard index >= 0, index < elements.count else {
                throw ScriptError("index \(index) is out of range for an array of \(elements.count) elements")
            }
            return elements.remove(at: index)
        case ("removeLast", []), ("removeFirst", []):
            guard !elements.isEmpty else { throw ScriptError("cannot \(name)() from an empty array") }
            return name == "removeLast" ? elements.removeLast() : elements.removeFirst()
        case ("popLast", []):
            return .optional(elements.popLast())
        case ("removeAll", []):
            elements.removeAll()
        default:
            return try reorderArray(&elements, name, arguments)
        }
        return .void
    }

    private func reorderArray(_ elements: inout [Value], _ name: String, _ arguments: Arguments) throws -> Value {
        switch name {
        case "sort":
            let comparator = try arguments.bind([BuiltinParameter("by", default: .nilValue)])[0]
            elements = try sortedValues(elements, by: comparator)
        case "reverse":
            _ = try arguments.bind([])
            elements.reverse()
        case "swapAt":
            let values = try arguments.bind(["_", "_"])
            let i = try values[0].asInt("first index")
            let j = try values[1].asInt("second index")
            guard elements.indices.contains(i), elements.indices.contains(j) else {
                throw ScriptError("swapAt(\(i), \(j)) is out of range for an array of \(elements.count) elements")
            }
            elements.swapAt(i, j)
        default:
            throw ScriptError("no array method \(name) taking \(signature(name, arguments))")
        }
        return .void
    }

    private func mutateDictionary(_ dictionary: inout ScriptDictionary, _ name: String,
                                  _ arguments: Arguments) throws -> Value {
        switch name {
        case "removeValue":
            let key = try dictionaryKey(try arguments.bind(["forKey"])[0])
            return .optional(dictionary.removeValue(forKey: key))
        case "updateValue":
            let values = try arguments.bind(["_", "forKey"])
            let key = try dictionaryKey(values[1])
            let old = dictionary[key]
            dictionary[key] = values[0]
            return .optional(old)
        case "removeAll":
            _ = try arguments.bind([])
            dictionary = ScriptDictionary()
            return .void
        default:
            throw ScriptError("no dictionary method \(signature(name, arguments))")
        }
    }

    private func mutateString(_ text: inout String, _ name: String, _ arguments: Arguments) throws -> Value {
        switch (name, arguments.labels) {
        case ("append", [nil]), ("append", ["contentsOf"]):
            let extra = try arguments.values[0].asString("appended text")
            try checkCollectionSize(text.utf8.count + extra.utf8.count, at: nil)
            try reserve(extra.utf8.count, of: 1, at: nil)
            text += extra
            return .void
        case ("removeLast", []):
            guard let last = text.popLast() else { throw ScriptError("cannot removeLast() from an empty string") }
            return .string(String(last))
        case ("removeAll", []):
            text = ""
            return .void
        default:
            throw ScriptError("no string method \(signature(name, arguments))")
        }
    }

    private func dictionaryKey(_ value: Value) throws -> DictionaryKey {
        guard let key = DictionaryKey(value) else {
            throw ScriptError("a dictionary key must be an Int, String or Bool, not \(value.typeName)")
        }
        return key
    }

    private func signature(_ name: String, _ arguments: Arguments) -> String {
        "\(name)(\(arguments.labels.map { "\($0 ?? "_"):" }.joined()))"
    }
}
