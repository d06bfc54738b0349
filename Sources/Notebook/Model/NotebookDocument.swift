/// One piece of a notebook, in file order.
public enum NotebookBlock: Equatable, Sendable {
    case prose(ProseBlock)
    case cell(Cell)
}

/// A parameter declared in the front matter, with the default a `--param` can override.
public struct NotebookParam: Equatable, Sendable {
    public var name: String
    public var defaultValue: String
    public var line: Int

    public init(name: String, defaultValue: String, line: Int) {
        self.name = name
        self.defaultValue = defaultValue
        self.line = line
    }
}

/// A parsed notebook: front matter facts, blocks in order, and the non-fatal problems found.
public struct NotebookDocument: Equatable, Sendable {
    /// The file the notebook came from, for messages; nil for text parsed directly.
    public var file: String?
    public var title: String?
    public var author: String?
    /// Parameters in declaration order.
    public var params: [NotebookParam] = []
    /// `data:` in the front matter, as written (relative paths are the runner's business).
    public var dataDirectory: String?
    /// `allow-raw-html: true` lets the renderer emit raw HTML from prose; off by default.
    public var allowRawHTML: Bool = false
    public var blocks: [NotebookBlock] = []
    public var warnings: [NotebookWarning] = []

    public init(file: String? = nil) {
        self.file = file
    }

    /// The cells alone, in order.
    public var cells: [Cell] {
        blocks.compactMap { block in
            if case .cell(let cell) = block { return cell }
            return nil
        }
    }

    /// The default of parameter `name`, if declared.
    public func param(_ name: String) -> String? {
        params.first { $0.name == name }?.defaultValue
    }
}
