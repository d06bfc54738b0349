/// Problems the fuzzer found and reported that are not fixed yet. With `--skip-known`, inputs
/// that contain one are counted and not run, so a long run measures what is still unknown
/// instead of paying for the same hang again and again. Delete an entry once its fix is merged.
struct KnownIssue: Sendable {
    /// A short name for the summary.
    var name: String
    /// Whether `text` (a lesson or a student's file) contains the problem's trigger.
    var matches: @Sendable (String) -> Bool

    static let all: [KnownIssue] = [
        // swift-syntax's lookahead for types (`canParseType` → `canParseTupleBodyType` →
        // `canParseCollectionTypeBody`) backtracks at every `[(`: time grows ~1.7x per level, so a
        // few dozen levels in one cell keep `CellParser.parse` busy for minutes.
        KnownIssue(name: "nested [( parse time") { $0.contains(String(repeating: "[(", count: 12)) },
        // `ParseDiagnosticsGenerator` (swift-syntax, called by `CellParser`) checks each node
        // against an array of handled nodes, so its time is quadratic in a cell's syntax errors:
        // 8,000 stray `\`, `@`, `#` or `a ` on one line take 20-50 s per parse (`\(` longer), 4,000
        // backticks 10 s, and a cell is parsed several times (check, run, highlight).
        KnownIssue(name: "many syntax errors parse time") { text in
            ["\\", "@", "#", "'", "\\(", "`"].contains { longestRun(of: $0, in: text) >= 800 }
        },
        // `Session.snapshot()` (before every cell's checks, around graded answers, `lesson step`)
        // and `Session.exportState()` (the cell cache) walk every element of every array, shared
        // or not, outside the cell's time limit and memory budget: an array of 100,000 copies of
        // one 100,000-element array is 10^10 elements to visit (and to write, for the cache).
        KnownIssue(name: "shared nested arrays walked element by element") { text in
            text.contains("Array(repeating: Array(repeating:")
                && ["100_000)", "1_000_000)", "50_000_000)"].contains { text.contains("count: " + $0) }
        },
        // `Value.typeName` computes each element's type name twice (`commonTypeName`: the first
        // element's, then every element's again), so it doubles per level of nesting; a message
        // about a value nested 30 deep (`h = [h]` in a loop, then `h()`) never finishes.
        KnownIssue(name: "type name of deeply nested values") { text in
            text.contains(": [Any] = []\nfor _ in 0..<") || text.contains(": [String: Any] = [:]\nfor _ in 0..<")
        },
        // swift-syntax traps (`FixIt.swift:97: A Fix-It must have at least one change`): the
        // lexer reports `=` without consistent whitespace when a byte order mark, form feed or
        // vertical tab stands beside it, but the fix-it finds spaces on both sides and has
        // nothing to change. `let x =\u{FEFF} 1` in any cell (or answer) ends the process.
        KnownIssue(name: "FixIt trap beside =") { text in
            ["\u{FEFF}", "\u{0B}", "\u{0C}"].contains { text.contains("=" + $0) || text.contains($0 + "=") }
        },
    ]

    /// How many times `unit` repeats back to back at most in `text`.
    static func longestRun(of unit: String, in text: String) -> Int {
        let unit = Array(unit.utf8)
        let bytes = Array(text.utf8)
        var best = 0
        var position = 0
        while position + unit.count <= bytes.count {
            var run = 0
            while position + unit.count <= bytes.count, bytes[position..<(position + unit.count)].elementsEqual(unit) {
                run += 1
                position += unit.count
            }
            best = max(best, run)
            position += run == 0 ? 1 : 0
        }
        return best
    }

    /// The first known problem `input` contains, if any.
    static func first(in input: FuzzInput) -> KnownIssue? {
        let texts = [input.lesson] + (input.student.map { [$0] } ?? [])
        for bytes in texts {
            let text = String(decoding: bytes, as: UTF8.self)
            if let issue = all.first(where: { $0.matches(text) }) { return issue }
        }
        return nil
    }
}
