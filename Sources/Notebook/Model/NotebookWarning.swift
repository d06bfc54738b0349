/// A problem that does not stop the notebook: an unknown option, an empty cell, odd front matter.
public struct NotebookWarning: Equatable, Sendable, CustomStringConvertible {
    public var message: String
    /// 1-based notebook-file line.
    public var line: Int
    public var file: String?

    public init(_ message: String, line: Int, file: String? = nil) {
        self.message = message
        self.line = line
        self.file = file
    }

    /// `file:line: warning: message`, the form compilers use.
    public var description: String {
        "\(file ?? "<notebook>"):\(line): warning: \(message)"
    }
}
