/// A walk over every statement and expression of a cell, outermost first, calling the
/// walker's hooks; each analysis of the tree (the names a cell writes, the calls
/// `lesson check` checks) adopts it instead of repeating the traversal. The tree's depth is
/// bounded by the parser's limits, so recursion is safe.
protocol ASTWalker {
    /// Called for each expression before its parts.
    mutating func visitExpression(_ expression: Expression)
    /// Called for each name a statement, pattern or parameter list binds.
    mutating func bind(_ name: String)
    /// Called for the name of each `func` declaration (by default, `bind`).
    mutating func bindFunction(_ name: String)
}

extension ASTWalker {
    mutating func visitExpression(_ expression: Expression) {}
    mutating func bind(_ name: String) {}
    mutating func bindFunction(_ name: String) { bind(name) }

    mutating func walk(_ statements: [Statement]) {
        for statement in statements { walk(statement) }
    }

    mutating func walk(_ statement: Statement) {
        switch statement.kind {
        case .expression(let expression): walk(expression)
        case .binding(_, let pattern, _, let value):
            for name in pattern.names { bind(name) }
            if let value { walk(value) }
        case .function(let declaration):
            bindFunction(declaration.name)
            for parameter in declaration.parameters {
                bind(parameter.name)
                if let value = parameter.defaultValue { walk(value) }
            }
            walk(declaration.body)
        case .ifStatement(let conditions, let then, let otherwise):
            walk(conditions)
            walk(then)
            if let otherwise { walk(otherwise) }
        case .guardStatement(let conditions, let otherwise):
            walk(conditions)
            walk(otherwise)
        case .whileLoop(let conditions, let body):
            walk(conditions)
            walk(body)
        case .repeatWhile(let body, let condition):
            walk(body)
            walk(condition)
        case .forIn(let pattern, let sequence, let filter, let body):
            for name in pattern.names { bind(name) }
            walk(sequence)
            if let filter { walk(filter) }
            walk(body)
        case .switchStatement(let subject, let cases):
            walk(subject)
            for item in cases {
                for pattern in item.patterns {
                    switch pattern {
                    case .value(let value): walk(value)
                    case .binding(let name): bind(name)
                    case .wildcard: break
                    }
                }
                if let guardExpression = item.guardExpression { walk(guardExpression) }
                walk(item.body)
            }
        case .block(let body): walk(body)
        case .returnStatement(let value): if let value { walk(value) }
        case .breakStatement, .continueStatement: break
        }
    }

    mutating func walk(_ conditions: [Condition]) {
        for condition in conditions {
            switch condition {
            case .expression(let expression): walk(expression)
            case .optionalBinding(_, let name, let value):
                bind(name)
                walk(value)
            }
        }
    }

    mutating func walk(_ expression: Expression) {
        visitExpression(expression)
        switch expression.kind {
        case .assignment(_, let target, let value):
            walk(target)
            walk(value)
        case .call(let callee, let arguments):
            walk(callee)
            for argument in arguments { walk(argument.value) }
        case .subscripted(let base, let arguments):
            walk(base)
            for argument in arguments { walk(argument.value) }
        case .interpolation(let parts):
            for case .expression(let inner) in parts { walk(inner) }
        case .array(let elements): for element in elements { walk(element) }
        case .dictionary(let entries):
            for entry in entries {
                walk(entry.key)
                walk(entry.value)
            }
        case .tuple(let elements): for element in elements { walk(element.value) }
        case .prefix(_, let inner), .postfix(_, let inner), .member(let inner, _), .forceUnwrap(let inner),
             .optionalChain(let inner), .tryExpression(_, let inner), .typeCheck(_, let inner, _):
            walk(inner)
        case .binary(_, let left, let right):
            walk(left)
            walk(right)
        case .ternary(let condition, let then, let otherwise):
            walk(condition)
            walk(then)
            walk(otherwise)
        case .closure(let closure):
            for name in closure.parameters { bind(name) }
            walk(closure.body)
        case .integer, .double, .boolean, .string, .nilLiteral, .identifier, .anonymousParameter, .implicitMember:
            break
        }
    }
}
