import Foundation

/// Properties and methods of the built-in value types: arrays, ranges, strings,
/// dictionaries, numbers. Mutating methods live in `MutatingMethods.swift`.
extension Interpreter {
    func standardMember(of value: Value, _ name: String) throws -> Value? {
        if name == "description" { return .string(value.description) }
        switch value {
        case .array(let elements):
            if name == "indices" { return .range(ScriptRange(lower: 0, upper: elements.count, isClosed: false)) }
            return sequenceMember({ elements }, name)
        case .range(let range):
            return rangeMember(range, name) ?? sequenceMember({ try self.elements(of: value, at: nil) }, name)
        case .string(let text):
            return stringMember(text, name) ?? sequenceMember({ text.map { .string(String($0)) } }, name)
        case .dictionary(let dictionary):
            return dictionaryMember(dictionary, name) ?? sequenceMember({ dictionary.entries }, name)
        case .int(let number):
            return intMember(number, name)
        case .double(let number):
            return doubleMember(number, name)
        case .builtin(let function):
            return Self.typeMember(function.name, name)
        default:
            return nil
        }
    }

    /// `Int.max`, `Double.pi`, `Double.infinity`: constants on the conversion functions' type names.
    static func typeMember(_ typeName: String, _ name: String) -> Value? {
        switch (typeName, name) {
        case ("Int", "max"): return .int(Int.max)
        case ("Int", "min"): return .int(Int.min)
        case ("Double", "pi"), ("Float", "pi"): return .double(Double.pi)
        case ("Double", "infinity"), ("Float", "infinity"): return .double(Double.infinity)
        case ("Double", "nan"), ("Float", "nan"): return .double(Double.nan)
        case ("Double", "greatestFiniteMagnitude"): return .double(Double.greatestFiniteMagnitude)
        case ("Double", "ulpOfOne"): return .double(Double.ulpOfOne)
        default: return nil
        }
    }

    private func rangeMember(_ range: ScriptRange, _ name: String) -> Value? {
        switch name {
        case "lowerBound": return range.lower.map(Value.int)
        case "upperBound": return range.upper.map(Value.int)
        case "count": return range.count.map(Value.int)
        case "isEmpty": return range.count.map { .bool($0 == 0) }
        case "contains":
            return boundMethod("contains", ["_"]) { args, _ in .bool(range.contains(try args[0].asInt("value"))) }
        default: return nil
        }
    }

    private func stringMember(_ text: String, _ name: String) -> Value? {
        switch name {
        case "uppercased": return boundMethod(name, []) { _, _ in .string(text.uppercased()) }
        case "lowercased": return boundMethod(name, []) { _, _ in .string(text.lowercased()) }
        case "reversed": return boundMethod(name, []) { _, _ in .string(String(text.reversed())) }
        case "hasPrefix":
            return boundMethod(name, ["_"]) { args, _ in .bool(text.hasPrefix(try args[0].asString("prefix"))) }
        case "hasSuffix":
            return boundMethod(name, ["_"]) { args, _ in .bool(text.hasSuffix(try args[0].asString("suffix"))) }
        case "contains":
            return boundMethod(name, ["_"]) { args, _ in .bool(text.contains(try args[0].asString("substring"))) }
        case "filter":
            return boundMethod(name, ["_"]) { args, run in
                .string(String(try text.filter { try run.predicate(args[0], .string(String($0))) }))
            }
        case "split":
            return boundMethod(name, ["separator"]) { args, _ in
                let separator = try args[0].asString("separator")
                guard let character = separator.first, separator.count == 1 else {
                    throw ScriptError("split(separator:) needs a single character, not \(separator.debugDescription)")
                }
                return .array(text.split(separator: character).map { .string(String($0)) })
            }
        case "components":
            return boundMethod(name, ["separatedBy"]) { args, _ in
                let separator = try args[0].asString("separatedBy")
                guard !separator.isEmpty else { throw ScriptError("components(separatedBy:) needs a separator") }
                return .array(text.components(separatedBy: separator).map(Value.string))
            }
        case "trimmingWhitespace":
            return boundMethod(name, []) { _, _ in .string(text.trimmingCharacters(in: .whitespacesAndNewlines)) }
        default:
            return nil
        }
    }

    private func dictionaryMember(_ dictionary: ScriptDictionary, _ name: String) -> Value? {
        switch name {
        case "keys": return .array(dictionary.keys.map(\.value))
        case "values": return .array(dictionary.values)
        case "filter":
            return boundMethod(name, ["_"]) { args, run in
                var result = ScriptDictionary()
                for (key, entry) in zip(dictionary.keys, dictionary.entries) {
                    if try run.predicate(args[0], entry) { result[key] = dictionary[key] }
                }
                return .dictionary(result)
            }
        case "mapValues":
            return boundMethod(name, ["_"]) { args, run in
                var result = ScriptDictionary()
                for (key, value) in zip(dictionary.keys, dictionary.values) {
                    result[key] = try run.call(args[0], [value])
                }
                return .dictionary(result)
            }
        default:
            return nil
        }
    }

    private func intMember(_ number: Int, _ name: String) -> Value? {
        switch name {
        case "isMultiple":
            return boundMethod(name, ["of"]) { args, _ in
                let divisor = try args[0].asInt("of")
                return .bool(divisor == 0 ? number == 0 : number.isMultiple(of: divisor))
            }
        case "magnitude": return .int(number == Int.min ? Int.max : abs(number))
        case "signum": return boundMethod(name, []) { _, _ in .int(number.signum()) }
        default: return nil
        }
    }

    private func doubleMember(_ number: Double, _ name: String) -> Value? {
        switch name {
        case "isNaN": return .bool(number.isNaN)
        case "isInfinite": return .bool(number.isInfinite)
        case "isFinite": return .bool(number.isFinite)
        case "magnitude": return .double(number.magnitude)
        case "rounded": return boundMethod(name, []) { _, _ in .double(number.rounded()) }
        case "squareRoot": return boundMethod(name, []) { _, _ in .double(number.squareRoot()) }
        case "truncatingRemainder":
            return boundMethod(name, ["dividingBy"]) { args, _ in
                .double(number.truncatingRemainder(dividingBy: try args[0].asDouble("dividingBy")))
            }
        default: return nil
        }
    }
}

extension Value {
    /// Arrays, ranges, strings and dictionaries: the values with the shared sequence methods.
    var isStandardSequence: Bool {
        switch self {
        case .array, .range, .string, .dictionary: return true
        default: return false
        }
    }
}
