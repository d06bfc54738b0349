import SwiftSyntax

/// Converts a parsed, operator-folded cell into the cell AST.
///
/// This is the one place where swift-syntax's tree becomes ours. Everything the
/// interpreter runs is converted here; everything it does not run becomes a
/// `CellDiagnostic(.unsupported, ...)` at the construct, and lowering goes on so
/// that one pass reports every unsupported construct in the cell. Where a construct
/// is rejected a placeholder takes its place in the result; the result is thrown
/// away whenever `diagnostics` is not empty.
///
/// Expects a tree without syntax errors (`CellParser` checks), but never traps on
/// one: any node it does not know is reported, not assumed away.
final class Lowerer {
    let map: CellSourceMap
    private(set) var diagnostics: [CellDiagnostic] = []
    /// How many expressions deep lowering is; see `maximumDepth`.
    var depth = 0
    /// Lowering recurses once per nested expression. swift-syntax already limits
    /// bracket nesting and `LongExpressionFinder` operator chains; this is the last
    /// guard so that no tree, however built, can exhaust the stack.
    static let maximumDepth = 500

    init(map: CellSourceMap) {
        self.map = map
    }

    func lower(_ file: SourceFileSyntax) -> [Statement] {
        lowerBlock(file.statements)
    }

    func location(of node: some SyntaxProtocol) -> CellScript.SourceLocation {
        map.location(of: node)
    }

    /// Records that `construct` at `node` is not supported.
    func reject(_ construct: UnsupportedConstruct, at node: some SyntaxProtocol) {
        diagnostics.append(CellDiagnostic(.unsupported, construct.message, at: location(of: node)))
    }

    /// Records a problem that the compiler would report while type checking
    /// (an integer literal that overflows `Int`, say).
    func reportInvalid(_ message: String, at node: some SyntaxProtocol) {
        diagnostics.append(CellDiagnostic(.syntax, message, at: location(of: node)))
    }

    /// Stands in for a rejected expression so lowering can continue.
    func placeholder(at node: some SyntaxProtocol) -> Expression {
        Expression(.nilLiteral, at: location(of: node))
    }

    /// A name as the program means it: backticks removed (`` `default` `` is `default`).
    func spelling(of token: TokenSyntax) -> String {
        token.identifier?.name ?? token.text
    }
}
