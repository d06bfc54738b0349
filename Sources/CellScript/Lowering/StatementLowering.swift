import SwiftSyntax

/// Statement lists and the simple statements; control flow with conditions and
/// patterns is in `ControlFlowLowering.swift`, declarations in `DeclarationLowering.swift`.
extension Lowerer {
    func lowerBlock(_ items: CodeBlockItemListSyntax) -> [Statement] {
        items.flatMap { lowerItem($0) }
    }

    func lowerBlock(_ block: CodeBlockSyntax) -> [Statement] {
        lowerBlock(block.statements)
    }

    /// One item can become several statements (`let a = 1, b = 2`) or none
    /// (`import Foundation`).
    private func lowerItem(_ item: CodeBlockItemSyntax) -> [Statement] {
        switch item.item {
        case .decl(let declaration):
            return lowerDeclaration(declaration)
        case .stmt(let statement):
            return lowerStatement(statement).map { [$0] } ?? []
        case .expr(let expression):
            return [lowerExpressionStatement(expression)]
        }
    }

    /// `_ = value` is a statement that evaluates and drops a value, the same as `let _ = value`.
    private func lowerExpressionStatement(_ expression: ExprSyntax) -> Statement {
        let at = location(of: expression)
        if let infix = expression.as(InfixOperatorExprSyntax.self),
            infix.operator.is(AssignmentExprSyntax.self),
            infix.leftOperand.is(DiscardAssignmentExprSyntax.self)
        {
            let value = lowerExpression(infix.rightOperand)
            return Statement(.binding(isConstant: true, pattern: .wildcard, typeName: nil, value: value), at: at)
        }
        return Statement(.expression(lowerExpression(expression)), at: at)
    }

    private func lowerStatement(_ statement: StmtSyntax) -> Statement? {
        let at = location(of: statement)
        switch statement.as(StmtSyntaxEnum.self) {
        case .expressionStmt(let wrapper):
            return lowerWrappedExpression(wrapper.expression)
        case .guardStmt(let node):
            return lowerGuard(node)
        case .whileStmt(let node):
            return lowerWhile(node)
        case .repeatStmt(let node):
            let body = lowerBlock(node.body)
            return Statement(.repeatWhile(body: body, condition: lowerExpression(node.condition)), at: at)
        case .forStmt(let node):
            return lowerFor(node)
        case .doStmt(let node):
            return lowerDo(node)
        case .breakStmt(let node):
            if node.label != nil { reject(.labeledJump, at: node) }
            return Statement(.breakStatement, at: at)
        case .continueStmt(let node):
            if node.label != nil { reject(.labeledJump, at: node) }
            return Statement(.continueStatement, at: at)
        case .returnStmt(let node):
            return Statement(.returnStatement(node.expression.map { lowerExpression($0) }), at: at)
        default:
            rejectStatement(statement)
            return nil
        }
    }

    /// `if` and `switch` in statement position arrive wrapped as expressions.
    private func lowerWrappedExpression(_ expression: ExprSyntax) -> Statement {
        if let node = expression.as(IfExprSyntax.self) {
            return lowerIf(node)
        }
        if let node = expression.as(SwitchExprSyntax.self) {
            return lowerSwitch(node)
        }
        return lowerExpressionStatement(expression)
    }

    private func lowerDo(_ node: DoStmtSyntax) -> Statement {
        if let throwsClause = node.throwsClause { reject(.typedThrowsDo, at: throwsClause) }
        for clause in node.catchClauses {
            reject(.catchClause, at: clause)
        }
        return Statement(.block(lowerBlock(node.body)), at: location(of: node))
    }

    private func rejectStatement(_ statement: StmtSyntax) {
        switch statement.as(StmtSyntaxEnum.self) {
        case .deferStmt: reject(.deferStatement, at: statement)
        case .throwStmt: reject(.throwStatement, at: statement)
        case .fallThroughStmt: reject(.fallthroughStatement, at: statement)
        case .labeledStmt(let node): reject(.labeledStatement, at: node.label)
        default: reject(.otherStatement, at: statement)
        }
    }
}
