import Notebook

/// Converts prose `MarkdownNode` trees to HTML. Every text and attribute goes through
/// `HTML.escape`; URLs go through `URLPolicy`, so the page never loads or links to the network;
/// raw HTML is emitted only when the notebook opts in with `allow-raw-html: true`.
struct MarkdownHTML {
    let allowRawHTML: Bool
    /// Heading ids from `HeadingAnchors`, consumed in document order.
    private let headingIDs: [String]
    private var nextHeading = 0
    /// Footnote label (case-folded) -> its number, in order of first appearance.
    private var footnoteNumbers: [String: Int] = [:]
    private var referencedFootnotes: Set<String> = []

    /// The values of inline expressions (`{swift} expr`), and where the current block's are.
    private let inlineValues: [InlineKey: InlineResult]
    private var blockLine = 0
    private var inlineOrdinal = 0

    /// The tooltip of an inline expression without a value.
    private let pendingNote: String

    init(allowRawHTML: Bool, headingIDs: [String], inlineValues: [InlineKey: InlineResult] = [:],
         pendingNote: String = "not evaluated: the run stopped before it") {
        self.allowRawHTML = allowRawHTML
        self.headingIDs = headingIDs
        self.inlineValues = inlineValues
        self.pendingNote = pendingNote
    }

    /// Written labels for the current block's footnote references, consumed in order.
    private var referenceLabels: [String] = []

    /// Appends the HTML for a prose block to `html`. With `skippingTitle`, the block's first
    /// node (the lesson's `#` title, already shown in the report's header) is left out.
    /// `before` may add markup ahead of each top-level node (the served page's slide breaks).
    mutating func render(_ block: ProseBlock, skippingTitle: Bool = false, into html: inout String,
                         before: (MarkdownNode) -> String = { _ in "" }) {
        referenceLabels = FootnoteLabels.referenceLabels(in: block) ?? []
        blockLine = block.lines.lowerBound
        inlineOrdinal = 0
        for (position, node) in block.nodes.enumerated() {
            if skippingTitle, position == 0 {
                _ = takeHeadingID(for: node)
                continue
            }
            html += before(node)
            render(node, tight: false, into: &html)
        }
    }

    /// `tight` is true inside the items of a tight list, where paragraphs lose their `<p>`.
    private mutating func render(_ node: MarkdownNode, tight: Bool, into html: inout String) {
        switch node.kind {
        case .document, .unknown:
            renderChildren(node, tight: tight, into: &html)
        case .heading(let level):
            let clamped = min(max(level, 1), 6)
            html += "<h\(clamped) id=\"\(HTML.escape(takeHeadingID(for: node)))\">"
            renderChildren(node, into: &html)
            html += "</h\(clamped)>\n"
        case .paragraph:
            if tight {
                renderChildren(node, into: &html)
            } else {
                wrap("p", node, into: &html, newline: true)
            }
        case .text(let text):
            html += HTML.escape(text)
        case .emphasis:
            wrap("em", node, into: &html)
        case .strong:
            wrap("strong", node, into: &html)
        case .strikethrough:
            wrap("del", node, into: &html)
        case .codeSpan(let code):
            if let inline = InlineExpression.code(of: code) {
                renderInline(inline, into: &html)
            } else {
                html += "<code>\(HTML.escape(code))</code>"
            }
        case .codeBlock(let info, let literal):
            renderCodeBlock(info: info, literal: literal, into: &html)
        case .link(let url, let title):
            renderLink(node, url: url, title: title, into: &html)
        case .image(let url, let title):
            renderImage(node, url: url, title: title, into: &html)
        case .list(let ordered, let start, let isTight):
            let tag = ordered ? "ol" : "ul"
            let startAttribute = ordered && start != 1 ? " start=\"\(start)\"" : ""
            let taskClass = node.children.contains { if case .taskItem = $0.kind { return true } else { return false } }
                ? " class=\"task-list\"" : ""
            html += "<\(tag)\(startAttribute)\(taskClass)>\n"
            for child in node.children {
                render(child, tight: isTight, into: &html)
            }
            html += "</\(tag)>\n"
        case .item:
            html += "<li>"
            renderChildren(node, tight: tight, into: &html)
            html += "</li>\n"
        case .taskItem(let checked):
            html += "<li class=\"task\"><input type=\"checkbox\" disabled\(checked ? " checked" : "")> "
            renderChildren(node, tight: tight, into: &html)
            html += "</li>\n"
        case .blockQuote:
            html += "<blockquote>\n"
            renderChildren(node, into: &html)
            html += "</blockquote>\n"
        case .thematicBreak:
            html += "<hr>\n"
        case .table(let alignments):
            renderTable(node, alignments: alignments, into: &html)
        case .tableRow, .tableCell:
            // Only reached for rows or cells outside a table, which cmark never produces.
            renderChildren(node, into: &html)
        case .footnoteReference(let cmarkLabel):
            let label = referenceLabels.isEmpty ? cmarkLabel : referenceLabels.removeFirst()
            let number = footnoteNumber(label)
            let key = label.lowercased()
            let slug = HeadingAnchors.slug(label)
            let idAttribute = referencedFootnotes.insert(key).inserted ? " id=\"footnote_ref_\(HTML.escape(slug))\"" : ""
            html += "<sup class=\"footnote-ref\"><a href=\"#footnote_\(HTML.escape(slug))\"\(idAttribute)>\(number)</a></sup>"
        case .footnoteDefinition(let label):
            let number = footnoteNumber(label)
            let slug = HTML.escape(HeadingAnchors.slug(label))
            html += "<div class=\"footnote\" id=\"footnote_\(slug)\"><span class=\"footnote-number\">\(number).</span>\n"
            renderChildren(node, into: &html)
            html += "<a class=\"footnote-back\" href=\"#footnote_ref_\(slug)\" aria-label=\"Back to the text\">↩</a></div>\n"
        case .htmlBlock(let raw):
            if allowRawHTML { html += raw }
        case .htmlInline(let raw):
            if allowRawHTML { html += raw }
        case .softBreak:
            html += "\n"
        case .lineBreak:
            html += "<br>\n"
        }
    }

    /// Text and soft breaks are gathered first, so math written across a line break is one formula.
    private mutating func renderChildren(_ node: MarkdownNode, tight: Bool = false, into html: inout String) {
        var rendered = ""
        MathSpans.runs(of: node.children, text: { Self.renderText($0, into: &rendered) },
                       other: { render($0, tight: tight, into: &rendered) })
        html += rendered
    }

    /// Prose text with its math as MathML; TeX the page cannot draw stays as code, with why.
    static func renderText(_ text: String, into html: inout String) {
        for segment in MathSpans.split(text) {
            switch segment {
            case .text(let plain):
                html += HTML.escape(plain)
            case .math(let tex, let display):
                do {
                    html += try TeXMath.mathML(tex, display: display)
                } catch {
                    let written = display ? "$$\(tex)$$" : "$\(tex)$"
                    html += "<code class=\"math-unsupported\" title=\"\(HTML.escape(error.description))\">\(HTML.escape(written))</code>"
                }
            }
        }
    }

    private mutating func wrap(_ tag: String, _ node: MarkdownNode, into html: inout String, newline: Bool = false) {
        html += "<\(tag)>"
        renderChildren(node, into: &html)
        html += newline ? "</\(tag)>\n" : "</\(tag)>"
    }

    private mutating func takeHeadingID(for node: MarkdownNode) -> String {
        defer { nextHeading += 1 }
        guard nextHeading < headingIDs.count else { return "heading-\(nextHeading + 1)" }
        return headingIDs[nextHeading]
    }

    private mutating func footnoteNumber(_ label: String) -> Int {
        let key = label.lowercased()
        if let number = footnoteNumbers[key] { return number }
        let number = footnoteNumbers.count + 1
        footnoteNumbers[key] = number
        return number
    }

    /// Swift fences in prose (inside a list, say) are highlighted like cells; others are plain.
    /// An inline expression's value as text in the sentence (its code in the tooltip), its
    /// error in place, or its code marked "not evaluated" when the run stopped before it.
    private mutating func renderInline(_ code: String, into html: inout String) {
        let key = InlineKey(blockLine: blockLine, ordinal: inlineOrdinal)
        inlineOrdinal += 1
        let tooltip = HTML.escape("{swift} " + code)
        let place = "data-inline=\"\(key.attribute)\""
        switch inlineValues[key] {
        case .text(let text):
            html += "<span class=\"inline-value\" \(place) title=\"\(tooltip)\">\(HTML.escape(text))</span>"
        case .failed(_, let rendered):
            let firstLine = rendered.split(separator: "\n").first.map(String.init) ?? rendered
            html += "<code class=\"inline-error\" \(place) title=\"\(HTML.escape(rendered))\">\(HTML.escape(firstLine))</code>"
        case nil:
            html += "<code class=\"inline-pending\" \(place) title=\"\(HTML.escape(pendingNote))\">\(tooltip)</code>"
        }
    }

    private func renderCodeBlock(info: String, literal: String, into html: inout String) {
        let language = info.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? ""
        if language == "swift" {
            html += "<pre class=\"code source\" tabindex=\"0\"><code class=\"language-swift\">"
            html += SwiftHighlighter.html(for: literal)
            html += "</code></pre>\n"
            return
        }
        let languageClass = language.isEmpty ? "" : " class=\"language-\(HTML.escape(language))\""
        html += "<pre class=\"code\" tabindex=\"0\"><code\(languageClass)>\(HTML.escape(literal))</code></pre>\n"
    }

    private mutating func renderLink(_ node: MarkdownNode, url: String, title: String, into html: inout String) {
        let titleAttribute = title.isEmpty ? "" : " title=\"\(HTML.escape(title))\""
        switch URLPolicy.classify(url) {
        case .local, .mail:
            html += "<a href=\"\(HTML.escape(url))\"\(titleAttribute)>"
            renderChildren(node, into: &html)
            html += "</a>"
        case .remote, .inlineImage:
            html += "<span class=\"external-link\"\(titleAttribute)>"
            renderChildren(node, into: &html)
            html += " <span class=\"url\">(\(URLPolicy.displayText(url)))</span></span>"
        case .unsafe:
            html += "<span class=\"unsafe-link\">"
            renderChildren(node, into: &html)
            html += "</span>"
        }
    }

    /// Remote images are not loaded: their alt text stands in, with the address as text.
    private func renderImage(_ node: MarkdownNode, url: String, title: String, into html: inout String) {
        let alt = HTML.escape(node.plainText)
        switch URLPolicy.classify(url) {
        case .local, .inlineImage:
            let titleAttribute = title.isEmpty ? "" : " title=\"\(HTML.escape(title))\""
            html += "<img src=\"\(HTML.escape(url))\" alt=\"\(alt)\"\(titleAttribute)>"
        case .remote:
            html += "<span class=\"image-offline\">[image: \(alt)] <span class=\"url\">(\(URLPolicy.displayText(url)))</span></span>"
        case .mail, .unsafe:
            html += "<span class=\"image-offline\">[image: \(alt)]</span>"
        }
    }

    private mutating func renderTable(_ node: MarkdownNode, alignments: [MarkdownNode.Alignment],
                                      into html: inout String) {
        html += "<div class=\"table-wrap\"><table>\n"
        let header = node.children.filter { if case .tableRow(header: true) = $0.kind { return true } else { return false } }
        let body = node.children.filter { if case .tableRow(header: true) = $0.kind { return false } else { return true } }
        if !header.isEmpty {
            html += "<thead>\n"
            for row in header { renderRow(row, cellTag: "th", alignments: alignments, into: &html) }
            html += "</thead>\n"
        }
        if !body.isEmpty {
            html += "<tbody>\n"
            for row in body { renderRow(row, cellTag: "td", alignments: alignments, into: &html) }
            html += "</tbody>\n"
        }
        html += "</table></div>\n"
    }

    private mutating func renderRow(_ row: MarkdownNode, cellTag: String, alignments: [MarkdownNode.Alignment],
                                    into html: inout String) {
        html += "<tr>"
        for (column, cell) in row.children.enumerated() {
            let alignment = column < alignments.count ? alignments[column] : .none
            let style: String
            switch alignment {
            case .none: style = ""
            case .left: style = " style=\"text-align: left\""
            case .center: style = " style=\"text-align: center\""
            case .right: style = " style=\"text-align: right\""
            }
            html += "<\(cellTag)\(style)>"
            renderChildren(cell, into: &html)
            html += "</\(cellTag)>"
        }
        html += "</tr>\n"
    }
}
