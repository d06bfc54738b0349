import SwiftSyntax

/// `if`, `guard`, `while`, `for`-`in` and their conditions. `switch` is in `SwitchLowering.swift`.
extension Lowerer {
    func lowerIf(_ node: IfExprSyntax) -> Statement {
        let conditions = lowerConditions(node.conditions)
        let then = lowerBlock(node.body)
        var otherwise: [Statement]?
        switch node.elseBody {
        case .ifExpr(let elseIf):
            otherwise = [lowerIf(elseIf)]
        case .codeBlock(let block):
            otherwise = lowerBlock(block)
        case nil:
            otherwise = nil
        }
        return Statement(.ifStatement(conditions: conditions, then: then, otherwise: otherwise), at: location(of: node))
    }

    func lowerGuard(_ node: GuardStmtSyntax) -> Statement {
        let conditions = lowerConditions(node.conditions)
        let otherwise = lowerBlock(node.body)
        return Statement(.guardStatement(conditions: conditions, otherwise: otherwise), at: location(of: node))
    }

    func lowerWhile(_ node: WhileStmtSyntax) -> Statement {
        let conditions = lowerConditions(node.conditions)
        return Statement(.whileLoop(conditions: conditions, body: lowerBlock(node.body)), at: location(of: node))
    }

    func lowerFor(_ node: ForStmtSyntax) -> Statement {
        if let keyword = node.tryKeyword ?? node.awaitKeyword { reject(.asyncLoop, at: keyword) }
        if let keyword = node.unsafeKeyword { reject(.unsafeExpression, at: keyword) }
        let pattern: Pattern
        if let keyword = node.caseKeyword {
            reject(.forCase, at: keyword)
            pattern = .wildcard
        } else if let binding = node.pattern.as(ValueBindingPatternSyntax.self) {
            reject(.forVar, at: binding)
            pattern = .wildcard
        } else {
            pattern = lowerBindingPattern(node.pattern)
        }
        if let annotation = node.typeAnnotation { checkTypeAnnotation(annotation.type) }
        let filter = node.whereClause.map { lowerExpression($0.condition) }
        let statement = Statement.Kind.forIn(
            pattern: pattern, sequence: lowerExpression(node.sequence), filter: filter, body: lowerBlock(node.body))
        return Statement(statement, at: location(of: node))
    }

    /// `a, let b = c, var d = e`: expressions and optional bindings, in order.
    func lowerConditions(_ conditions: ConditionElementListSyntax) -> [Condition] {
        conditions.compactMap { element in
            switch element.condition {
            case .expression(let expression):
                return .expression(lowerExpression(expression))
            case .optionalBinding(let binding):
                return lowerOptionalBinding(binding)
            case .matchingPattern(let node):
                reject(.ifCase, at: node)
                return nil
            case .availability(let node):
                reject(.availabilityCondition, at: node)
                return nil
            }
        }
    }

    /// `let x = value`, `var x = value`, and the shorthand `let x` (meaning `let x = x`).
    /// A type annotation is accepted and, like function parameter types, not checked.
    private func lowerOptionalBinding(_ node: OptionalBindingConditionSyntax) -> Condition? {
        guard let identifier = node.pattern.as(IdentifierPatternSyntax.self) else {
            reject(.complexBindingPattern, at: node.pattern)
            return nil
        }
        let name = spelling(of: identifier.identifier)
        if let annotation = node.typeAnnotation { checkTypeAnnotation(annotation.type) }
        let value: Expression
        if let initializer = node.initializer {
            value = lowerExpression(initializer.value)
        } else {
            value = Expression(.identifier(name), at: location(of: identifier))
        }
        let isConstant = node.bindingSpecifier.tokenKind == .keyword(.let)
        return .optionalBinding(isConstant: isConstant, name: name, value: value)
    }
}
