/// Markdown prose between cells: headings, lists, quotes, tables, links and images with odd
/// paths, raw HTML (with marker tags), footnotes, deep nesting and odd characters.
enum ProseGenerator {
    static func block(_ g: inout Generation) -> String {
        switch g.random.weighted([6, 6, 3, 3, 2, 3, 3, 2, 2, 1, 2]) {
        case 0: return String(repeating: "#", count: g.random.int(1...7)) + " " + inline(&g)
        case 1: return (0...g.random.int(0...3)).map { _ in inline(&g) }.joined(separator: " ")
        case 2: return (0...g.random.int(0...4)).map { _ in g.random.pick(["- ", "* ", "1. ", "2) ", "- [ ] ", "- [x] "]) + inline(&g) }.joined(separator: "\n")
        case 3: return "> " + inline(&g) + "\n> " + inline(&g)
        case 4: return "| a | b |\n|---|:-:|\n| \(inline(&g)) | \(inline(&g)) |" + (g.random.chance(0.3) ? "\n| only one |" : "")
        case 5: return rawHTML(&g)
        case 6: return "Text with a note[^\(g.random.int(1...3))].\n\n[^\(g.random.int(1...3))]: " + inline(&g)
        case 7: return nested(&g)
        case 8: return g.random.pick(["Heading\n=======", "Sub\n---", "***", "    indented code", "<!-- comment -->",
                                      "\\", "[ref]: /url \"title\"", "[ref]", "&#0; &#x110000; &nbsp; &bogus;"])
        case 9: return String(repeating: g.random.pick(["a", "*", "_", "`", "[", "<", "\\", "|", "~"]), count: g.random.int(1...20_000))
        default: return inline(&g) + g.random.pick(["\u{0}", "\u{1B}[2J", "\u{FEFF}", "\u{200B}", "\u{7F}", "\t", "\u{0301}"])
        }
    }

    static func inline(_ g: inout Generation) -> String {
        g.random.pick([
            "Some *emphasis* and **strong** text.", "Inline `code` and ``double `tick``.", "A [link](\(link(&g))).",
            "An image ![alt \(g.markerTag())](\(link(&g))).", "<\(link(&g))>", "~~strike~~ and ==mark==", "Math $x^2$.",
            "A line with trailing spaces  ", "Emoji 🙂 and RTL \u{202E}txet", "www.example.com/path",
            "[link](\(link(&g)) \"title \(g.markerTag())\")", "Text with \(g.markerTag()) inline.", "`\(g.markerTag())`",
            "<span onclick=\"x()\">hi</span>", "[a]: <\(link(&g))>", "![](\(link(&g)))",
            // Inline values: evaluated against the session, so as hostile as a cell.
            "Now `{swift} 6 * 7`.", "`{swift} nope, format: \"%.3f\"`", "`{swift} \"\(g.markerTag())\"`",
            "`{swift} 1.5, format: \"%n%s%s%s\"`", "`{swift} `", "`{swift} (0..<100_000_000).reduce(0, +)`",
            "`{swift} Array(repeating: 0, count: 5_000_000_000).count`", "`{swift} [1, 2][7]`",
        ])
    }

    /// Link targets and image sources: relative, into the canary, scripts, huge, empty.
    static func link(_ g: inout Generation) -> String {
        g.random.pick(["image.png", "../../canary/secret.txt", "canary-link/secret.txt", "/etc/passwd", "javascript:alert(1)",
                       "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>", "http://example.com/x.png",
                       "file:///etc/passwd", "", "#anchor", "%2e%2e/%2e%2e/canary", "a b.png", "vbscript:x",
                       "\\\\server\\share", String(repeating: "a/", count: 2000), "lesson.md", ".hidden", "file-link.safetensors",
                       "\"onmouseover=\"alert(1)", "x\" onerror=\"alert(1)"])
    }

    static func rawHTML(_ g: inout Generation) -> String {
        let tag = g.markerTag()
        let close = tag.lowercased().contains("script") ? "</script>" : "</pre>"
        return g.random.pick([
            "\(tag)alert(1)\(close)", "<div>\n\(tag)\n</div>", "<img src=x onerror=alert(1)>", "<iframe src=\"x\"></iframe>",
            "<style>body{display:none}</style>", "<details><summary>s</summary>\n\n\(tag)\n\n</details>", "</main></body>",
            "<textarea>\(tag)</textarea>", "<!DOCTYPE html>", "<?php echo 1; ?>", "<![CDATA[\(tag)]]>", tag,
        ])
    }

    /// Lists inside quotes inside lists, many levels deep.
    static func nested(_ g: inout Generation) -> String {
        let depth = g.random.int(1...(g.random.chance(0.8) ? 12 : 400))
        var prefix = ""
        for _ in 0..<depth {
            prefix += g.random.pick(["> ", "- ", "1. ", "  "])
        }
        return prefix + inline(&g)
    }
}
