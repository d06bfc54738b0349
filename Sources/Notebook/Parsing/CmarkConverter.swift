import CCmarkGFM

/// Parses Markdown with cmark-gfm and its GFM extensions and converts the C tree, once, into
/// `MarkdownNode`s. The only file that imports `CCmarkGFM`: no C type leaves it.
enum CmarkConverter {
    /// The GFM extensions every notebook gets.
    private static let extensionNames = ["table", "strikethrough", "autolink", "tasklist"]

    /// Parses `markdown` and returns its document node; lines are those of `markdown`.
    /// Returns an empty document if cmark cannot allocate (it never fails on input).
    static func parse(_ markdown: String) -> MarkdownNode {
        cmark_gfm_core_extensions_ensure_registered()
        let options = CMARK_OPT_SOURCEPOS | CMARK_OPT_FOOTNOTES
        guard let parser = cmark_parser_new(options) else { return MarkdownNode(kind: .document) }
        defer { cmark_parser_free(parser) }
        for name in extensionNames {
            if let syntaxExtension = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, syntaxExtension)
            }
        }
        var text = markdown
        text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                if let base = chars.baseAddress { cmark_parser_feed(parser, base, chars.count) }
            }
        }
        guard let root = cmark_parser_finish(parser) else { return MarkdownNode(kind: .document) }
        defer { cmark_node_free(root) }
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false)
        return convert(root, lines: lines, depth: 0)
    }

    /// Deeper Markdown (thousands of nested `>` on one line, say) is cut off here, so
    /// converting it and walking the result can never exhaust the stack.
    static let maximumDepth = 256

    private static func convert(_ node: OpaquePointer, lines: [Substring], depth: Int) -> MarkdownNode {
        var children: [MarkdownNode] = []
        var child = depth < maximumDepth ? cmark_node_first_child(node) : nil
        while let current = child {
            children.append(convert(current, lines: lines, depth: depth + 1))
            child = cmark_node_next(current)
        }
        var nodeKind = kind(of: node)
        if case .footnoteDefinition = nodeKind {
            nodeKind = .footnoteDefinition(label: footnoteLabel(of: node, lines: lines))
        }
        return MarkdownNode(kind: nodeKind, children: children,
                            startLine: Int(cmark_node_get_start_line(node)),
                            endLine: Int(cmark_node_get_end_line(node)))
    }

    private static func kind(of node: OpaquePointer) -> MarkdownNode.Kind {
        switch cmark_node_get_type(node) {
        case CMARK_NODE_DOCUMENT: return .document
        case CMARK_NODE_BLOCK_QUOTE: return .blockQuote
        case CMARK_NODE_LIST:
            return .list(ordered: cmark_node_get_list_type(node) == CMARK_ORDERED_LIST,
                         start: Int(cmark_node_get_list_start(node)),
                         tight: cmark_node_get_list_tight(node) != 0)
        case CMARK_NODE_ITEM:
            // The tasklist extension marks items rather than giving them a type of their own.
            if typeName(node) == "tasklist" {
                return .taskItem(checked: cmark_gfm_extensions_get_tasklist_item_checked(node))
            }
            return .item
        case CMARK_NODE_CODE_BLOCK:
            return .codeBlock(info: string(cmark_node_get_fence_info(node)),
                              literal: string(cmark_node_get_literal(node)))
        case CMARK_NODE_HTML_BLOCK: return .htmlBlock(string(cmark_node_get_literal(node)))
        case CMARK_NODE_PARAGRAPH: return .paragraph
        case CMARK_NODE_HEADING: return .heading(level: Int(cmark_node_get_heading_level(node)))
        case CMARK_NODE_THEMATIC_BREAK: return .thematicBreak
        case CMARK_NODE_FOOTNOTE_DEFINITION:
            return .footnoteDefinition(label: string(cmark_node_get_literal(node)))
        case CMARK_NODE_TEXT: return .text(string(cmark_node_get_literal(node)))
        case CMARK_NODE_SOFTBREAK: return .softBreak
        case CMARK_NODE_LINEBREAK: return .lineBreak
        case CMARK_NODE_CODE: return .codeSpan(string(cmark_node_get_literal(node)))
        case CMARK_NODE_HTML_INLINE: return .htmlInline(string(cmark_node_get_literal(node)))
        case CMARK_NODE_EMPH: return .emphasis
        case CMARK_NODE_STRONG: return .strong
        case CMARK_NODE_LINK:
            return .link(url: string(cmark_node_get_url(node)), title: string(cmark_node_get_title(node)))
        case CMARK_NODE_IMAGE:
            return .image(url: string(cmark_node_get_url(node)), title: string(cmark_node_get_title(node)))
        case CMARK_NODE_FOOTNOTE_REFERENCE:
            return .footnoteReference(label: string(cmark_node_get_literal(node)))
        default:
            return extensionKind(of: node)
        }
    }

    /// Extension node types are registered at run time, so they are told apart by name.
    private static func extensionKind(of node: OpaquePointer) -> MarkdownNode.Kind {
        let name = typeName(node)
        switch name {
        case "table": return .table(alignments: alignments(of: node))
        case "table_header": return .tableRow(header: true)
        case "table_row":
            return .tableRow(header: cmark_gfm_extensions_get_table_row_is_header(node) != 0)
        case "table_cell": return .tableCell
        case "strikethrough": return .strikethrough
        default: return .unknown(typeName: name)
        }
    }

    /// cmark-gfm's public API does not expose a definition's label, so it is read from the
    /// `[^label]:` that opens the definition in the source.
    private static func footnoteLabel(of node: OpaquePointer, lines: [Substring]) -> String {
        let lineIndex = Int(cmark_node_get_start_line(node)) - 1
        guard lines.indices.contains(lineIndex) else { return "" }
        let line = lines[lineIndex]
        guard let open = line.firstRange(of: "[^"),
              let close = line[open.upperBound...].firstRange(of: "]:") else { return "" }
        return String(line[open.upperBound..<close.lowerBound])
    }

    private static func alignments(of table: OpaquePointer) -> [MarkdownNode.Alignment] {
        let columns = Int(cmark_gfm_extensions_get_table_columns(table))
        guard let raw = cmark_gfm_extensions_get_table_alignments(table) else {
            return Array(repeating: .none, count: columns)
        }
        return (0..<columns).map { column in
            switch raw[column] {
            case UInt8(ascii: "l"): return .left
            case UInt8(ascii: "c"): return .center
            case UInt8(ascii: "r"): return .right
            default: return .none
            }
        }
    }

    private static func typeName(_ node: OpaquePointer) -> String {
        string(cmark_node_get_type_string(node))
    }

    private static func string(_ pointer: UnsafePointer<CChar>?) -> String {
        guard let pointer else { return "" }
        return String(cString: pointer)
    }
}
