/// Cell code written to hit limits: values nested by a loop, chains of closures that recurse on
/// call, huge strings and arrays, runaway recursion and loops, and source shapes that strain the
/// parser (bracket runs, deep generics, long member chains, nested interpolation). The cell
/// language must refuse or finish each under its time, step, memory and nesting limits.
enum HostileCode {
    static func statement(_ g: inout Generation, code: inout CellCodeGenerator) -> String {
        let n = g.random.chance(0.7) ? String(g.random.int(1...2_000)) : g.random.pick(["100_000", "1_000_000", "50_000_000"])
        let name = g.fresh("h")
        switch g.random.int(0...15) {
        case 0: return "var \(name): [Any] = []\nfor _ in 0..<\(n) { \(name) = [\(name)] }\nprint(\(name).count)"
        case 1: return "var \(name): [Any] = []\nfor _ in 0..<\(n) { \(name) = [\(name)] }\n\(name)"
        case 2: return "var \(name) = { 0 }\nfor _ in 0..<\(n) { let g = \(name); \(name) = { g() + 1 } }\nprint(\(name)())"
        case 3: return "print(Array(repeating: \"ab\", count: \(n)).joined(separator: \"-\").count)"
        case 4: return "let \(name) = String(repeating: \"x\", count: \(g.random.pick(["1 << 40", "Int.max", n, "-1"])))\nprint(\(name).count)"
        case 5: return "let \(name) = Array(repeating: Array(repeating: 1, count: \(n)), count: \(n))\nprint(\(name).count)"
        case 6: return "func \(name)(_ n: Int) -> Int { \(name)(n + 1) }\nprint(\(name)(0))"
        case 7: return "while true { }"
        case 8: return "var \(name) = \"x\"\nfor _ in 0..<\(n) { \(name) = \"\\(\(name))\\(\(name))\" }\nprint(\(name).count)"
        case 9: return "var \(name): [String: Any] = [:]\nfor _ in 0..<\(n) { \(name) = [\"k\": \(name)] }\nprint(\(name))"
        case 10: return "let \(name) = (0..<\(n)).map { \"\\($0)\" }\n\(name)"
        case 11: return "var \(name) = (1, 2)\nprint(\(name))\n\(String(repeating: "(", count: g.random.int(1...3000)))1"
        case 12: return nestedInterpolation(&g)
        case 13: return "let \(name) = \(memberChain(&g))"
        case 14: return "let \(name): \(deepGeneric(&g)) = []"
        default: return "print(\(String(repeating: g.random.pick(["[", "[/**/", "{", "(", "[(", "\\("]), count: g.random.int(1...5000))))"
        }
    }

    /// `"\("\("...")")"` nested `depth` deep.
    static func nestedInterpolation(_ g: inout Generation) -> String {
        var text = "\"x\""
        for _ in 0..<g.random.int(1...(g.random.chance(0.8) ? 20 : 400)) {
            text = "\"a\\(\(text))b\""
        }
        return "print(\(text))"
    }

    /// `[1].first.map { $0 }...` or `x.a.b.c...` many members long.
    static func memberChain(_ g: inout Generation) -> String {
        let count = g.random.int(1...(g.random.chance(0.8) ? 50 : 5_000))
        let link = g.random.pick([".count.description", ".self", ".description", "?.description", ".a"])
        return "[1, 2]" + String(repeating: link, count: count)
    }

    /// `Array<Array<...<Int>...>>` many levels deep (a type the cell language may refuse).
    static func deepGeneric(_ g: inout Generation) -> String {
        let depth = g.random.int(1...(g.random.chance(0.8) ? 30 : 3_000))
        return String(repeating: "Array<", count: depth) + "Int" + String(repeating: ">", count: depth)
    }

    /// Swift the cell language does not support: it must be named, never run.
    static func unsupported(_ g: inout Generation) -> String {
        g.random.pick([
            "struct P { var x: Int }", "class C {}", "enum E { case a }", "protocol Q {}", "import Foundation",
            "defer { print(1) }", "func g<T>(_ x: T) -> T { x }", "let x = await f()", "actor A {}",
            "extension Int { var twice: Int { self * 2 } }", "@main struct M {}", "#if DEBUG\nprint(1)\n#endif",
            "let p = UnsafeMutablePointer<Int>.allocate(capacity: 1)", "try! { throw E.a }()", "do { throw 1 } catch { }",
            "let f: () async -> Int = { 1 }", "indirect enum T { case leaf }", "precedencegroup P {}",
            "infix operator +++", "subscript(i: Int) -> Int { i }", "let \\u{0} = 1", "let `class` = 1\nprint(`class`)",
            "macro m() = #externalMacro(module: \"A\", type: \"B\")", "#sourceLocation(file: \"x\", line: 1)",
            "let k = 1 as! String", "if #available(macOS 99, *) { }", "let r = /regex/", "let s = #\"raw\\(1)\"#",
            "let t = \"\"\"\nmulti\n\"\"\"", "let (a, b, c) = (1, 2)", "inout x = 1", "_ = 1", "let _ = [1][0]",
        ])
    }
}
