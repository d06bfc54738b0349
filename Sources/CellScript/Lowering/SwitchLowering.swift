import SwiftSyntax

/// `switch` on simple values: `case 1, 2:`, `case 0..<10:`, `case .train:`,
/// `case let x where x > 3:`, `case _:`, `default:`.
extension Lowerer {
    func lowerSwitch(_ node: SwitchExprSyntax) -> Statement {
        let subject = lowerExpression(node.subject)
        var cases: [SwitchCase] = []
        for element in node.cases {
            switch element {
            case .switchCase(let switchCase):
                cases.append(lowerCase(switchCase))
            case .ifConfigDecl(let ifConfig):
                reject(.conditionalCompilation, at: ifConfig)
            }
        }
        return Statement(.switchStatement(subject: subject, cases: cases), at: location(of: node))
    }

    private func lowerCase(_ node: SwitchCaseSyntax) -> SwitchCase {
        if let attribute = node.attribute { reject(.unknownDefault, at: attribute) }
        let body = lowerBlock(node.statements)
        guard case .case(let label) = node.label else {
            return SwitchCase(patterns: [], guardExpression: nil, body: body, location: location(of: node))
        }
        let items = Array(label.caseItems)
        // Swift's `where` belongs to one pattern of the list; the cell AST has one guard
        // for the whole case, which means the same only when there is a single pattern.
        var guardExpression: Expression?
        for item in items {
            guard let whereClause = item.whereClause else { continue }
            if items.count > 1 {
                reject(.whereWithSeveralPatterns, at: whereClause)
            } else {
                guardExpression = lowerExpression(whereClause.condition)
            }
        }
        let patterns = items.compactMap { lowerCasePattern($0.pattern) }
        return SwitchCase(
            patterns: patterns, guardExpression: guardExpression, body: body, location: location(of: node))
    }

    private func lowerCasePattern(_ pattern: PatternSyntax) -> CasePattern? {
        switch pattern.as(PatternSyntaxEnum.self) {
        case .expressionPattern(let node):
            if node.expression.is(DiscardAssignmentExprSyntax.self) {
                return .wildcard
            }
            return .value(lowerExpression(node.expression))
        case .wildcardPattern:
            return .wildcard
        case .valueBindingPattern(let node):
            if let identifier = node.pattern.as(IdentifierPatternSyntax.self) {
                return .binding(name: spelling(of: identifier.identifier))
            }
            reject(.complexCasePattern, at: pattern)
            return nil
        case .identifierPattern(let node):
            // Only reached inside `let (a, b)`-style patterns, which are rejected above;
            // kept so that no pattern kind goes unreported.
            reject(.complexCasePattern, at: node)
            return nil
        default:
            reject(.complexCasePattern, at: pattern)
            return nil
        }
    }
}
