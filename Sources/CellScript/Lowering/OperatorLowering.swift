import SwiftSyntax

/// Operators after `SwiftOperators` folded them by precedence, and `try`, `is`, `as`.
extension Lowerer {
    /// `+=` and the other operators of Swift's `AssignmentPrecedence` that assign.
    private static let compoundAssignments: Set<String> = [
        "+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "|=", "^=",
        "&+=", "&-=", "&*=", "&<<=", "&>>=",
    ]

    /// `-x`, `!flag`, `..<n`; a minus written against a number literal is part of
    /// the literal, as in Swift (`-1` is the literal minus one).
    func lowerPrefix(_ node: PrefixOperatorExprSyntax) -> Expression {
        if node.operator.text == "-" {
            if let literal = node.expression.as(IntegerLiteralExprSyntax.self) {
                return lowerInteger(literal, negatedBy: node.operator)
            }
            if let literal = node.expression.as(FloatLiteralExprSyntax.self) {
                return lowerFloat(literal, negatedBy: node.operator)
            }
        }
        let operand = lowerExpression(node.expression)
        return Expression(.prefix(operator: node.operator.text, operand), at: location(of: node))
    }

    /// `a + b`, `a = b`, `a += b`, `a ?? b`, `0..<n`.
    func lowerInfix(_ node: InfixOperatorExprSyntax) -> Expression {
        let at = location(of: node.operator)
        if node.operator.is(AssignmentExprSyntax.self) {
            return Expression(.assignment(operator: "=", target: lowerExpression(node.leftOperand),
                                          value: lowerExpression(node.rightOperand)), at: at)
        }
        guard let binary = node.operator.as(BinaryOperatorExprSyntax.self) else {
            // `->` outside a type, for instance.
            reject(.otherExpression(node.operator.trimmedDescription), at: node.operator)
            return placeholder(at: node)
        }
        let name = binary.operator.text
        if Self.compoundAssignments.contains(name) {
            return Expression(.assignment(operator: name, target: lowerExpression(node.leftOperand),
                                          value: lowerExpression(node.rightOperand)), at: at)
        }
        return Expression(
            .binary(operator: name, lowerExpression(node.leftOperand), lowerExpression(node.rightOperand)), at: at)
    }

    /// `try f()`, `try? f()`, `try! f()`.
    func lowerTry(_ node: TryExprSyntax) -> Expression {
        let kind: Expression.TryKind
        switch node.questionOrExclamationMark?.text {
        case "?": kind = .optional
        case "!": kind = .forced
        default: kind = .plain
        }
        return Expression(.tryExpression(kind, lowerExpression(node.expression)), at: location(of: node))
    }

    /// `x is Int`.
    func lowerIs(_ node: IsExprSyntax) -> Expression {
        checkTypeAnnotation(node.type)
        let value = lowerExpression(node.expression)
        return Expression(.typeCheck(.isType, value, typeName: node.type.trimmedDescription), at: location(of: node))
    }

    /// `x as Double`, `x as? Int`; `as!` is reported.
    func lowerAs(_ node: AsExprSyntax) -> Expression {
        checkTypeAnnotation(node.type)
        let kind: Expression.TypeCheckKind
        switch node.questionOrExclamationMark?.text {
        case "?": kind = .asOptional
        case "!":
            reject(.forcedCast, at: node.asKeyword)
            kind = .asType
        default: kind = .asType
        }
        let value = lowerExpression(node.expression)
        return Expression(.typeCheck(kind, value, typeName: node.type.trimmedDescription), at: location(of: node))
    }
}
