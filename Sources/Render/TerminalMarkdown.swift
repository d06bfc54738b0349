import Notebook

/// How terminal text is drawn: its width and whether ANSI styles are used (only on a
/// terminal, and never with `NO_COLOR` set; the caller decides).
public struct TerminalStyle: Sendable {
    public var width: Int
    public var colour: Bool

    public init(width: Int = 80, colour: Bool = false) {
        self.width = max(width, 20)
        self.colour = colour
    }

    /// `text` wrapped in the SGR `code` (e.g. "1" bold, "2" dim) when colour is on.
    public func styled(_ text: String, _ code: String) -> String {
        colour && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}

/// Prose for `lesson step`: headings, emphasis, lists, inline code, code blocks, tables,
/// links and quotes as terminal text, wrapped to the width. Raw HTML is left out.
public enum TerminalMarkdown {
    /// The block's text, ending with a newline (empty for a block with nothing to show).
    public static func render(_ block: ProseBlock, style: TerminalStyle) -> String {
        var lines: [String] = []
        for node in block.nodes {
            let rendered = TerminalBlocks(style: style).lines(for: node, width: style.width)
            guard !rendered.isEmpty else { continue }
            if !lines.isEmpty { lines.append("") }
            lines += rendered
        }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    /// Number of columns `text` takes, not counting ANSI escape sequences.
    static func visibleWidth(_ text: String) -> Int {
        var width = 0
        var inEscape = false
        for scalar in text.unicodeScalars {
            if inEscape {
                if scalar == "m" { inEscape = false }
            } else if scalar == "\u{1B}" {
                inEscape = true
            } else if !(0x0300...0x036F).contains(scalar.value) {
                width += 1
            }
        }
        return width
    }

    /// Greedy word wrap of styled text to `width` columns; each line starts with `first`
    /// (the first line) or `rest` (the others). Hard breaks (`\n`) are kept.
    static func wrap(_ text: String, width: Int, first: String = "", rest: String = "") -> [String] {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = lines.isEmpty ? first : rest
            var lineWidth = visibleWidth(line)
            var lineHasWords = false
            for word in paragraph.split(separator: " ") {
                let wordWidth = visibleWidth(String(word))
                if lineHasWords, lineWidth + 1 + wordWidth > width {
                    lines.append(line)
                    line = rest
                    lineWidth = visibleWidth(rest)
                    lineHasWords = false
                }
                if lineHasWords {
                    line += " "
                    lineWidth += 1
                }
                line += word
                lineWidth += wordWidth
                lineHasWords = true
            }
            lines.append(line)
        }
        return lines
    }
}

/// Block-level layout for `TerminalMarkdown`.
private struct TerminalBlocks {
    let style: TerminalStyle

    func lines(for node: MarkdownNode, width: Int) -> [String] {
        switch node.kind {
        case .heading(let level):
            let text = inline(node.children)
            let title = style.styled(text, level <= 2 ? "1;4" : "1")
            switch level {
            case 1: return [title, String(repeating: "═", count: min(TerminalMarkdown.visibleWidth(text), width))]
            case 2: return [title, String(repeating: "─", count: min(TerminalMarkdown.visibleWidth(text), width))]
            default: return [title]
            }
        case .paragraph:
            return TerminalMarkdown.wrap(inline(node.children), width: width)
        case .codeBlock(let info, let literal):
            let language = info.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? ""
            let body = literal.hasSuffix("\n") ? String(literal.dropLast()) : literal
            let shown = language == "swift" ? SwiftHighlighter.ansi(for: body, colour: style.colour)
                : style.styled(body, "2")
            return shown.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
        case .list(let ordered, let start, _):
            var result: [String] = []
            for (offset, item) in node.children.enumerated() {
                var marker = ordered ? "\(start + offset). " : "• "
                if case .taskItem(let checked) = item.kind { marker += checked ? "[x] " : "[ ] " }
                result += itemLines(item, marker: marker, width: width)
            }
            return result
        case .blockQuote:
            return node.children.flatMap { lines(for: $0, width: width - 2) }.map { style.styled("│", "2") + " " + $0 }
        case .thematicBreak:
            return [style.styled(String(repeating: "─", count: width), "2")]
        case .table:
            return table(node)
        case .footnoteDefinition(let label):
            let body = node.children.flatMap { lines(for: $0, width: width - 4) }
            guard let first = body.first else { return [] }
            return ["[\(label)] " + first] + body.dropFirst().map { "    " + $0 }
        case .htmlBlock:
            return []
        case .document, .unknown, .item, .taskItem:
            return node.children.flatMap { lines(for: $0, width: width) }
        default:
            return TerminalMarkdown.wrap(inline([node]), width: width)
        }
    }

    /// A list item: the marker on its first line, later lines indented under its text.
    private func itemLines(_ item: MarkdownNode, marker: String, width: Int) -> [String] {
        let indent = String(repeating: " ", count: marker.count)
        var result: [String] = []
        for child in item.children {
            for line in lines(for: child, width: width - marker.count) {
                result.append((result.isEmpty ? marker : indent) + line)
            }
        }
        return result.isEmpty ? [marker.trimmingTrailingSpaces()] : result
    }

    /// Columns padded to their widest cell, `│` between them, a rule under the header.
    private func table(_ node: MarkdownNode) -> [String] {
        guard case .table(let alignments) = node.kind else { return [] }
        let rows = node.children.map { row in row.children.map { inline($0.children) } }
        let columns = rows.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], TerminalMarkdown.visibleWidth(cell)) }
        }
        var lines: [String] = []
        for (rowIndex, row) in rows.enumerated() {
            let cells = (0..<columns).map { index -> String in
                let text = index < row.count ? row[index] : ""
                let padding = widths[index] - TerminalMarkdown.visibleWidth(text)
                let alignment = index < alignments.count ? alignments[index] : .none
                switch alignment {
                case .right: return String(repeating: " ", count: padding) + text
                case .center: return String(repeating: " ", count: padding / 2) + text
                    + String(repeating: " ", count: padding - padding / 2)
                case .left, .none: return text + String(repeating: " ", count: padding)
                }
            }
            lines.append(cells.joined(separator: " │ "))
            if rowIndex == 0, case .tableRow(header: true) = node.children[0].kind {
                lines.append(widths.map { String(repeating: "─", count: $0) }.joined(separator: "─┼─"))
            }
        }
        return lines
    }

    /// Inline nodes as one styled string (soft breaks become spaces).
    /// Math (`$...$`, `$$...$$`) reads as text: σ(x), (a)/(b), x².
    private func inline(_ nodes: [MarkdownNode]) -> String {
        var result = ""
        MathSpans.runs(of: nodes, text: { run in
            for segment in MathSpans.split(run) {
                switch segment {
                case .text(let plain): result += plain.replacingOccurrences(of: "\n", with: " ")
                case .math(let tex, _):
                    result += (try? TeXMath.text(tex)) ?? "$\(tex.replacingOccurrences(of: "\n", with: " "))$"
                }
            }
        }, other: { result += inline($0) })
        return result
    }

    private func inline(_ node: MarkdownNode) -> String {
        switch node.kind {
        case .text(let text): return text
        case .codeSpan(let code): return style.colour ? style.styled(code, "36") : "`\(code)`"
        case .emphasis: return style.styled(inline(node.children), "3")
        case .strong: return style.styled(inline(node.children), "1")
        case .strikethrough:
            let text = inline(node.children)
            return style.colour ? style.styled(text, "9") : "~~\(text)~~"
        case .link(let url, _):
            let text = inline(node.children)
            return text == url ? style.styled(url, "4") : text + " " + style.styled("<\(url)>", "2")
        case .image(let url, _):
            return "[image: \(node.plainText)] " + style.styled("<\(url)>", "2")
        case .footnoteReference(let label): return "[\(label)]"
        case .softBreak: return " "
        case .lineBreak: return "\n"
        case .htmlInline: return ""
        default: return inline(node.children)
        }
    }
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        String(self.reversed().drop(while: { $0 == " " }).reversed())
    }
}
