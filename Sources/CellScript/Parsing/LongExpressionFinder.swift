import SwiftSyntax

/// Finds operator sequences too long to fold and lower safely.
///
/// Folding turns `a ?? b ?? c ...` into a tree as deep as the sequence is long,
/// and folding, lowering and running all recurse over that depth; thousands of
/// operators in one expression could exhaust a thread's stack. No lesson needs
/// more than a few dozen, so a generous limit turns the risk into a message.
final class LongExpressionFinder: SyntaxVisitor {
    /// Operators allowed in one unparenthesised expression.
    static let operatorLimit = 200

    private(set) var tooLong: [SequenceExprSyntax] = []

    init() {
        super.init(viewMode: .sourceAccurate)
    }

    override func visit(_ node: SequenceExprSyntax) -> SyntaxVisitorContinueKind {
        // A sequence alternates operands and operators: n operators, n + 1 operands.
        if node.elements.count > 2 * Self.operatorLimit + 1 {
            tooLong.append(node)
        }
        return .visitChildren
    }

    static func find(in tree: SourceFileSyntax) -> [SequenceExprSyntax] {
        let finder = LongExpressionFinder()
        finder.walk(tree)
        return finder.tooLong
    }
}
