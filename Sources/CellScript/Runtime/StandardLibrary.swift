import Limits
import Foundation

/// The globals a student expects from Swift: `print`, conversions (`Int(x)`,
/// `Double(x)`, `String(x)`, `Array(s)`), `min`/`max`/`abs`, math functions,
/// `zip`, `stride`, `assert`, `fatalError`. Registered like any other library so
/// the interpreter core stays language-only.
struct StandardLibrary: BuiltinLibrary {
    func register(into registry: inout BuiltinRegistry) {
        registry.function("print", Self.print)
        registry.function("Int", Self.toInt)
        registry.function("Double", Self.toDouble)
        registry.function("Float", Self.toDouble)
        registry.function("String", Self.toString)
        registry.function("Bool", Self.toBool)
        registry.function("Array", Self.toArray)
        registry.function("min") { arguments, _ in try Self.extreme(arguments, name: "min") }
        registry.function("max") { arguments, _ in try Self.extreme(arguments, name: "max") }
        registry.function("abs", Self.absolute)
        registry.function("zip", Self.zip)
        registry.function("stride", MathFunctions.stride)
        registry.function("type") { arguments, _ in .string(try arguments.bind(["of"])[0].typeName) }
        registry.function("assert", Self.assert)
        registry.function("precondition", Self.assert)
        registry.function("fatalError") { arguments, _ in
            let message = try arguments.bind([BuiltinParameter("_", default: .string(""))])[0].description
            throw ScriptError("Fatal error: \(message)")
        }
        MathFunctions.register(into: &registry)
        registry.declare(BuiltinSignature("help", [BuiltinParameter("_ function", .function)], topic: "Help",
                                          summary: "Prints a function's declaration and what it does.")) { values, context in
            context.write(Self.help(values[0]))
            return .void
        }
    }

    /// `help(ptbIterator)`: the declaration and summary of a declared built-in; what is known
    /// of any other function.
    static func help(_ function: Value) -> String {
        switch function {
        case .builtin(let builtin):
            if let signature = builtin.signature { return "\(signature.declaration)\n    \(signature.summary)\n" }
            return "\(builtin.name): a built-in function; its arguments are described in the README\n"
        case .function(let cellFunction):
            return "\(cellFunction.name): defined in this lesson\n"
        default:
            return "\(function.typeName): not a function\n"
        }
    }

    /// `print(_ items: Any..., separator: String = " ", terminator: String = "\n")`.
    static func print(_ arguments: Arguments, _ context: any ScriptContext) throws -> Value {
        var items: [String] = []
        var separator = " "
        var terminator = "\n"
        for item in arguments.items {
            switch item.label {
            case nil: items.append(item.value.description)
            case "separator": separator = try item.value.asString("separator")
            case "terminator": terminator = try item.value.asString("terminator")
            default:
                throw ScriptError("print takes values, then separator: and terminator:; "
                                  + "unexpected argument label '\(item.label ?? "_")'")
            }
        }
        context.write(items.joined(separator: separator) + terminator)
        return .void
    }

    /// `Int(x)`: truncates a Double (NaN, infinity and out-of-range are errors, as in Swift);
    /// `Int("12")` is an optional.
    static func toInt(_ arguments: Arguments, _ context: any ScriptContext) throws -> Value {
        let value = try arguments.bind(["_"])[0]
        switch value {
        case .int: return value
        case .double(let number):
            guard number.isFinite else {
                throw ScriptError("Double value cannot be converted to Int because it is either infinite or NaN")
            }
            guard let converted = Int(exactly: number.rounded(.towardZero)) else {
                throw ScriptError("Double value \(number) cannot be converted to Int because it is outside "
                                  + "the range of Int")
            }
            return .int(converted)
        case .string(let text): return .optional(Int(text).map(Value.int))
        case .bool(let flag): return .int(flag ? 1 : 0)
        default: throw value.mismatch("Int(_:)", expected: "a number or a string")
        }
    }

    static func toDouble(_ arguments: Arguments, _ context: any ScriptContext) throws -> Value {
        let value = try arguments.bind(["_"])[0]
        switch value {
        case .int(let number): return .double(Double(number))
        case .double: return value
        case .string(let text): return .optional(Double(text).map(Value.double))
        default: throw value.mismatch("Double(_:)", expected: "a number or a string")
        }
    }

    /// `String(x)`, `String(describing: x)`, `String(repeating: s, count: n)`.
    static func toString(_ arguments: Arguments, _ context: any ScriptContext) throws -> Value {
        if arguments.labels == ["repeating", "count"] {
            let values = try arguments.bind(["repeating", "count"])
            let piece = try values[0].asString("repeating")
            let count = try values[1].asInt("count")
            guard count >= 0 else { throw ScriptError("String(repeating:count:) needs a count of 0 or more") }
            if piece.isEmpty { return .string("") }
            let (size, overflow) = piece.utf8.count.multipliedReportingOverflow(by: count)
            guard !overflow, size <= Interpreter.maximumCollectionSize else {
                throw ScriptError("the string would be too long")
            }
            try MemoryBudget.reserve(size, for: "String(repeating:count:)")
            return .string(String(repeating: piece, count: count))
        }
        let label = arguments.labels == ["describing"] ? "describing" : "_"
        let value = try arguments.bind([BuiltinParameter(label)])[0]
        if case .array(let elements) = value, elements.allSatisfy({ if case .string = $0 { true } else { false } }) {
            return .string(elements.map(\.description).joined())  // `String(text.reversed())`-style joins
        }
        return .string(value.description)
    }

    static func toBool(_ arguments: Arguments, _ context: any ScriptContext) throws -> Value {
        let value = try arguments.bind(["_"])[0]
        switch value {
        case .bool: return value
        case .string(let text): return .optional(Bool(text).map(Value.bool))
        default: throw value.mismatch("Bool(_:)", expected: "a Bool or a string")
        }
    }

    /// `Array(0..<3)`, `Array("abc")`, `Array(repeating: 0, count: 3)`.
    static func toArray(_ arguments: Arguments, _ context: any ScriptContext) throws -> Value {
        guard let interpreter = context as? Interpreter else { throw ScriptError("Array needs the interpreter") }
        if arguments.labels == ["repeating", "count"] {
            let values = try arguments.bind(["repeating", "count"])
            let count = try values[1].asInt("count")
            guard count >= 0 else { throw ScriptError("Array(repeating:count:) needs a count of 0 or more") }
            try interpreter.checkCollectionSize(count, at: nil)
            try interpreter.reserve(count, at: nil)
            // Copies share the element's storage, but everything that walks the array reaches each.
            let (_, reached) = values[0].reach()
            let (total, overflow) = (reached + 1).multipliedReportingOverflow(by: count)
            guard !overflow, total <= Value.maximumReachableElements else {
                throw ScriptError("Array(repeating:count:) would hold more than \(Value.maximumReachableElements) "
                                  + "elements in all (\(count) copies of a value holding \(reached))")
            }
            try context.checkpoint(steps: count / 16)
            return .array(Array(repeating: values[0], count: count))
        }
        let source = try arguments.bind(["_"])[0]
        return .array(try interpreter.elements(of: source, at: nil))
    }

    /// `min(a, b, ...)`, `max(a, b, ...)`: Ints, Doubles (an Int beside a Double counts as one,
    /// as a literal would in Swift) or Strings.
    static func extreme(_ arguments: Arguments, name: String) throws -> Value {
        guard arguments.count >= 2, arguments.labels.allSatisfy({ $0 == nil }) else {
            throw ScriptError("\(name) takes two or more unlabelled values")
        }
        var values = arguments.values
        if values.contains(where: { if case .double = $0 { true } else { false } }) {
            values = try values.map { .double(try $0.asDouble("\(name) argument")) }
        }
        var best = values[0]
        for value in values.dropFirst() {
            let isBetter: Bool
            switch (best, value) {
            case (.int(let a), .int(let b)): isBetter = name == "min" ? b < a : b > a
            case (.double(let a), .double(let b)): isBetter = name == "min" ? b < a : b > a
            case (.string(let a), .string(let b)): isBetter = name == "min" ? b < a : b > a
            default: throw ScriptError("cannot compare \(best.typeName) and \(value.typeName) in \(name)")
            }
            if isBetter { best = value }
        }
        return best
    }

    static func absolute(_ arguments: Arguments, _ context: any ScriptContext) throws -> Value {
        let value = try arguments.bind(["_"])[0]
        switch value {
        case .int(let number):
            guard number != Int.min else { throw ScriptError("arithmetic overflow: abs(\(number)) does not fit in an Int") }
            return .int(Swift.abs(number))
        case .double(let number): return .double(Swift.abs(number))
        default: throw value.mismatch("abs(_:)", expected: "Int or Double")
        }
    }

    static func zip(_ arguments: Arguments, _ context: any ScriptContext) throws -> Value {
        guard let interpreter = context as? Interpreter else { throw ScriptError("zip needs the interpreter") }
        let values = try arguments.bind(["_", "_"])
        let first = try interpreter.elements(of: values[0], at: nil)
        let second = try interpreter.elements(of: values[1], at: nil)
        return .array(Swift.zip(first, second).map { .tuple([TupleElement($0), TupleElement($1)]) })
    }

    static func assert(_ arguments: Arguments, _ context: any ScriptContext) throws -> Value {
        let values = try arguments.bind(["_", BuiltinParameter("_", default: .string(""))])
        guard try values[0].asBool("condition") else {
            let message = values[1].description
            throw ScriptError(message.isEmpty ? "Assertion failed" : "Assertion failed: \(message)")
        }
        return .void
    }
}
