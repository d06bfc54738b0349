/// Expressions of each kind, and the statements that change names already bound.
extension CellCodeGenerator {
    /// An expression meant to have `kind`; `depth` bounds its nesting. Sometimes it is wrong on
    /// purpose (a name of another kind, a bad index), so the interpreter's errors are exercised too.
    mutating func expression(_ kind: Kind, _ g: inout Generation, depth: Int) -> String {
        if g.random.chance(0.35), let name = name(of: kind, &g) { return name }
        if depth > 3 { return leaf(kind, &g) }
        switch kind {
        case .int: return intExpression(&g, depth: depth)
        case .double: return doubleExpression(&g, depth: depth)
        case .string: return stringExpression(&g, depth: depth)
        case .bool:
            let a = expression(.int, &g, depth: depth + 1)
            let b = expression(.int, &g, depth: depth + 1)
            return g.random.pick(["\(a) < \(b)", "\(a) == \(b)", "!(\(a) >= \(b))", "\(a) != \(b) && true",
                                  "\(a) > \(b) || false", "Double.nan == Double.nan", "\"a\" < \"b\""])
        case .ints:
            let parts = (0..<g.random.int(0...4)).map { _ in expression(.int, &g, depth: depth + 1) }
            return g.random.pick(["[\(parts.joined(separator: ", "))]", "Array(0..<\(g.random.int(0...9)))",
                                  "[3, 1, 2].sorted()", "(1...5).map { $0 * $0 }", "[1, 2, 3].filter { $0 > 1 }",
                                  "[[1, 2], [3]].flatMap { $0 }", "Array([1, 2, 3].reversed())"])
        case .strings:
            return g.random.pick(["[\"a\", \"b\"]", "[String]()", "\"a b c\".split(separator: \" \").map { String($0) }",
                                  "[1, 2].map { \"\\($0)\" }", "Array(repeating: \"x\", count: 3)"])
        case .dict:
            return g.random.pick(["[\"a\": 1, \"b\": 2]", "[:]", "[\"a\": 1, \"a\": 2]", "Dictionary(uniqueKeysWithValues: [(\"k\", 1)])"])
        default:
            return leaf(kind, &g)
        }
    }

    private mutating func intExpression(_ g: inout Generation, depth: Int) -> String {
        let a = expression(.int, &g, depth: depth + 1)
        let b = expression(.int, &g, depth: depth + 1)
        let ints = name(of: .ints, &g) ?? "[1, 2, 3]"
        let dict = name(of: .dict, &g) ?? "[\"a\": 1]"
        return g.random.pick([
            "\(a) + \(b)", "\(a) * \(b)", "\(a) - \(b)", "\(a) / \(b)", "\(a) % \(b)", "(\(a)) &+ \(b)", "-(\(a))",
            "\(ints).count", "\(ints)[\(b)]", "\(ints).reduce(0, +)", "\(dict)[\"a\"] ?? \(a)", "abs(\(a))",
            "max(\(a), \(b))", "Int(\(expression(.double, &g, depth: depth + 1)))", "\(a) << \(b)", "\(a) >> 1",
            "Int(\"\(g.random.int(-5...5))\") ?? 0", "\(ints).first ?? 0", "\(expression(.string, &g, depth: depth + 1)).count",
            "(\(a), \(b)).1", "\(ints).firstIndex(of: \(a)) ?? -1",
        ])
    }

    private mutating func doubleExpression(_ g: inout Generation, depth: Int) -> String {
        let a = expression(.double, &g, depth: depth + 1)
        let b = expression(.double, &g, depth: depth + 1)
        return g.random.pick(["\(a) + \(b)", "\(a) / \(b)", "sqrt(\(a))", "pow(\(a), \(b))", "exp(\(a))", "log(\(a))",
                              "Double(\(expression(.int, &g, depth: depth + 1)))", "(\(a)).rounded()", "\(a) * 1e300"])
    }

    private mutating func stringExpression(_ g: inout Generation, depth: Int) -> String {
        let a = expression(.string, &g, depth: depth + 1)
        let n = expression(.int, &g, depth: depth + 1)
        let strings = name(of: .strings, &g) ?? "[\"x\", \"y\"]"
        return g.random.pick([
            "\(a) + \(a)", "\"\\(\(n)) and \\(\(a))\"", "\"\\(\"\\(\(n))\")\"", "String(\(n))", "\(strings).joined(separator: \", \")",
            "\(a).uppercased()", "String(\(a).reversed())", "\(a).replacingOccurrences(of: \"a\", with: \"b\")",
            "String(repeating: \(a), count: \(g.random.int(0...5)))", "\(g.markerExpression())", "\"\\(\(strings))\"",
            "\(a).hasPrefix(\"a\") ? \"yes\" : \"no\"", "\"\(g.markerTag().replacingOccurrences(of: "\"", with: "\\\""))\" + \(a)",
        ])
    }

    /// A literal or fixed expression of `kind`.
    mutating func leaf(_ kind: Kind, _ g: inout Generation) -> String {
        switch kind {
        case .int: return g.random.chance(0.7) ? String(g.random.int(-3...20)) : g.random.pick(HostileValues.integers)
        case .double: return g.random.pick(HostileValues.doubles)
        case .string: return g.random.pick(HostileValues.strings)
        case .bool: return g.random.pick(["true", "false"])
        case .ints: return "[1, 2, 3]"
        case .strings: return "[\"a\"]"
        case .dict: return "[\"a\": 1]"
        case .closure: return "{ (x: Int) in x }"
        case .tensor: return "zeros(shape: [2, 2])"
        case .model, .corpus: return "nil"
        }
    }

    /// A statement that changes a bound name: `+=`, `append`, subscript assignment.
    mutating func mutation(_ g: inout Generation) -> String {
        let value = expression(.int, &g, depth: 2)
        if let ints = name(of: .ints, &g) {
            return g.random.pick(["\(ints).append(\(value))", "\(ints)[\(value)] = 1", "\(ints) += [\(value)]",
                                  "\(ints).removeAll()", "\(ints).insert(0, at: \(value))", "\(ints).removeLast()"])
        }
        if let dict = name(of: .dict, &g) {
            return g.random.pick(["\(dict)[\"z\"] = \(value)", "\(dict)[\"a\", default: 0] += 1", "\(dict)[\"a\"] = nil"])
        }
        if let int = name(of: .int, &g) { return "\(int) += \(value)" }
        return "var \(g.fresh("m")) = 0"
    }

    /// Optionals: `??`, `if let`, optional chaining, force unwrapping nil.
    mutating func optionals(_ g: inout Generation) -> String {
        let name = g.fresh("o")
        let value = g.random.chance(0.5) ? "nil" : expression(.int, &g, depth: 2)
        let use = g.random.pick(["print(\(name) ?? -1)", "if let u = \(name) { print(u) } else { print(\"none\") }",
                                 "print(\(name)!)", "print(\(name).map { $0 + 1 } as Any)",
                                 "guard let w = \(name) else { print(\"nil\") }", "print(\(name)?.description ?? \"-\")"])
        return "let \(name): Int? = \(value)\n\(use)"
    }
}
