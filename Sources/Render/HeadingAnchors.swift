import Notebook

/// Anchor ids for every prose heading, assigned once in document order, and the table of
/// contents drawn from them. The Markdown renderer walks the same nodes in the same order and
/// takes the ids one by one, so the TOC and the headings always agree.
struct HeadingAnchors {
    /// A heading the table of contents lists.
    struct Entry {
        var level: Int
        var text: String
        var id: String
    }

    /// Ids of all headings (any level), in document order.
    private(set) var ids: [String] = []
    /// Level 2 and 3 headings, in document order.
    private(set) var contents: [Entry] = []

    /// Walks the prose of `document`; `reserved` are ids the page already uses (cells, footer),
    /// so a heading called "Cell 3" cannot collide with the cell anchored at `cell-3`.
    init(document: NotebookDocument, reserved: Set<String>) {
        var used = reserved
        for block in document.blocks {
            guard case .prose(let prose) = block else { continue }
            for node in prose.nodes.flatMap(\.allNodes) {
                guard case .heading(let level) = node.kind else { continue }
                let text = node.plainText
                let id = Self.unique(Self.slug(text), in: &used)
                ids.append(id)
                if level == 2 || level == 3 {
                    contents.append(Entry(level: level, text: text, id: id))
                }
            }
        }
    }

    /// Lowercase letters and digits of any script, runs of anything else become one `-`;
    /// `section` when nothing is left.
    static func slug(_ text: String) -> String {
        var result = ""
        var pendingDash = false
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                if pendingDash && !result.isEmpty { result.append("-") }
                pendingDash = false
                result.append(character)
            } else {
                pendingDash = true
            }
        }
        return result.isEmpty ? "section" : result
    }

    /// `base`, or `base-2`, `base-3`, ... whichever is free; records the one returned.
    static func unique(_ base: String, in used: inout Set<String>) -> String {
        var candidate = base
        var counter = 2
        while used.contains(candidate) {
            candidate = "\(base)-\(counter)"
            counter += 1
        }
        used.insert(candidate)
        return candidate
    }

    /// The nested `<nav>` list, or an empty string when there are no level 2/3 headings.
    func tableOfContentsHTML() -> String {
        guard !contents.isEmpty else { return "" }
        var html = "<nav class=\"toc\" aria-label=\"Contents\">\n<h2 class=\"toc-title\">Contents</h2>\n<ul>\n"
        var insideSublist = false
        var openItem = false
        for entry in contents {
            let link = "<a href=\"#\(HTML.escape(entry.id))\">\(HTML.escape(entry.text))</a>"
            if entry.level == 3 && openItem {
                if !insideSublist {
                    html += "\n<ul>\n"
                    insideSublist = true
                }
                html += "<li>\(link)</li>\n"
                continue
            }
            if insideSublist {
                html += "</ul>\n"
                insideSublist = false
            }
            if openItem { html += "</li>\n" }
            html += "<li>\(link)"
            openItem = true
        }
        if insideSublist { html += "</ul>\n" }
        if openItem { html += "</li>\n" }
        html += "</ul>\n</nav>\n"
        return html
    }
}
