import SwiftSyntax

/// Maps positions in one cell's syntax tree to places in the notebook file.
///
/// swift-syntax counts lines from the cell's first line; the notebook file has
/// the cell's fence and the text above it before that, so every line is shifted
/// by `firstLine - 1`. Columns are UTF-8 byte columns, as swift-syntax counts them.
struct CellSourceMap {
    let converter: SourceLocationConverter
    let firstLine: Int
    /// Columns to add on each line of the cell (0-based by cell line): what the Markdown
    /// parser stripped from the front of the file's line (a fence indented 1-3 spaces).
    let columnShifts: [Int]
    /// The end of the cell's text without its trailing line breaks. An error at the
    /// very end of a cell (a missing `}`) is shown there, at the end of the last line,
    /// rather than on the line after the cell, which is the notebook's closing fence.
    private let end: (line: Int, column: Int)

    init(tree: SourceFileSyntax, source: String, firstLine: Int, columnShifts: [Int] = []) {
        self.converter = SourceLocationConverter(fileName: "cell", tree: tree)
        self.firstLine = firstLine
        self.columnShifts = columnShifts
        let bytes = Array(source.utf8)
        var length = bytes.count
        while length > 0, bytes[length - 1] == UInt8(ascii: "\n") || bytes[length - 1] == UInt8(ascii: "\r") {
            length -= 1
        }
        let place = converter.location(for: AbsolutePosition(utf8Offset: length))
        self.end = (place.line, place.column)
    }

    /// Where `node` starts, after its leading whitespace and comments.
    func location(of node: some SyntaxProtocol) -> CellScript.SourceLocation {
        location(at: node.positionAfterSkippingLeadingTrivia)
    }

    func location(at position: AbsolutePosition) -> CellScript.SourceLocation {
        let place = converter.location(for: position)
        var line = Swift.max(place.line, 1)
        var column = Swift.max(place.column, 1)
        if line > end.line {
            (line, column) = end
        }
        let shift = line - 1 < columnShifts.count ? columnShifts[line - 1] : 0
        return CellScript.SourceLocation(line: line + firstLine - 1, column: column + shift)
    }
}
