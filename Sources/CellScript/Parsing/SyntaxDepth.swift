import SwiftSyntax

/// The depth of a syntax tree, measured with a stack of its own: the check that comes before
/// anything recursive touches a tree parsed from someone else's text.
enum SyntaxDepth {
    /// The first node (in source order) more than `limit` levels below `root`, nil if none.
    static func firstNode(deeperThan limit: Int, in root: Syntax) -> Syntax? {
        var pending: [(node: Syntax, depth: Int)] = [(root, 0)]
        while let (node, depth) = pending.popLast() {
            if depth > limit { return node }
            // Reversed, so the first child is looked at first.
            for child in node.children(viewMode: .sourceAccurate).reversed() {
                pending.append((child, depth + 1))
            }
        }
        return nil
    }

    /// Where `node` starts, in notebook-file lines (`source` starts at `firstLine`).
    static func location(of node: Syntax, in source: String, firstLine: Int) -> SourceLocation {
        let offset = node.positionAfterSkippingLeadingTrivia.utf8Offset
        var line = firstLine
        var column = 1
        for byte in source.utf8.prefix(offset) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return SourceLocation(line: line, column: column)
    }
}
