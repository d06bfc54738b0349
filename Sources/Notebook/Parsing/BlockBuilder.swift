/// Groups a document's top-level Markdown nodes into prose blocks and cells, in file order.
struct BlockBuilder {
    /// The notebook file's lines; file line `n` is `lines[n - 1]`.
    let lines: [Substring]
    private(set) var blocks: [NotebookBlock] = []
    private(set) var warnings: [NotebookWarning] = []
    private var pendingProse: [MarkdownNode] = []
    private var cellCount = 0

    init(lines: [Substring]) {
        self.lines = lines
    }

    mutating func add(_ node: MarkdownNode) {
        if case .codeBlock(let info, let literal) = node.kind, NotebookParser.isCellInfo(info) {
            flushProse()
            addCell(info: info, literal: literal, node: node)
        } else {
            warnAboutNestedCells(in: node)
            pendingProse.append(node)
        }
    }

    /// Closes the prose block being gathered, if any.
    mutating func flushProse() {
        guard !pendingProse.isEmpty else { return }
        defer { pendingProse.removeAll() }
        let starts = pendingProse.map(\.startLine).filter { $0 > 0 }
        let ends = pendingProse.map(\.endLine).filter { $0 > 0 }
        guard let start = starts.min(), var end = ends.max(), start <= end, end <= lines.count else {
            blocks.append(.prose(ProseBlock(source: "", lines: 1...1, nodes: pendingProse)))
            return
        }
        // Containers such as footnote definitions can claim the blank lines after them.
        while end > start, lines[end - 1].allSatisfy(\.isWhitespace) { end -= 1 }
        let source = lines[(start - 1)..<end].joined(separator: "\n")
        blocks.append(.prose(ProseBlock(source: source, lines: start...end, nodes: pendingProse)))
    }

    private mutating func addCell(info: String, literal: String, node: MarkdownNode) {
        cellCount += 1
        let fenceLine = node.startLine
        var code = literal
        if code.hasSuffix("\n") { code.removeLast() }
        let parsed = CellOptionsParser.parse(code: code, firstLine: fenceLine + 1)
        warnings += parsed.warnings
        if parsed.source.allSatisfy(\.isWhitespace) {
            warnings.append(NotebookWarning("cell \(cellCount) is empty", line: fenceLine))
        }
        if !isClosed(fenceLine: fenceLine, endLine: node.endLine) {
            warnings.append(NotebookWarning(
                "the `swift` fence opened here is never closed; the cell runs to the end of the file",
                line: fenceLine))
        }
        var cell = Cell(source: parsed.source, options: parsed.options,
                        firstLine: fenceLine + 1 + parsed.optionLineCount, fenceLine: fenceLine,
                        index: cellCount, info: info)
        cell.columnShifts = columnShifts(fenceLine: fenceLine, firstLine: cell.firstLine, source: cell.source)
        blocks.append(.cell(cell))
    }

    /// What cmark stripped from each code line of a fence indented 1-3 spaces: as many spaces
    /// as the fence's indent, or fewer when the line has fewer. Empty for an unindented fence.
    private func columnShifts(fenceLine: Int, firstLine: Int, source: String) -> [Int] {
        guard fenceLine >= 1, fenceLine <= lines.count else { return [] }
        let indent = lines[fenceLine - 1].prefix { $0 == " " }.count
        guard indent > 0 else { return [] }
        let count = source.split(separator: "\n", omittingEmptySubsequences: false).count
        return (0..<count).map { offset in
            let index = firstLine - 1 + offset
            guard lines.indices.contains(index) else { return 0 }
            return min(indent, lines[index].prefix { $0 == " " }.count)
        }
    }

    /// A block's last line closes it if it is a run of the opening fence's character, as long.
    private func isClosed(fenceLine: Int, endLine: Int) -> Bool {
        guard fenceLine >= 1, endLine > fenceLine, endLine <= lines.count else { return false }
        let opening = lines[fenceLine - 1].trimmingWhitespace()
        guard let fenceCharacter = opening.first else { return false }
        let openingLength = opening.prefix { $0 == fenceCharacter }.count
        let closing = lines[endLine - 1].trimmingWhitespace()
        return closing.count >= openingLength && closing.allSatisfy { $0 == fenceCharacter }
    }

    private mutating func warnAboutNestedCells(in node: MarkdownNode) {
        for inner in node.allNodes {
            if case .codeBlock(let info, _) = inner.kind, NotebookParser.isCellInfo(info) {
                warnings.append(NotebookWarning(
                    "a `swift` fence inside a list or quote is shown, not run; "
                        + "move it to the top level to make it a cell",
                    line: inner.startLine))
            }
        }
    }
}
