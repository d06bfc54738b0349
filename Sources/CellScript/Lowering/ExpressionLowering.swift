import SwiftSyntax

/// Expressions: the dispatch over swift-syntax's expression kinds, names, member
/// access, calls and subscripts. Literals and operators have their own files.
///
/// Locations are where each expression starts, except for member access (the
/// member's name, where a misspelt member is) and binary operators and
/// assignments (the operator, where division by zero or overflow happens), as
/// the Swift compiler places them.
extension Lowerer {
    func lowerExpression(_ expression: ExprSyntax) -> Expression {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else {
            if !diagnostics.contains(where: { $0.message == UnsupportedConstruct.tooDeeplyNested.message }) {
                reject(.tooDeeplyNested, at: expression)
            }
            return placeholder(at: expression)
        }
        return lowerExpressionKind(expression)
    }

    private func lowerExpressionKind(_ expression: ExprSyntax) -> Expression {
        let at = location(of: expression)
        switch expression.as(ExprSyntaxEnum.self) {
        case .integerLiteralExpr(let node): return lowerInteger(node, negatedBy: nil)
        case .floatLiteralExpr(let node): return lowerFloat(node, negatedBy: nil)
        case .booleanLiteralExpr(let node):
            return Expression(.boolean(node.literal.tokenKind == .keyword(.true)), at: at)
        case .stringLiteralExpr(let node): return lowerString(node)
        case .nilLiteralExpr: return Expression(.nilLiteral, at: at)
        case .declReferenceExpr(let node): return lowerReference(node)
        case .arrayExpr(let node):
            return Expression(.array(node.elements.map { lowerExpression($0.expression) }), at: at)
        case .dictionaryExpr(let node): return lowerDictionary(node)
        case .tupleExpr(let node): return lowerTuple(node)
        case .prefixOperatorExpr(let node): return lowerPrefix(node)
        case .postfixOperatorExpr(let node):
            return Expression(.postfix(operator: node.operator.text, lowerExpression(node.expression)), at: at)
        case .infixOperatorExpr(let node): return lowerInfix(node)
        case .ternaryExpr(let node):
            let condition = lowerExpression(node.condition)
            return Expression(
                .ternary(condition, lowerExpression(node.thenExpression), lowerExpression(node.elseExpression)), at: at)
        case .functionCallExpr(let node): return lowerCall(node)
        case .memberAccessExpr(let node): return lowerMember(node)
        case .subscriptCallExpr(let node): return lowerSubscript(node)
        case .closureExpr(let node): return Expression(.closure(lowerClosure(node)), at: at)
        case .forceUnwrapExpr(let node): return Expression(.forceUnwrap(lowerExpression(node.expression)), at: at)
        case .optionalChainingExpr(let node):
            return Expression(.optionalChain(lowerExpression(node.expression)), at: at)
        case .tryExpr(let node): return lowerTry(node)
        case .isExpr(let node): return lowerIs(node)
        case .asExpr(let node): return lowerAs(node)
        default:
            rejectExpression(expression)
            return placeholder(at: expression)
        }
    }

    /// `x`, `print`, `$0`.
    private func lowerReference(_ node: DeclReferenceExprSyntax) -> Expression {
        let at = location(of: node)
        if let arguments = node.argumentNames {
            reject(.functionReference, at: arguments)
        }
        if case .dollarIdentifier(let text) = node.baseName.tokenKind {
            if let index = Int(text.dropFirst()) {
                return Expression(.anonymousParameter(index), at: at)
            }
            reject(.projectedValue(text), at: node)
            return placeholder(at: node)
        }
        return Expression(.identifier(spelling(of: node.baseName)), at: at)
    }

    /// `base.name`, `base.0`, and `.name` with the type implied.
    private func lowerMember(_ node: MemberAccessExprSyntax) -> Expression {
        if let arguments = node.declName.argumentNames {
            reject(.functionReference, at: arguments)
        }
        let member = spelling(of: node.declName.baseName)
        guard let base = node.base else {
            return Expression(.implicitMember(name: member), at: location(of: node))
        }
        return Expression(.member(lowerExpression(base), name: member), at: location(of: node.declName))
    }

    /// `f(x, label: y) { ... } other: { ... }`.
    private func lowerCall(_ node: FunctionCallExprSyntax) -> Expression {
        let callee = lowerExpression(node.calledExpression)
        let arguments = lowerArguments(node.arguments)
            + lowerTrailingClosures(node.trailingClosure, node.additionalTrailingClosures)
        return Expression(.call(callee: callee, arguments: arguments), at: location(of: node))
    }

    /// `x[i]`, `x[0..<3]`, `m[row, column]`.
    private func lowerSubscript(_ node: SubscriptCallExprSyntax) -> Expression {
        let base = lowerExpression(node.calledExpression)
        let arguments = lowerArguments(node.arguments)
            + lowerTrailingClosures(node.trailingClosure, node.additionalTrailingClosures)
        return Expression(.subscripted(base, arguments: arguments), at: location(of: node))
    }

    func lowerArguments(_ list: LabeledExprListSyntax) -> [Argument] {
        list.map { element in
            let label = element.label.map { spelling(of: $0) }
            return Argument(label: label, value: lowerExpression(element.expression), location: location(of: element))
        }
    }

    /// The first trailing closure is unlabeled; the later ones keep their labels.
    private func lowerTrailingClosures(
        _ first: ClosureExprSyntax?, _ additional: MultipleTrailingClosureElementListSyntax
    ) -> [Argument] {
        var arguments: [Argument] = []
        if let first {
            let value = Expression(.closure(lowerClosure(first)), at: location(of: first))
            arguments.append(Argument(label: nil, value: value, location: location(of: first)))
        }
        for element in additional {
            let value = Expression(.closure(lowerClosure(element.closure)), at: location(of: element.closure))
            let label = spelling(of: element.label)
            arguments.append(Argument(label: label, value: value, location: location(of: element)))
        }
        return arguments
    }
}
