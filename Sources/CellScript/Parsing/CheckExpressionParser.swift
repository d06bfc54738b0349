import SwiftOperators
import SwiftParser
import SwiftSyntax

extension CellParser {
    /// Parses the expression of a `//| check:` option: one Swift expression, located where it
    /// sits on its option line.
    ///
    /// The expression is parsed as a cell whose text starts with `column - 1` spaces, so every
    /// diagnostic points at the option line's own columns without a second source map.
    /// - Parameters:
    ///   - expression: the text after `check:`.
    ///   - line: the notebook-file line of the option.
    ///   - column: the 1-based column where `expression` starts on that line.
    /// - Throws: `CellFailure` with the syntax or unsupported-construct errors, or one error when
    ///   the text is not exactly one expression (a `let`, two statements, ...).
    public static func parseCheck(_ expression: String, line: Int, column: Int) throws(CellFailure) -> CellProgram {
        let padded = String(repeating: " ", count: Swift.max(column - 1, 0)) + expression
        let program = try parse(padded, firstLine: line)
        guard program.statements.count == 1, let only = program.statements.first,
              case .expression = only.kind else {
            throw CellFailure(CellDiagnostic(
                .syntax, "a check must be one expression whose value is true or false, e.g. `total == 10`",
                at: SourceLocation(line: line, column: column)))
        }
        return program
    }
}

extension CellParser {
    /// The two sides of a check that is one comparison (`a == b`, `total < 10`), as written, so
    /// a failed check can say what each side was; nil for anything else.
    public static func comparisonSides(of expression: String) -> (left: String, right: String)? {
        guard NestingGuard.violations(in: expression, firstLine: 1).isEmpty else { return nil }
        return LargeStack.run { sidesHere(of: expression) }
    }

    private static func sidesHere(of expression: String) -> (left: String, right: String)? {
        var parser = Parser(expression, maximumNestingLevel: maximumNestingLevel)
        let tree = SourceFileSyntax.parse(from: &parser)
        guard SyntaxDepth.firstNode(deeperThan: maximumTreeDepth, in: Syntax(tree)) == nil else { return nil }
        guard !tree.hasError, tree.statements.count == 1, let item = tree.statements.first?.item,
              let unfolded = item.as(ExprSyntax.self),
              let folded = try? OperatorTable.standardOperators.foldAll(unfolded).as(InfixOperatorExprSyntax.self),
              let op = folded.operator.as(BinaryOperatorExprSyntax.self),
              ["==", "!=", "<", "<=", ">", ">="].contains(op.operator.text) else { return nil }
        return (folded.leftOperand.trimmedDescription, folded.rightOperand.trimmedDescription)
    }
}
