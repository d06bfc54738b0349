/// Front matter, valid and broken: titles, authors, params, `data:`, `allow-raw-html`, with odd
/// values, duplicate keys, bad indentation and unterminated blocks. Byte order marks and CRLF
/// line endings are applied to the whole file by `NotebookGenerator`.
enum FrontMatterGenerator {
    /// The front matter lines (with their `---` fences, when any), and whether they ask for raw HTML.
    static func lines(_ g: inout Generation) -> (lines: [String], allowsRawHTML: Bool) {
        guard g.random.chance(0.75) else { return ([], false) }
        var lines = [g.random.chance(0.95) ? "---" : g.random.pick(["--- ", "----", "---\t", "+++"])]
        var raw = false
        for _ in 0...g.random.int(0...6) {
            let entry = self.entry(&g)
            raw = raw || entry.raw
            lines += entry.lines
        }
        switch g.random.weighted([20, 2, 1, 1]) {
        case 0: lines.append("---")
        case 1: break
        case 2: lines.append("...")
        default: lines.append("--- trailing")
        }
        return (lines, raw)
    }

    private static func entry(_ g: inout Generation) -> (lines: [String], raw: Bool) {
        switch g.random.weighted([5, 2, 5, 3, 3, 2]) {
        case 0:
            return (["title: " + value(&g)], false)
        case 1:
            return (["author: " + value(&g)], false)
        case 2:
            return (["params:"] + (0...g.random.int(0...4)).map { _ in param(&g) }, false)
        case 3:
            let folder = g.random.pick(["data", "data-link", "../../canary/ptb", "canary-link/ptb", "/nonexistent",
                                        "~", "\"data\"", "", "..", "/tmp", "./data/", "data\u{0}x"])
            return (["\(g.random.pick(["data", "data-directory", "dataDirectory"])): \(folder)"], false)
        case 4:
            let value = g.random.pick(["true", "false", "yes", "no", "TRUE", "1", "", "maybe"])
            let key = g.random.pick(["allow-raw-html", "allowRawHTML", "allow_raw_html"])
            return (["\(key): \(value)"], value == "true" || value == "yes")
        default:
            return ([g.random.pick(["key without value", ": no key", "  indented: 1", "title", "\t\ttab: x",
                                    "# a comment", "-", "- list item", "title: a\ntitle: b", "{ json: 1 }",
                                    "params: [1, 2]", "&anchor *alias", "!!binary", String(repeating: "k", count: 5000) + ": v"])], false)
        }
    }

    private static func value(_ g: inout Generation) -> String {
        var value = g.random.pick(["My lesson", "\"quoted\"", "'single'", "\"unterminated", "", "  spaced  ",
                                   "a: b: c", "[list]", "null", "🙂 emoji", "<b>bold</b> & co", "\\u0000",
                                   String(repeating: "long ", count: 400), "\u{202E}rtl", "multi\\nline"])
        if g.random.chance(0.3) { value += " " + g.markerTag() }
        return value
    }

    private static func param(_ g: inout Generation) -> String {
        let indent = g.random.pick(["  ", "  ", "    ", "\t", " ", ""])
        let name = g.random.chance(0.8) ? g.random.pick(["epochs", "n", "rate", "name", "flag"])
            : g.random.pick(["class", "1x", "a b", "print", "Int", "zeros", "", "x-y", "_", "é", "let"])
        let value = g.random.pick(["3", "1.5", "-2", "true", "\"text\"", "text", "", "9999999999999999999999", "[1, 2]",
                                   "1; print(\"injected\")", "\"a\" + \"b\"", "nil", "\"\\(1)\"", "0x10", "1e999",
                                   "\"unterminated", "Int.max"])
        return "\(indent)\(name): \(value)"
    }
}
