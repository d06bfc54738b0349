import Notebook

/// Where prose holds math: `$$...$$` (displayed) and `$...$` (in the line), the syntax Jupyter
/// and Quarto use. A `$` opens inline math only before a character that is not a space, and
/// closes it only after one that is not a space and before one that is not a digit, so
/// "costs $5 and $10" stays text.
public enum MathSpans {
    public enum Segment: Equatable {
        case text(String)
        case math(String, display: Bool)
    }

    /// How far a `$` or `$$` looks for its closing mark: a formula is never longer, and text
    /// full of unmatched dollars is read in linear time.
    static let reach = 20_000

    /// Walks `children` as pages read prose for math: consecutive text and soft breaks are one
    /// run of text (a formula may be written across a line break), and every other child (a
    /// code span, emphasis, a link) comes on its own, so math is never looked for in code.
    public static func runs(of children: [MarkdownNode], text: (String) -> Void, other: (MarkdownNode) -> Void) {
        var run = ""
        for child in children {
            switch child.kind {
            case .text(let piece):
                run += piece
            case .softBreak:
                run += "\n"
            default:
                text(run)
                run = ""
                other(child)
            }
        }
        text(run)
    }

    public static func split(_ text: String) -> [Segment] {
        guard text.contains("$") else { return [.text(text)] }
        let characters = Array(text)
        let count = characters.count
        // One pass from the end: where the next `$$`, and the next `$` that may close inline
        // math, are from each position; so text full of unmatched dollars is read in linear time.
        var nextDouble = [Int](repeating: -1, count: count + 2)
        var nextClose = [Int](repeating: -1, count: count + 2)
        for index in stride(from: count - 1, through: 0, by: -1) {
            nextDouble[index] = index + 1 < count && characters[index] == "$" && characters[index + 1] == "$"
                ? index : nextDouble[index + 1]
            let closes = characters[index] == "$" && index > 0 && !characters[index - 1].isWhitespace
                && (index + 1 >= count || !characters[index + 1].isNumber)
            nextClose[index] = closes ? index : nextClose[index + 1]
        }
        var segments: [Segment] = []
        var plain = ""
        var index = 0
        func flush() {
            if !plain.isEmpty { segments.append(.text(plain)) }
            plain = ""
        }
        while index < count {
            let character = characters[index]
            guard character == "$" else {
                plain.append(character)
                index += 1
                continue
            }
            if index + 1 < count, characters[index + 1] == "$", case let close = nextDouble[index + 2], close >= 0,
               close - index <= reach {
                let tex = String(characters[(index + 2)..<close]).trimmingSpaces()
                if !tex.isEmpty {
                    flush()
                    segments.append(.math(tex, display: true))
                    index = close + 2
                    continue
                }
            }
            if index + 1 < count, !characters[index + 1].isWhitespace, characters[index + 1] != "$",
               case let close = nextClose[index + 1], close >= 0, close - index <= reach {
                flush()
                segments.append(.math(String(characters[(index + 1)..<close]), display: false))
                index = close + 1
                continue
            }
            plain.append(character)
            index += 1
        }
        flush()
        return segments
    }
}

extension String {
    func trimmingSpaces() -> String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text.removeFirst() }
        while text.last?.isWhitespace == true { text.removeLast() }
        return String(text)
    }
}
