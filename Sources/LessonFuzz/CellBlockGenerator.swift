/// A cell as a notebook writes it: the opening fence (``` or ~~~, 3 to 6 long, an info string,
/// maybe indented), the `//|` option lines, the code and a closing fence that is sometimes
/// missing, too short or of the other kind; sometimes inside a list, a quote or another fence.
enum CellBlockGenerator {
    static func block(code: String, options: [String], _ g: inout Generation) -> String {
        let mark: Character = g.random.chance(0.8) ? "`" : "~"
        let length = g.random.chance(0.85) ? 3 : g.random.int(3...6)
        let fence = String(repeating: mark, count: length)
        let info = g.random.chance(0.8) ? "swift" : g.random.pick(["swift x", "swift title=\"T\"", "Swift", " swift", "swift{.x}",
                                                                  "swift\tx", "swiftx", "python", "", "swift `", "SWIFT", "swift swift"])
        let indent = g.random.chance(0.9) ? "" : String(repeating: " ", count: g.random.int(1...4))
        var lines = [indent + fence + info] + options + code.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        switch g.random.weighted([40, 2, 2, 2, 1, 1]) {
        case 0: lines.append(indent + fence)
        case 1: break
        case 2: lines.append(String(repeating: mark, count: max(length - 1, 1)))
        case 3: lines.append(String(repeating: mark == "`" ? "~" : "`", count: length))
        case 4: lines.append(fence + " trailing")
        default: lines.append(fence + String(mark))
        }
        switch g.random.weighted([30, 2, 2, 1]) {
        case 0: return lines.joined(separator: "\n")
        case 1: return contained(lines, first: g.random.pick(["- ", "1. ", "* "]), rest: "   ")
        case 2: return contained(lines, first: "> ", rest: "> ")
        default:
            let outer = String(repeating: mark, count: length + 1)
            return ([outer + g.random.pick(["", "markdown", "swift"])] + lines + [outer]).joined(separator: "\n")
        }
    }

    private static func contained(_ lines: [String], first: String, rest: String) -> String {
        lines.enumerated().map { ($0.offset == 0 ? first : rest) + $0.element }.joined(separator: "\n")
    }

    /// Option lines for a cell; `solution` forces a solution cell with checks over `names`.
    static func options(_ g: inout Generation, solution: Bool, names: [String]) -> [String] {
        var lines: [String] = []
        if solution {
            lines.append("//| solution: true")
            for _ in 0...g.random.int(0...2) { lines.append("//| check: " + check(&g, names: names)) }
        }
        guard g.random.chance(solution ? 0.4 : 0.35) else { return lines }
        for _ in 0...g.random.int(0...4) { lines.append(option(&g, names: names)) }
        return lines
    }

    private static func option(_ g: inout Generation, names: [String]) -> String {
        let prefix = g.random.chance(0.92) ? "//| " : g.random.pick(["//|", "// | ", "//|  ", "///| ", " //| ", "//|\t"])
        let pair: String
        switch g.random.int(0...11) {
        case 0: pair = "label: " + g.random.pick(["train", "", "a: b", "\(g.markerTag())", String(repeating: "L", count: 3000), "🙂"])
        case 1: pair = "timeout: " + g.random.pick(["1", "0", "-1", "0.001", "1e308", "nan", "inf", "abc", "99999999999999999999", "2s", ""])
        case 2, 3: pair = g.random.pick(["echo", "eval", "output", "slide"]) + ": " + boolean(&g)
        case 4: pair = "error: " + g.random.pick(["allow", "expected", "stop", "true", "false", "bogus", ""])
        case 5: pair = "solution: " + boolean(&g)
        case 6, 7: pair = "check: " + check(&g, names: names)
        case 8: pair = "exercise: " + g.random.pick(["1", "2", "0", "-1", "99", "one", "1.5", "1 1", "", "9223372036854775808"])
        case 9: pair = g.random.pick(["unknown: 1", "Label: x", "LABEL: y", "label", ": value", "label:", "label::x"])
        case 10: pair = "label: " + g.random.pick(["x\u{0}y", "\u{1B}[31m", "tab\there"])
        default: pair = "check:"
        }
        return prefix + pair
    }

    private static func boolean(_ g: inout Generation) -> String {
        g.random.pick(["true", "false", "yes", "no", "True", "1", "", "maybe"])
    }

    /// A check expression: often over the names the cell defines, sometimes not an expression.
    static func check(_ g: inout Generation, names: [String]) -> String {
        let name = g.random.pick(names, or: "x")
        return g.random.pick([
            "\(name) == \(g.random.int(0...5))", "\(name) != nil", "true", "false", "1", "\"true\"", "\(name) > 0 && true",
            "", "let x = 1", "{", "print(\"side effect\")", "\(name) = 5", "[\(name)].count == 1", "(\(name))",
            "\(String(repeating: "(", count: g.random.int(1...400)))1", "zeros(shape: [100000, 100000]).shape == []",
            "\(name).count > 0", "{ while true {} }()", "\(g.markerExpression()) == \"\"",
        ])
    }
}
