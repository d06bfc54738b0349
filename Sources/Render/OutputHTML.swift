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
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.count > 1, lines.last?.isEmpty == true { lines.removeLast() }
        guard lines.count > collapseAbove else {
            html += "<pre class=\"\(cssClass)\">\(HTML.escape(lines.joined(separator: "\n")))</pre>\n"
            return
        }
        let hidden = lines.count - headLines - tailLines
        html += "<div class=\"long-output\">\n<details><summary>Show all \(lines.count) lines</summary>\n"
        html += "<pre class=\"\(cssClass)\">\(HTML.escape(lines.joined(separator: "\n")))</pre>\n</details>\n"
        html += "<pre class=\"\(cssClass) long-preview\">"
        html += HTML.escape(lines.prefix(headLines).joined(separator: "\n"))
        html += "\n<span class=\"elided\">… \(hidden) more lines …</span>\n"
        html += HTML.escape(lines.suffix(tailLines).joined(separator: "\n"))
        html += "</pre>\n</div>\n"
    }
}
