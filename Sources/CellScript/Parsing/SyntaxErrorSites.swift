import SwiftSyntax

/// Where a parsed tree went wrong, found without generating diagnostics.
///
/// swift-syntax's `ParseDiagnosticsGenerator` takes time quadratic in the number of errors
/// (2,000 `a ` on one line took 27 s), so a cell with many errors has its diagnostics made
/// for a window of its text around the first ones only. The walk descends only into subtrees
/// that contain an error (`hasError` is kept for every node), with a stack of its own.
enum SyntaxErrorSites {
    /// Error sites up to `limit` + 1 (each missing token or node, and each token of unexpected
    /// text: the generator's time grows with both), and the position of the first, in source
    /// order.
    static func count(in root: Syntax, limit: Int) -> (count: Int, first: AbsolutePosition?) {
        var count = 0
        var first: AbsolutePosition?
        var pending: [Syntax] = [root]
        while let node = pending.popLast(), count <= limit {
            if node.kind == .unexpectedNodes {
                for _ in node.tokens(viewMode: .all) where count <= limit { count += 1 }
                if first == nil { first = node.position }
                continue
            }
            if node.kind.isMissing || node.as(TokenSyntax.self)?.presence == .missing {
                count += 1
                if first == nil { first = node.position }
                // A missing declaration can still hold what was written (its attributes).
            }
            for child in node.children(viewMode: .all).reversed() where child.hasError {
                pending.append(child)
            }
        }
        return (count, first)
    }

    /// The first `=` that swift-syntax's diagnostics would trap on: the lexer says its sides are
    /// spaced differently, but both sides hold a space next to some other trivia (U+FFFD, a
    /// private-use character, NUL), so the Fix-It it builds has no change and traps. Such a
    /// cell gets a diagnostic of ours instead of the generator's.
    static func trappingEqualSign(in root: Syntax) -> TokenSyntax? {
        for token in root.tokens(viewMode: .all)
        where token.tokenDiagnostic?.kind == .equalMustHaveConsistentWhitespaceOnBothSides {
            let before = token.previousToken(viewMode: .all)?.trailingTrivia.contains { $0.isSpaceOrTab } ?? false
            let after = token.trailingTrivia.contains { $0.isSpaceOrTab }
            if before && after { return token }
        }
        return nil
    }
}
