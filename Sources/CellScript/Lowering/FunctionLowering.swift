import SwiftSyntax

/// `func` declarations and closures. Parameter and return types are documentation
/// for the student: calls are checked by label and count, values at run time.
extension Lowerer {
    func lowerFunction(_ node: FunctionDeclSyntax) -> FunctionDeclaration? {
        checkAttributes(node.attributes)
        checkModifiers(node.modifiers)
        guard case .identifier = node.name.tokenKind else {
            reject(.operatorFunction, at: node.name)
            return nil
        }
        if let generics = node.genericParameterClause { reject(.genericParameters, at: generics) }
        if let whereClause = node.genericWhereClause { reject(.genericWhereClause, at: whereClause) }
        if let effects = node.signature.effectSpecifiers {
            if let keyword = effects.asyncSpecifier { reject(.asyncFunction, at: keyword) }
            if let clause = effects.throwsClause { reject(.throwingFunction, at: clause) }
        }
        if let returnClause = node.signature.returnClause { checkTypeAnnotation(returnClause.type) }
        let parameters = node.signature.parameterClause.parameters.map { lowerParameter($0) }
        guard let body = node.body else {
            reject(.functionWithoutBody, at: node)
            return nil
        }
        return FunctionDeclaration(
            name: spelling(of: node.name), parameters: parameters,
            returnTypeName: node.signature.returnClause?.type.trimmedDescription,
            body: lowerBlock(body), location: location(of: node))
    }

    /// `x: Int` (label and name `x`), `_ x: Int` (no label), `from x: Int = 0`.
    private func lowerParameter(_ node: FunctionParameterSyntax) -> Parameter {
        checkAttributes(node.attributes)
        checkModifiers(node.modifiers)
        checkTypeAnnotation(node.type)
        if let ellipsis = node.ellipsis { reject(.variadicParameter, at: ellipsis) }
        let firstName = spelling(of: node.firstName)
        let label = node.firstName.tokenKind == .wildcard ? nil : firstName
        let innerName = node.secondName.map { spelling(of: $0) } ?? firstName
        let defaultValue = node.defaultValue.map { lowerExpression($0.value) }
        return Parameter(label: label, name: innerName, typeName: node.type.trimmedDescription, defaultValue: defaultValue)
    }

    /// `{ a, b in ... }`, `{ (a: Int, b) -> Int in ... }`, `{ $0 + 1 }`.
    func lowerClosure(_ node: ClosureExprSyntax) -> Closure {
        var parameters: [String] = []
        if let signature = node.signature {
            checkAttributes(signature.attributes)
            if let capture = signature.capture { reject(.captureList, at: capture) }
            if let effects = signature.effectSpecifiers {
                if let keyword = effects.asyncSpecifier { reject(.asyncClosure, at: keyword) }
                if let clause = effects.throwsClause { reject(.throwingClosure, at: clause) }
            }
            if let returnClause = signature.returnClause { checkTypeAnnotation(returnClause.type) }
            switch signature.parameterClause {
            case .simpleInput(let names):
                parameters = names.map { spelling(of: $0.name) }
            case .parameterClause(let clause):
                parameters = clause.parameters.map { lowerClosureParameter($0) }
            case nil:
                parameters = []
            }
        }
        return Closure(parameters: parameters, body: lowerBlock(node.statements), location: location(of: node))
    }

    private func lowerClosureParameter(_ node: ClosureParameterSyntax) -> String {
        checkAttributes(node.attributes)
        checkModifiers(node.modifiers)
        if let type = node.type { checkTypeAnnotation(type) }
        if let ellipsis = node.ellipsis { reject(.variadicParameter, at: ellipsis) }
        return spelling(of: node.secondName ?? node.firstName)
    }
}
