/// Where prose holds math: `$$...$$` (displayed) and `$...$` (in the line), the syntax Jupyter
/// and Quarto use. A `$` opens inline math only before a character that is not a space, and
/// closes it only after one that is not a space and before one that is not a digit, so
/// "costs $5 and $10" stays text.
public enum MathSpans {
    public enum Segment: Equatable {
        case text(String)
        case math(String, display: Bool)
    }

    public static func split(_ text: String) -> [Segment] {
        guard text.contains("$") else { return [.text(text)] }
        let characters = Array(text)
        var segments: [Segment] = []
        var plain = ""
        var index = 0
        func flush() {
            if !plain.isEmpty { segments.append(.text(plain)) }
            plain = ""
        }
        while index < characters.count {
            let character = characters[index]
            guard character == "$" else {
                plain.append(character)
                index += 1
                continue
            }
            if index + 1 < characters.count, characters[index + 1] == "$",
               let close = find("$$", in: characters, from: index + 2) {
                let tex = String(characters[(index + 2)..<close]).trimmingSpaces()
                if !tex.isEmpty {
                    flush()
                    segments.append(.math(tex, display: true))
                    index = close + 2
                    continue
                }
            }
            if index + 1 < characters.count, !characters[index + 1].isWhitespace, characters[index + 1] != "$",
               let close = inlineClose(in: characters, from: index + 1) {
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

    private static func find(_ marker: String, in characters: [Character], from start: Int) -> Int? {
        let pattern = Array(marker)
        var index = start
        while index + pattern.count <= characters.count {
            if Array(characters[index..<(index + pattern.count)]) == pattern { return index }
            index += 1
        }
        return nil
    }

    private static func inlineClose(in characters: [Character], from start: Int) -> Int? {
        var index = start
        while index < characters.count {
            if characters[index] == "$", index > start, !characters[index - 1].isWhitespace,
               index + 1 >= characters.count || !characters[index + 1].isNumber {
                return index
            }
            index += 1
        }
        return nil
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
