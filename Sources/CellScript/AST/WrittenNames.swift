/// The global names a cell may change, read from its code: what it declares at the top level
/// (`let`, `var`, `func`), and every name at the root of an assignment (`total += n`,
/// `grid[0][1] = 2`, `model.learningRate = 0.5`) or of a mutating method's call
/// (`numbers.append(5)`), wherever in the cell it is. Objects (models, iterators) change in
/// place through any call and need no name: grading keeps their state.
///
/// Grading uses it to decide what an exercise is about: checks see the answer's values for
/// these names and the lesson's for every other, so an answer cannot redefine the lesson's data
/// to make its checks pass. Local names that shadow globals count too; that only means a check
/// sees the answer's value for them, as it would have before.
extension CellProgram {
    public var writtenNames: Set<String> {
        var names = Set<String>()
        for statement in statements {
            switch statement.kind {
            case .binding(_, let pattern, _, _): names.formUnion(pattern.names)
            case .function(let declaration): names.insert(declaration.name)
            default: break
            }
        }
        var walker = WrittenNameWalker()
        walker.visit(statements)
        return names.union(walker.names)
    }
}

extension Pattern {
    var names: [String] {
        switch self {
        case .name(let name): return [name]
        case .wildcard: return []
        case .tuple(let patterns): return patterns.flatMap(\.names)
        }
    }
}

/// Walks statements and expressions for assignment targets and mutating-method receivers. The
/// tree's depth is bounded by the parser's limits, so recursion is safe.
private struct WrittenNameWalker {
    var names = Set<String>()

    mutating func visit(_ statements: [Statement]) {
        for statement in statements { visit(statement) }
    }

    mutating func visit(_ statement: Statement) {
        switch statement.kind {
        case .expression(let expression): visit(expression)
        case .binding(_, _, _, let value): if let value { visit(value) }
        case .function(let declaration):
            for parameter in declaration.parameters { if let value = parameter.defaultValue { visit(value) } }
            visit(declaration.body)
        case .ifStatement(let conditions, let then, let otherwise):
            visit(conditions)
            visit(then)
            if let otherwise { visit(otherwise) }
        case .guardStatement(let conditions, let otherwise):
            visit(conditions)
            visit(otherwise)
        case .whileLoop(let conditions, let body):
            visit(conditions)
            visit(body)
        case .repeatWhile(let body, let condition):
            visit(body)
            visit(condition)
        case .forIn(_, let sequence, let filter, let body):
            visit(sequence)
            if let filter { visit(filter) }
            visit(body)
        case .switchStatement(let subject, let cases):
            visit(subject)
            for item in cases {
                for case .value(let value) in item.patterns { visit(value) }
                if let guardExpression = item.guardExpression { visit(guardExpression) }
                visit(item.body)
            }
        case .block(let body): visit(body)
        case .returnStatement(let value): if let value { visit(value) }
        case .breakStatement, .continueStatement: break
        }
    }

    mutating func visit(_ conditions: [Condition]) {
        for condition in conditions {
            switch condition {
            case .expression(let expression): visit(expression)
            case .optionalBinding(_, _, let value): visit(value)
            }
        }
    }

    mutating func visit(_ expression: Expression) {
        switch expression.kind {
        case .assignment(_, let target, let value):
            if let root = Self.root(of: target) { names.insert(root) }
            if case .tuple(let targets) = target.kind {
                for element in targets { if let root = Self.root(of: element.value) { names.insert(root) } }
            }
            visit(target)
            visit(value)
        case .call(let callee, let arguments):
            if case .member(let base, let method) = callee.kind, Interpreter.mutatingMethodNames.contains(method),
               let root = Self.root(of: base) {
                names.insert(root)
            }
            visit(callee)
            for argument in arguments { visit(argument.value) }
        case .subscripted(let base, let arguments):
            visit(base)
            for argument in arguments { visit(argument.value) }
        case .interpolation(let parts):
            for case .expression(let inner) in parts { visit(inner) }
        case .array(let elements): for element in elements { visit(element) }
        case .dictionary(let entries):
            for entry in entries {
                visit(entry.key)
                visit(entry.value)
            }
        case .tuple(let elements): for element in elements { visit(element.value) }
        case .prefix(_, let inner), .postfix(_, let inner), .member(let inner, _), .forceUnwrap(let inner),
             .optionalChain(let inner), .tryExpression(_, let inner), .typeCheck(_, let inner, _):
            visit(inner)
        case .binary(_, let left, let right):
            visit(left)
            visit(right)
        case .ternary(let condition, let then, let otherwise):
            visit(condition)
            visit(then)
            visit(otherwise)
        case .closure(let closure): visit(closure.body)
        case .integer, .double, .boolean, .string, .nilLiteral, .identifier, .anonymousParameter, .implicitMember:
            break
        }
    }

    /// The name at the root of `a`, `a.b`, `a[0].b`, `a!.b`, `a?.b`; nil for anything else.
    static func root(of expression: Expression) -> String? {
        var current = expression
        while true {
            switch current.kind {
            case .identifier(let name): return name
            case .member(let base, _), .subscripted(let base, _), .forceUnwrap(let base), .optionalChain(let base):
                current = base
            default: return nil
            }
        }
    }
}
