import SwiftParser
import SwiftSyntax

/// A cell's syntax tree for tools other than the interpreter (the report's highlighter), with
/// the parser's guards: text that `NestingGuard` refuses or that parses deeper than
/// `CellParser.maximumTreeDepth` gives no tree, and both the parse and `body` run on a large
/// stack, so walking the tree recursively is safe.
public enum GuardedSyntax {
    /// `body` applied to the parsed `source`, or nil when the source is too deeply nested to parse
    /// safely (callers then show it as plain text).
    public static func withTree<Result>(of source: String, _ body: (SourceFileSyntax) -> Result) -> Result? {
        guard NestingGuard.violations(in: source, firstLine: 1).isEmpty else { return nil }
        return LargeStack.run { () -> Result? in
            var parser = Parser(source, maximumNestingLevel: CellParser.maximumNestingLevel)
            let tree = SourceFileSyntax.parse(from: &parser)
            guard SyntaxDepth.firstNode(deeperThan: CellParser.maximumTreeDepth, in: Syntax(tree)) == nil else {
                return nil
            }
            return body(tree)
        }
    }
}
