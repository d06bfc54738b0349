/// A node of a prose block's Markdown tree, converted once from cmark-gfm so that no C type
/// leaves `CmarkConverter.swift`.
///
/// A struct around a `Kind` enum rather than a bare enum: every node carries its notebook-file
/// lines, and keeping them here avoids repeating them in each case.
public struct MarkdownNode: Equatable, Sendable {
    /// Column alignment of a GFM table.
    public enum Alignment: Equatable, Sendable {
        case none, left, center, right
    }

    /// What the node is. Raw HTML is kept as data; the renderer decides whether to emit it.
    public enum Kind: Equatable, Sendable {
        case document
        case heading(level: Int)
        case paragraph
        case text(String)
        case emphasis
        case strong
        case codeSpan(String)
        case codeBlock(info: String, literal: String)
        case link(url: String, title: String)
        case image(url: String, title: String)
        case list(ordered: Bool, start: Int, tight: Bool)
        case item
        case taskItem(checked: Bool)
        case blockQuote
        case thematicBreak
        case table(alignments: [Alignment])
        case tableRow(header: Bool)
        case tableCell
        case strikethrough
        case footnoteReference(label: String)
        case footnoteDefinition(label: String)
        case htmlBlock(String)
        case htmlInline(String)
        case softBreak
        case lineBreak
        /// A node type cmark-gfm reported that this model does not know (kept so nothing is lost).
        case unknown(typeName: String)
    }

    public var kind: Kind
    public var children: [MarkdownNode]
    /// 1-based notebook-file lines; 0 when cmark gave no position (some inline nodes).
    public var startLine: Int
    public var endLine: Int

    public init(kind: Kind, children: [MarkdownNode] = [], startLine: Int = 0, endLine: Int = 0) {
        self.kind = kind
        self.children = children
        self.startLine = startLine
        self.endLine = endLine
    }

    /// This node and all its descendants, depth first, in document order.
    public var allNodes: [MarkdownNode] {
        var result = [self]
        for child in children { result += child.allNodes }
        return result
    }

    /// The concatenated text of the node's `text` and code-span descendants (headings, alt text).
    public var plainText: String {
        switch kind {
        case .text(let string), .codeSpan(let string): return string
        case .softBreak, .lineBreak: return " "
        default: return children.map(\.plainText).joined()
        }
    }
}
