/// A problem that does not stop the notebook: an unknown option, an empty cell, odd front matter.
public struct NotebookWarning: Equatable, Sendable, CustomStringConvertible {
    public var message: String
    /// 1-based notebook-file line.
    public var line: Int
    /// 1-based column (in characters) of what the warning is about, when known.
    public var column: Int?
    public var file: String?

    public init(_ message: String, line: Int, column: Int? = nil, file: String? = nil) {
        self.message = message
        self.line = line
        self.column = column
        self.file = file
    }

    /// `file:line:column: warning: message` (or `file:line:` without a column), the form
    /// compilers use.
    public var description: String {
        "\(file ?? "<notebook>"):\(line):" + (column.map { "\($0):" } ?? "") + " warning: \(message)"
    }
}
