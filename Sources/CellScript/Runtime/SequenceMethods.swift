/// The methods every sequence shares (`map`, `filter`, `reduce`, `sorted`, ...),
/// implemented once over the elements as an array. Closures passed in are called
/// through the `ScriptContext`, so they run with the cell's budget and interrupt checks.
extension Interpreter {
    /// A bound method: checks the labels with `Arguments.bind`, then runs `body`.
    func boundMethod(_ name: String, _ parameters: [BuiltinParameter],
                     _ body: @escaping ([Value], Interpreter) throws -> Value) -> Value {
        .builtin(BuiltinFunction(name) { arguments, context in
            let values = try arguments.bind(parameters)
            guard let interpreter = context as? Interpreter else { throw ScriptError("\(name) needs the interpreter") }
            return try body(values, interpreter)
        })
    }

    func sequenceMember(_ elements: @escaping () throws -> [Value], _ name: String) -> Value? {
        switch name {
        case "count": return (try? elements().count).map(Value.int)
        case "isEmpty": return (try? elements().isEmpty).map(Value.bool)
        case "first": return (try? elements()).map { Value.optional($0.first) }
        case "last": return (try? elements()).map { Value.optional($0.last) }
        default: return transformingMethod(elements, name) ?? searchingMethod(elements, name)
        }
    }

    private func transformingMethod(_ elements: @escaping () throws -> [Value], _ name: String) -> Value? {
        switch name {
        case "map":
            return boundMethod("map", ["_"]) { args, run in .array(try elements().map { try run.call(args[0], [$0]) }) }
        case "compactMap":
            return boundMethod("compactMap", ["_"]) { args, run in
                .array(try elements().compactMap { try run.call(args[0], [$0]).unwrapped })
            }
        case "flatMap":
            return boundMethod("flatMap", ["_"]) { args, run in
                .array(try elements().flatMap { try run.elements(of: run.call(args[0], [$0]), at: nil) })
            }
        case "filter":
            return boundMethod("filter", ["_"]) { args, run in
                .array(try elements().filter { try run.predicate(args[0], $0) })
            }
        case "reduce":
            return boundMethod("reduce", ["_", "_"]) { args, run in
                let values = try elements()
                // `doubles.reduce(0, +)`: the literal 0 is a Double in Swift; the call lost that it was a literal.
                var initial = args[0]
                if case .int(let number) = initial, case .double? = values.first { initial = .double(Double(number)) }
                return try values.reduce(initial) { partial, element in
                    let next = try run.call(args[1], [partial, element])
                    try run.checkNesting(next, at: nil)
                    return next
                }
            }
        case "forEach":
            return boundMethod("forEach", ["_"]) { args, run in
                for element in try elements() { _ = try run.call(args[0], [element]) }
                return .void
            }
        default:
            return orderingMethod(elements, name)
        }
    }

    private func orderingMethod(_ elements: @escaping () throws -> [Value], _ name: String) -> Value? {
        switch name {
        case "sorted":
            return boundMethod("sorted", [BuiltinParameter("by", default: .nilValue)]) { args, run in
                .array(try run.sortedValues(elements(), by: args[0]))
            }
        case "reversed": return boundMethod("reversed", []) { _, _ in .array(try elements().reversed()) }
        case "enumerated":
            return boundMethod("enumerated", []) { _, _ in
                .array(try elements().enumerated().map { offset, element in
                    .tuple([TupleElement(label: "offset", .int(offset)), TupleElement(label: "element", element)])
                })
            }
        case "joined":
            return boundMethod("joined", [BuiltinParameter("separator", default: .string(""))]) { args, run in
                let separator = try args[0].asString("separator")
                let parts = try elements().enumerated().map { try $1.asString("element \($0) of joined()") }
                // Sized before it is built: a million copies of a long string must not be joined.
                var length = separator.utf8.count.multipliedReportingOverflow(by: Swift.max(parts.count - 1, 0))
                for part in parts where !length.overflow {
                    length = length.partialValue.addingReportingOverflow(part.utf8.count)
                }
                let size = length.overflow ? Int.max : length.partialValue
                try run.checkCollectionSize(size, at: nil, unit: "bytes")
                try run.reserve(size, of: 1, at: nil)
                return .string(parts.joined(separator: separator))
            }
        default:
            return slicingMethod(elements, name)
        }
    }

    private func slicingMethod(_ elements: @escaping () throws -> [Value], _ name: String) -> Value? {
        func counted(_ name: String, defaultCount: Value?, _ cut: @escaping ([Value], Int) -> ArraySlice<Value>)
            -> Value
        {
            boundMethod(name, [BuiltinParameter("_", default: defaultCount)]) { args, _ in
                let count = try args[0].asInt("\(name) count")
                guard count >= 0 else { throw ScriptError("\(name) needs a count of 0 or more, not \(count)") }
                return .array(Array(cut(try elements(), count)))
            }
        }
        switch name {
        case "prefix": return counted("prefix", defaultCount: nil) { $0.prefix($1) }
        case "suffix": return counted("suffix", defaultCount: nil) { $0.suffix($1) }
        case "dropFirst": return counted("dropFirst", defaultCount: .int(1)) { $0.dropFirst($1) }
        case "dropLast": return counted("dropLast", defaultCount: .int(1)) { $0.dropLast($1) }
        default: return nil
        }
    }

    private func searchingMethod(_ elements: @escaping () throws -> [Value], _ name: String) -> Value? {
        switch name {
        case "contains":
            return .builtin(BuiltinFunction("contains") { arguments, context in
                guard let run = context as? Interpreter else { throw ScriptError("contains needs the interpreter") }
                if let test = arguments.value(labelled: "where") ?? arguments.values.first(where: \.isCallable) {
                    _ = try arguments.bind(["where"])
                    return .bool(try elements().contains { try run.predicate(test, $0) })
                }
                let target = try arguments.bind(["_"])[0]
                return .bool(try elements().contains { try run.equal($0, target) })
            })
        case "first(where:)", "last(where:)":
            return boundMethod(name, ["where"]) { args, run in
                let values = try elements()
                let ordered = name == "first(where:)" ? values : values.reversed()
                for value in ordered {
                    if try run.predicate(args[0], value) { return .optional(value) }
                }
                return .nilValue
            }
        default:
            return findingMethod(elements, name)
        }
    }

    private func findingMethod(_ elements: @escaping () throws -> [Value], _ name: String) -> Value? {
        switch name {
        case "allSatisfy":
            return boundMethod("allSatisfy", ["_"]) { args, run in
                .bool(try elements().allSatisfy { try run.predicate(args[0], $0) })
            }
        case "firstIndex":
            return .builtin(BuiltinFunction("firstIndex") { arguments, context in
                guard let run = context as? Interpreter else { throw ScriptError("firstIndex needs the interpreter") }
                if let test = arguments.value(labelled: "where") ?? arguments.values.first(where: \.isCallable) {
                    _ = try arguments.bind(["where"])
                    return .optional(try elements().firstIndex { try run.predicate(test, $0) }.map(Value.int))
                }
                let target = try arguments.bind(["of"])[0]
                return .optional(try elements().firstIndex { try run.equal($0, target) }.map(Value.int))
            })
        case "min", "max":
            return boundMethod(name, []) { _, run in
                let values = try elements()
                guard var best = values.first else { return .nilValue }
                for value in values.dropFirst() {
                    let better = try (name == "min" ? run.less(value, best) : run.less(best, value))
                    if better { best = value }
                }
                return .optional(best)
            }
        default:
            return nil
        }
    }

    /// Calls a closure that must answer a Bool.
    func predicate(_ function: Value, _ element: Value) throws -> Bool {
        let answer = try call(function, [element])
        guard case .bool(let flag) = answer else {
            throw ScriptError("the closure must return a Bool, not \(answer.typeName)")
        }
        return flag
    }

    func equal(_ a: Value, _ b: Value) throws -> Bool {
        guard let same = a.isEqual(to: b) else {
            throw ScriptError("cannot compare \(a.typeName) and \(b.typeName)")
        }
        return same
    }

    func less(_ a: Value, _ b: Value) throws -> Bool {
        try applyBinary("<", a, b, at: nil).unwrapped.map { try $0.asBool("comparison") } ?? false
    }

    /// `sorted()` by `<`, or `sorted(by:)` with a closure or an operator such as `>`.
    func sortedValues(_ values: [Value], by comparator: Value) throws -> [Value] {
        if comparator.isNil { return try values.sorted { try less($0, $1) } }
        return try values.sorted { try predicate2(comparator, $0, $1) }
    }

    private func predicate2(_ function: Value, _ a: Value, _ b: Value) throws -> Bool {
        let answer = try call(function, [a, b])
        guard case .bool(let flag) = answer else {
            throw ScriptError("the sort closure must return a Bool, not \(answer.typeName)")
        }
        return flag
    }
}
