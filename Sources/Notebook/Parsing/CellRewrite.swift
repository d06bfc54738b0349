import Foundation

/// A notebook's text with some cells' code replaced (an edit written back to the lesson, a
/// student's fork downloaded): only those cells' code lines change; the prose, the fences,
/// the `//|` option lines, the other cells and the file's line endings stay byte for byte.
///
/// The code is text from whoever typed it. It is refused when it would change the notebook's
/// structure (a line that closes the fence, which would turn the rest of the code into prose),
/// and every rewrite is checked by parsing the result again: the same cells, the edited ones
/// with exactly the new code, the others untouched.
public enum CellRewrite {
    public struct Refusal: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// `text` (the notebook file as read) with each cell in `edits` (0-based index -> code)
    /// holding the new code.
    /// - Throws: `Refusal` saying why the text cannot hold the edit.
    public static func apply(_ edits: [Int: String], to text: String) throws(Refusal) -> String {
        guard !edits.isEmpty else { return text }
        let document = NotebookParser.parse(text: text)
        let cells = document.cells
        if text.contains("\r"), text.replacingOccurrences(of: "\r\n", with: "").contains("\r") {
            throw Refusal(description: "the notebook ends lines with a lone CR: edit it in a text editor instead")
        }
        // By UTF-16 units, not Characters: "\r\n" is one Character, which a split at "\n" would not cut.
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
            .map { String(String.UnicodeScalarView($0)) }
        // Later cells first, so earlier line numbers still hold.
        for (index, code) in edits.sorted(by: { $0.key > $1.key }) {
            guard cells.indices.contains(index) else {
                throw Refusal(description: "there is no cell \(index): cells are numbered 0 to \(cells.count - 1)")
            }
            let cell = cells[index]
            let code = tidy(code)
            if let line = code.split(separator: "\n", omittingEmptySubsequences: false).first(where: closesFence) {
                throw Refusal(description: "cell \(index + 1)'s code has a line that would end the cell: \(line.prefix(40))")
            }
            let old = cell.source.isEmpty ? 0 : cell.source.split(separator: "\n", omittingEmptySubsequences: false).count
            let first = cell.firstLine - 1
            guard first >= 0, first + old <= lines.count else {
                throw Refusal(description: "cell \(index + 1) is not where the notebook says it is")
            }
            let crlf = lines[max(first - 1, 0)].hasSuffix("\r")
            let indent = String(repeating: " ", count: cell.columnShifts.first ?? 0)
            let new = code.isEmpty ? [] : code.split(separator: "\n", omittingEmptySubsequences: false)
                .map { indent + $0 + (crlf ? "\r" : "") }
            lines.replaceSubrange(first..<(first + old), with: new)
        }
        let result = lines.joined(separator: "\n")
        try check(result, against: cells, edits: edits)
        return result
    }

    /// The code as the file will hold it: LF line endings, no newline at its end.
    static func tidy(_ code: String) -> String {
        var code = NotebookParser.normalized(code)
        while code.hasSuffix("\n") { code.removeLast() }
        return code
    }

    /// A line that a Markdown reader would take for a closing fence (or a new one).
    static func closesFence(_ line: Substring) -> Bool {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        return trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~")
    }

    /// `options` without the lines they were read from: an edit that adds or removes lines moves
    /// every later cell's options, and only what they say must stay the same.
    private static func located(_ options: CellOptions) -> CellOptions {
        var moved = options
        for index in moved.checks.indices { moved.checks[index].line = 0 }
        for index in moved.unknown.indices { moved.unknown[index].line = 0 }
        return moved
    }

    /// Parses `text` again: the same cells, in order, with the edited code where asked.
    private static func check(_ text: String, against cells: [Cell], edits: [Int: String]) throws(Refusal) {
        let again = NotebookParser.parse(text: text).cells
        guard again.count == cells.count else {
            throw Refusal(description: "the edit would change how many cells the notebook has")
        }
        for (index, cell) in again.enumerated() {
            let expected = edits[index].map(tidy) ?? cells[index].source
            guard cell.source == expected, located(cell.options) == located(cells[index].options) else {
                throw Refusal(description: "the edit of cell \(index + 1) cannot be written without changing the notebook around it")
            }
        }
    }
}
