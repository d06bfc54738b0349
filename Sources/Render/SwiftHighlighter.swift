import CellScript
import SwiftIDEUtils
import SwiftSyntax

/// Swift source -> escaped HTML with `<span class="tok-…">` around classified tokens.
///
/// The only file in Render that touches swift-syntax. The parser recovers from any input, so a
/// cell with a syntax error is still highlighted as far as it makes sense; a cell nested too
/// deeply to parse safely (see `GuardedSyntax`) is shown as plain text.
public enum SwiftHighlighter {
    /// The whole of `source`, escaped, with each classified range wrapped in a span; text the
    /// classifier leaves uncovered (or marks `none`) is emitted plain.
    static func html(for source: String) -> String {
        var html = ""
        html.reserveCapacity(source.utf8.count * 2)
        for (text, kind) in segments(of: source) {
            let escaped = HTML.escape(text)
            if let name = kind.flatMap(className), !escaped.isEmpty {
                html += "<span class=\"tok-\(name)\">\(escaped)</span>"
            } else {
                html += escaped
            }
        }
        return html
    }

    /// `source` with ANSI colours for a terminal (keywords magenta, strings green, numbers
    /// yellow, comments dim, types cyan); plain when `colour` is false.
    public static func ansi(for source: String, colour: Bool) -> String {
        guard colour else { return source }
        var text = ""
        for (piece, kind) in segments(of: source) {
            if let code = kind.flatMap(ansiCode) {
                // Colour each line separately, so a multi-line comment does not bleed into a prefix.
                text += piece.split(separator: "\n", omittingEmptySubsequences: false)
                    .map { $0.isEmpty ? "" : "\u{1B}[\(code)m\($0)\u{1B}[0m" }.joined(separator: "\n")
            } else {
                text += piece
            }
        }
        return text
    }

    /// The source cut into consecutive pieces, each with its classification (nil: uncovered).
    /// The pieces joined give `source` back.
    static func segments(of source: String) -> [(text: String, kind: SyntaxClassification?)] {
        // Someone else's text: parsed with the cell parser's guards, on a large stack. Text too
        // deeply nested to parse safely is shown plain.
        let classified = GuardedSyntax.withTree(of: source) { tree in
            tree.classifications.map { (range: $0.range, kind: $0.kind) }
        }
        guard let classified else { return [(source, nil)] }
        let bytes = Array(source.utf8)
        var pieces: [(text: String, kind: SyntaxClassification?)] = []
        var cursor = 0
        for range in classified {
            let start = range.range.lowerBound.utf8Offset
            let end = range.range.upperBound.utf8Offset
            // Ranges are consecutive; anything overlapping or out of bounds is skipped, not trusted.
            guard start >= cursor, start <= end, end <= bytes.count else { continue }
            if start > cursor {
                pieces.append((String(decoding: bytes[cursor..<start], as: UTF8.self), nil))
            }
            pieces.append((String(decoding: bytes[start..<end], as: UTF8.self), range.kind))
            cursor = end
        }
        if cursor < bytes.count {
            pieces.append((String(decoding: bytes[cursor...], as: UTF8.self), nil))
        }
        return pieces
    }

    /// The SGR colour for a classification; nil for text left uncoloured.
    static func ansiCode(_ kind: SyntaxClassification) -> String? {
        switch className(kind) {
        case "keyword": return "35"
        case "string", "regex": return "32"
        case "integer", "float": return "33"
        case "comment": return "2"
        case "type": return "36"
        case "attribute", "directive": return "34"
        default: return nil
        }
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
