import SwiftIDEUtils
import SwiftParser
import SwiftSyntax

/// Swift source -> escaped HTML with `<span class="tok-…">` around classified tokens.
///
/// The only file in Render that touches swift-syntax. The parser recovers from any input, so a
/// cell with a syntax error is still highlighted as far as it makes sense.
enum SwiftHighlighter {
    /// The whole of `source`, escaped, with each classified range wrapped in a span; text the
    /// classifier leaves uncovered (or marks `none`) is emitted plain.
    static func html(for source: String) -> String {
        let tree = Parser.parse(source: source)
        let bytes = Array(source.utf8)
        var html = ""
        html.reserveCapacity(bytes.count * 2)
        var cursor = 0
        for range in tree.classifications {
            let start = range.range.lowerBound.utf8Offset
            let end = range.range.upperBound.utf8Offset
            // Ranges are consecutive; anything overlapping or out of bounds is skipped, not trusted.
            guard start >= cursor, start <= end, end <= bytes.count else { continue }
            if start > cursor {
                html += HTML.escape(String(decoding: bytes[cursor..<start], as: UTF8.self))
            }
            let text = HTML.escape(String(decoding: bytes[start..<end], as: UTF8.self))
            if let name = className(range.kind), !text.isEmpty {
                html += "<span class=\"tok-\(name)\">\(text)</span>"
            } else {
                html += text
            }
            cursor = end
        }
        if cursor < bytes.count {
            html += HTML.escape(String(decoding: bytes[cursor...], as: UTF8.self))
        }
        return html
    }

    /// The CSS class suffix for a classification; nil for text left uncoloured.
    static func className(_ kind: SyntaxClassification) -> String? {
        switch kind {
        case .keyword: return "keyword"
        case .identifier, .dollarIdentifier: return "identifier"
        case .type: return "type"
        case .stringLiteral: return "string"
        case .integerLiteral: return "integer"
        case .floatLiteral: return "float"
        case .lineComment, .blockComment, .docLineComment, .docBlockComment: return "comment"
        case .operator: return "operator"
        case .attribute: return "attribute"
        case .regexLiteral: return "regex"
        case .ifConfigDirective: return "directive"
        case .argumentLabel: return "label"
        case .editorPlaceholder: return "placeholder"
        case .none: return nil
        }
    }
}
