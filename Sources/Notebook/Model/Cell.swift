/// A fenced block whose info string's first word is `swift`: code the notebook runs.
public struct Cell: Equatable, Sendable {
    /// The code without the leading `//|` option lines.
    public var source: String
    public var options: CellOptions
    /// Notebook-file line of the first line of `source`, so diagnostics at source line `k`
    /// sit at file line `firstLine + k - 1`.
    public var firstLine: Int
    /// Notebook-file line of the opening fence.
    public var fenceLine: Int
    /// 1-based position among the notebook's cells.
    public var index: Int
    /// The whole info string, e.g. `swift` or `swift title="Training"`.
    public var info: String
    /// Columns the Markdown parser stripped from the front of each line of `source` (a fence
    /// indented 1-3 spaces loses as many from its lines): added back to diagnostics' columns.
    public var columnShifts: [Int] = []

    public init(source: String, options: CellOptions, firstLine: Int, fenceLine: Int, index: Int,
                info: String) {
        self.source = source
        self.options = options
        self.firstLine = firstLine
        self.fenceLine = fenceLine
        self.index = index
        self.info = info
    }
}
