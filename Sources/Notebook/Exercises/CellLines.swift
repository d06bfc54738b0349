/// Where a cell's lines are in its notebook's text: for the student handout, which rewrites
/// solution cells and leaves every other byte of the file alone, and for reading a student's
/// answer cells' option lines as written.
struct CellLines {
    /// 0-based indices into the file's lines: the option lines, then the code up to the
    /// closing fence (or the end of the file when the fence is never closed).
    let options: Range<Int>
    let code: Range<Int>

    /// - Parameters:
    ///   - cell: a cell parsed from `lines` (its `fenceLine` and `firstLine` index them).
    ///   - lines: the file's lines, split on "\n".
    init(cell: Cell, lines: [Substring]) {
        let firstOption = min(cell.fenceLine, lines.count)
        let firstCode = min(max(cell.firstLine - 1, firstOption), lines.count)
        options = firstOption..<firstCode
        code = firstCode..<max(firstCode, Self.closingFence(of: cell.fenceLine, from: firstCode, in: lines))
    }

    /// The index of the line that closes the fence opened at 1-based line `fenceLine`, searched
    /// from index `start`: as in CommonMark, a line indented at most 3 spaces made only of the
    /// opening's fence character, at least as many, and trailing blanks.
    private static func closingFence(of fenceLine: Int, from start: Int, in lines: [Substring]) -> Int {
        guard fenceLine >= 1, fenceLine <= lines.count else { return lines.count }
        let opening = lines[fenceLine - 1].trimmingWhitespace()
        guard let fence = opening.first else { return lines.count }
        let length = opening.prefix { $0 == fence }.count
        for index in start..<max(start, lines.count) {
            let text = lines[index]
            let indent = text.prefix { $0 == " " }.count
            let line = text.trimmingWhitespace()
            if indent <= 3, line.count >= length, line.allSatisfy({ $0 == fence }) { return index }
        }
        // Unclosed: the cell runs to the end, not counting the empty piece after a final newline.
        return lines.last?.isEmpty == true ? lines.count - 1 : lines.count
    }

    /// The key of an option line (`//| key: value` -> `key`), nil for other lines.
    static func optionKey(_ line: Substring) -> String? {
        option(line)?.key
    }

    /// The key and value of an option line, read as `CellOptionsParser` reads them; nil for
    /// other lines.
    static func option(_ line: Substring) -> (key: String, value: String)? {
        let trimmed = line.trimmingWhitespace()
        guard trimmed.hasPrefix(CellOptionsParser.marker) else { return nil }
        let body = trimmed.dropFirst(CellOptionsParser.marker.count)
        guard let colon = body.firstIndex(of: ":") else { return nil }
        let value = body[body.index(after: colon)...]
        return (String(body[..<colon].trimmingWhitespace()), String(value.trimmingWhitespace()))
    }

    /// Every option line of the cell with key `key`, as its 1-based file line and its value:
    /// the parser keeps only the last valid one, grading needs to see them all.
    /// - Parameter lines: the lines this was made from.
    func options(named key: String, in lines: [Substring]) -> [(line: Int, value: String)] {
        options.compactMap { index in
            guard lines.indices.contains(index), let option = Self.option(lines[index]), option.key == key else {
                return nil
            }
            return (index + 1, option.value)
        }
    }

    /// The keys of a code block's leading option lines (they end at the first other line, as
    /// in a cell), for code blocks the parser did not take as cells.
    static func leadingOptionKeys(of code: String) -> [String] {
        code.split(separator: "\n", omittingEmptySubsequences: false)
            .prefix { $0.trimmingWhitespace().hasPrefix(CellOptionsParser.marker) }
            .compactMap { optionKey($0) }
    }
}

extension NotebookDocument {
    /// The text as the parser saw it (`NotebookParser.normalized`), split into lines, so cells'
    /// line numbers index it.
    static func lines(of text: String) -> [Substring] {
        NotebookParser.normalized(text).split(separator: "\n", omittingEmptySubsequences: false)
    }
}
