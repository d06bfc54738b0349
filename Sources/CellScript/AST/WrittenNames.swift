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

/// Collects assignment targets and mutating-method receivers.
private struct WrittenNameWalker: ASTWalker {
    var names = Set<String>()

    mutating func visit(_ statements: [Statement]) {
        walk(statements)
    }

    mutating func visitExpression(_ expression: Expression) {
        switch expression.kind {
        case .assignment(_, let target, _):
            if let root = Self.root(of: target) { names.insert(root) }
            if case .tuple(let targets) = target.kind {
                for element in targets { if let root = Self.root(of: element.value) { names.insert(root) } }
            }
        case .call(let callee, _):
            if case .member(let base, let method) = callee.kind, Interpreter.mutatingMethodNames.contains(method),
               let root = Self.root(of: base) {
                names.insert(root)
            }
        default: break
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
