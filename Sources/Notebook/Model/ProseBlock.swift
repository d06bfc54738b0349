/// A run of Markdown between cells: its source text, where it sits, and its converted tree.
public struct ProseBlock: Equatable, Sendable {
    /// The Markdown source of the span, exactly as in the notebook file.
    public var source: String
    /// 1-based notebook-file lines the span covers.
    public var lines: ClosedRange<Int>
    /// The span's top-level nodes, in source order.
    public var nodes: [MarkdownNode]

    public init(source: String, lines: ClosedRange<Int>, nodes: [MarkdownNode]) {
        self.source = source
        self.lines = lines
        self.nodes = nodes
    }
}
