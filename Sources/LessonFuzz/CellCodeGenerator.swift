/// Cell code from a small grammar of the cell language: declarations, loops, functions,
/// closures, collections, optionals, interpolation and prints, over names earlier statements
/// (and earlier cells) defined, so much of it runs past the first line. A share of each cell
/// is hostile on purpose (see `HostileCode`) and a share calls the model API (`ModelAPICode`).
struct CellCodeGenerator {
    /// What a name holds, so expressions use it the way it can be used.
    enum Kind: CaseIterable {
        case int, double, string, bool, ints, strings, dict, closure, tensor, model, corpus
    }

    /// Names bound so far in the notebook's session (as far as the generator knows).
    private(set) var scope: [(name: String, kind: Kind)] = []
    /// How many statements a cell has at most.
    var maxStatements = 7

    /// A whole cell: a few statements, often ending in an expression whose value is displayed.
    mutating func cell(_ g: inout Generation) -> String {
        var lines: [String] = []
        for _ in 0...g.random.int(0...maxStatements) {
            lines.append(statement(&g, depth: 0))
        }
        if g.random.chance(0.4) {
            lines.append(expression(g.random.pick(Kind.allCases, or: .int), &g, depth: 1))
        }
        return lines.joined(separator: "\n")
    }

    /// A name of `kind` from the scope, or nil when there is none.
    func name(of kind: Kind, _ g: inout Generation) -> String? {
        let names = scope.filter { $0.kind == kind }.map(\.name)
        return names.isEmpty ? nil : g.random.pick(names)
    }

    mutating func bind(_ name: String, _ kind: Kind) {
        scope.append((name, kind))
    }

    /// One statement; `depth` bounds nesting of loops and blocks.
    mutating func statement(_ g: inout Generation, depth: Int) -> String {
        let choice = g.random.weighted([10, 6, 3, 3, 3, 3, 2, 2, 3, 2, 6, 8, 2, 1])
        switch choice {
        case 0: return declaration(&g, depth: depth)
        case 1: return "print(\(arguments(&g, depth: depth)))"
        case 2: return depth < 3 ? forLoop(&g, depth: depth) : "print(0)"
        case 3: return depth < 3 ? whileLoop(&g, depth: depth) : "print(1)"
        case 4: return function(&g)
        case 5: return closure(&g)
        case 6: return depth < 3 ? conditional(&g, depth: depth) : "print(2)"
        case 7: return switchStatement(&g)
        case 8: return mutation(&g)
        case 9: return optionals(&g)
        case 10: return HostileCode.statement(&g, code: &self)
        case 11: return ModelAPICode.statement(&g, code: &self)
        case 12: return "print(\(g.markerExpression()))"
        default: return HostileCode.unsupported(&g)
        }
    }

    private mutating func declaration(_ g: inout Generation, depth: Int) -> String {
        let kind = g.random.pick([Kind.int, .double, .string, .bool, .ints, .strings, .dict], or: .int)
        let name = g.fresh("v")
        let keyword = g.random.chance(0.6) ? "let" : "var"
        let annotation = g.random.chance(0.2) ? ": \(typeName(kind))" : ""
        defer { bind(name, kind) }
        return "\(keyword) \(name)\(annotation) = \(expression(kind, &g, depth: depth + 1))"
    }

    func typeName(_ kind: Kind) -> String {
        switch kind {
        case .int: return "Int"
        case .double: return "Double"
        case .string: return "String"
        case .bool: return "Bool"
        case .ints: return "[Int]"
        case .strings: return "[String]"
        case .dict: return "[String: Int]"
        default: return "Int"
        }
    }

    private mutating func arguments(_ g: inout Generation, depth: Int) -> String {
        let count = g.random.int(1...3)
        var parts = (0..<count).map { _ in expression(g.random.pick(Kind.allCases, or: .int), &g, depth: depth + 1) }
        if g.random.chance(0.2) { parts.append("separator: \(g.random.pick(HostileValues.strings))") }
        if g.random.chance(0.1) { parts.append("terminator: \"\"") }
        return parts.joined(separator: ", ")
    }

    private mutating func forLoop(_ g: inout Generation, depth: Int) -> String {
        let variable = g.fresh("i")
        let bound = g.random.chance(0.85) ? String(g.random.int(0...12)) : g.random.pick(HostileValues.integers)
        let range = g.random.pick(["0..<\(bound)", "0...\(bound)", "\(bound)..<0", "stride(from: 0, to: \(bound), by: 2)",
                                   name(of: .ints, &g) ?? "[1, 2, 3]", "(1...\(bound)).reversed()"])
        let body = (0...g.random.int(0...2)).map { _ in "    " + statement(&g, depth: depth + 1) }
        let extra = g.random.chance(0.2) ? ["    if \(variable) > 3 { \(g.random.pick(["break", "continue"])) }"] : []
        return (["for \(variable) in \(range) {"] + extra + body + ["}"]).joined(separator: "\n")
    }

    private mutating func whileLoop(_ g: inout Generation, depth: Int) -> String {
        let counter = g.fresh("k")
        let limit = g.random.chance(0.9) ? String(g.random.int(0...20)) : g.random.pick(["1_000_000_000", "Int.max"])
        let step = g.random.chance(0.95) ? "\(counter) += 1" : "\(counter) += 0"
        let body = statement(&g, depth: depth + 1)
        return "var \(counter) = 0\nwhile \(counter) < \(limit) {\n    \(step)\n    \(body)\n}"
    }

    private mutating func function(_ g: inout Generation) -> String {
        let name = g.fresh("f")
        let base = g.random.pick(["n <= 0", "n < 1", "n == 0", "false", "n > 1_000_000"])
        let call = g.random.chance(0.85) ? String(g.random.int(0...30)) : g.random.pick(["100_000", "10_000_000", "-1"])
        bind(name, .closure)
        return """
            func \(name)(_ n: Int) -> Int {
                if \(base) { return \(g.random.int(0...3)) }
                return n + \(name)(n - 1)
            }
            print(\(name)(\(call)))
            """
    }

    private mutating func closure(_ g: inout Generation) -> String {
        let name = g.fresh("c")
        bind(name, .closure)
        let body = g.random.pick(["x * 2", "x + 1", "x / (x - x)", "[x, x].count", "x &* x", "-x"])
        let closure = "let \(name) = { (x: Int) -> Int in \(body) }"
        let use = g.random.pick(["print(\(name)(\(g.random.pick(HostileValues.integers))))",
                                 "print([1, 2, 3].map(\(name)))", "print((0..<4).map { \(name)($0) }.reduce(0, +))",
                                 "print(\(name))"])
        return closure + "\n" + use
    }

    private mutating func conditional(_ g: inout Generation, depth: Int) -> String {
        let condition = expression(.bool, &g, depth: depth + 1)
        let then = statement(&g, depth: depth + 1)
        let otherwise = statement(&g, depth: depth + 1)
        return "if \(condition) {\n    \(then)\n} else {\n    \(otherwise)\n}"
    }

    private mutating func switchStatement(_ g: inout Generation) -> String {
        let subject = expression(.int, &g, depth: 2)
        return """
            switch \(subject) {
            case 0: print("zero")
            case 1...9: print("small")
            case let n where n < 0: print("negative", n)
            default: print("other")
            }
            """
    }
}
