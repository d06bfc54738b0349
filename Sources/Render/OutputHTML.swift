/// Preformatted output blocks, with long ones collapsed: a training log of thousands of lines
/// should not bury the next cell, but the whole text stays in the page.
enum OutputHTML {
    /// Outputs with more lines than this are collapsed.
    static let collapseAbove = 40
    /// Lines kept in view from the start and the end of a collapsed output.
    static let headLines = 15
    static let tailLines = 5

    /// Appends `text` as `<pre class="cssClass">`. Past `collapseAbove` lines, it becomes a
    /// `<details>` holding the whole text, followed by a preview of the first and last lines
    /// that the stylesheet hides once the details are open (and when printing).
    static func pre(_ text: String, cssClass: String, into html: inout String) {
        let body = text.hasSuffix("\n") ? String(text.dropLast()) : text
        let lineCount = HTML.newlineCount(body) + 1
        guard lineCount > collapseAbove else {
            html += "<pre class=\"\(cssClass)\" tabindex=\"0\">\(HTML.escape(body))</pre>\n"
            return
        }
        let hidden = lineCount - headLines - tailLines
        html += "<div class=\"long-output\">\n<details><summary>Show all \(lineCount) lines</summary>\n"
        html += "<pre class=\"\(cssClass)\" tabindex=\"0\">\(HTML.escape(body))</pre>\n</details>\n"
        html += "<pre class=\"\(cssClass) long-preview\">"
        html += HTML.escape(String(head(of: body, lines: headLines)))
        html += "\n<span class=\"elided\">… \(hidden) more lines …</span>\n"
        html += HTML.escape(String(tail(of: body, lines: tailLines)))
        html += "</pre>\n</div>\n"
    }

    /// The first `lines` lines, without the newline after them. Walks only that far.
    static func head(of text: String, lines: Int) -> Substring {
        var end = text.startIndex
        for _ in 0..<lines {
            guard let newline = text[end...].firstIndex(of: "\n") else { return text[...] }
            end = text.index(after: newline)
        }
        return text[..<text.index(before: end)]
    }

    /// The last `lines` lines. Walks back only that far.
    static func tail(of text: String, lines: Int) -> Substring {
        var start = text.endIndex
        for _ in 0..<lines {
            guard let newline = text[..<start].lastIndex(of: "\n") else { return text[...] }
            start = newline
        }
        return text[text.index(after: start)...]
    }
}
