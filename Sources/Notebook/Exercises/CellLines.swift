/// Where a cell's lines are in its notebook's text, for tools that rewrite one cell and leave
/// every other byte of the file alone (the student handout, grading).
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
        let trimmed = line.trimmingWhitespace()
        guard trimmed.hasPrefix(CellOptionsParser.marker) else { return nil }
        let body = trimmed.dropFirst(CellOptionsParser.marker.count)
        guard let colon = body.firstIndex(of: ":") else { return nil }
        return String(body[..<colon].trimmingWhitespace())
    }
}

extension NotebookDocument {
    /// The text as the parser saw it (byte order mark dropped, CRLF as LF), split into lines, so
    /// cells' line numbers index it.
    static func lines(of text: String) -> [Substring] {
        var body = text
        if body.hasPrefix("\u{FEFF}") { body.removeFirst() }
        body = body.replacing("\r\n", with: "\n")
        return body.split(separator: "\n", omittingEmptySubsequences: false)
    }
}
