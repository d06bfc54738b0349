import CellScript

/// `` `{swift} expr` `` in prose (Quarto's inline-code syntax): an expression evaluated in the
/// session as it stands after the cells above it, shown as text in the sentence. An optional
/// `format:` gives a `printf` format for a number: `` `{swift} ppl, format: "%.3f"` ``.
public struct InlineExpression: Equatable, Sendable {
    /// What a code span starts with to be evaluated.
    public static let marker = "{swift}"

    public var key: InlineKey
    /// The code after the marker, trimmed: `ppl, format: "%.3f"`.
    public var code: String
    /// Where the code starts in the notebook file (1-based).
    public var line: Int
    public var column: Int
    /// How many cells come before it: it is evaluated after the last of them.
    public var cellsBefore: Int

    /// The code of an inline expression, if `literal` (a code span's text) is one.
    public static func code(of literal: String) -> String? {
        guard literal.hasPrefix(marker) else { return nil }
        return literal.dropFirst(marker.count).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// An inline expression's place: the first line of its prose block and its order in the block
/// (renderers walk a block's nodes in the same order).
public struct InlineKey: Hashable, Sendable {
    public var blockLine: Int
    public var ordinal: Int

    public init(blockLine: Int, ordinal: Int) {
        self.blockLine = blockLine
        self.ordinal = ordinal
    }
}

/// What an inline expression gave.
public enum InlineResult: Equatable, Sendable {
    /// The text shown in the sentence.
    case text(String)
    /// Why it has no value: the diagnostic, located in the notebook and rendered
    /// compiler-style, and its message alone for the sentence.
    case failed(message: String, rendered: String)
}

extension ProseBlock {
    /// The literals of this block's inline expressions, in the order renderers meet them.
    public var inlineLiterals: [String] {
        nodes.flatMap(\.allNodes).compactMap { node in
            if case .codeSpan(let literal) = node.kind, InlineExpression.code(of: literal) != nil { return literal }
            return nil
        }
    }
}

extension NotebookDocument {
    /// Every inline expression in the prose, in document order.
    public var inlineExpressions: [InlineExpression] {
        var result: [InlineExpression] = []
        var cellsBefore = 0
        for block in blocks {
            switch block {
            case .cell:
                cellsBefore += 1
            case .prose(let prose):
                var searchFrom = prose.source.startIndex
                for (ordinal, literal) in prose.inlineLiterals.enumerated() {
                    let code = InlineExpression.code(of: literal) ?? ""
                    let (line, column) = Self.locate(code, in: prose, from: &searchFrom)
                    result.append(InlineExpression(key: InlineKey(blockLine: prose.lines.lowerBound, ordinal: ordinal),
                                                   code: code, line: line, column: column, cellsBefore: cellsBefore))
                }
            }
        }
        return result
    }

    /// The line and column where `code` next appears after the marker in the block's source;
    /// the block's first line when it cannot be found (a span cut across lines).
    private static func locate(_ code: String, in prose: ProseBlock, from start: inout String.Index) -> (Int, Int) {
        let source = prose.source
        guard let marker = source.range(of: InlineExpression.marker, range: start..<source.endIndex) else {
            return (prose.lines.lowerBound, 1)
        }
        var codeStart = marker.upperBound
        while codeStart < source.endIndex, source[codeStart] == " " { codeStart = source.index(after: codeStart) }
        start = codeStart
        let before = source[..<codeStart]
        let line = prose.lines.lowerBound + before.filter { $0 == "\n" }.count
        let lineStart = before.lastIndex(of: "\n").map { source.index(after: $0) } ?? source.startIndex
        return (line, source[lineStart..<codeStart].utf8.count + 1)
    }
}

extension ProseBlock {
    /// The block with each inline expression's code span replaced by its value as text, its
    /// error (`⚠ ` and the message) as code, or left as it is when `values` has none: for
    /// renderers that draw text only (the terminal).
    public func substitutingInline(_ values: [InlineKey: InlineResult]) -> ProseBlock {
        guard !values.isEmpty else { return self }
        var ordinal = 0
        func substitute(_ node: MarkdownNode) -> MarkdownNode {
            var node = node
            if case .codeSpan(let literal) = node.kind, InlineExpression.code(of: literal) != nil {
                switch values[InlineKey(blockLine: lines.lowerBound, ordinal: ordinal)] {
                case .text(let text): node.kind = .text(text)
                case .failed(let message, _): node.kind = .codeSpan("⚠ " + message)
                case nil: break
                }
                ordinal += 1
            }
            node.children = node.children.map(substitute)
            return node
        }
        var block = self
        block.nodes = nodes.map(substitute)
        return block
    }
}
