import SwiftSyntax

/// `let`/`var` bindings, `func` declarations, and the declarations cells reject.
extension Lowerer {
    func lowerDeclaration(_ declaration: DeclSyntax) -> [Statement] {
        switch declaration.as(DeclSyntaxEnum.self) {
        case .variableDecl(let node):
            return lowerVariable(node)
        case .functionDecl(let node):
            return lowerFunction(node).map { [Statement(.function($0), at: $0.location)] } ?? []
        case .importDecl(let node):
            // Students paste `import Foundation` from Swift code they have seen; it is
            // harmless here, so it is accepted and does nothing. Other imports are named.
            if node.path.count == 1, node.path.first?.name.text == "Foundation",
                node.attributes.isEmpty, node.modifiers.isEmpty, node.importKindSpecifier == nil
            {
                return []
            }
            reject(.importDeclaration, at: node.importKeyword)
            return []
        default:
            rejectDeclaration(declaration)
            return []
        }
    }

    /// `let a = 1, b: Int = 2` is one statement per binding.
    private func lowerVariable(_ node: VariableDeclSyntax) -> [Statement] {
        checkAttributes(node.attributes)
        checkModifiers(node.modifiers)
        let isConstant = node.bindingSpecifier.tokenKind == .keyword(.let)
        return node.bindings.enumerated().map { index, binding in
            let pattern = lowerBindingPattern(binding.pattern)
            var typeName: String?
            if let annotation = binding.typeAnnotation {
                checkTypeAnnotation(annotation.type)
                typeName = annotation.type.trimmedDescription
            }
            if let accessors = binding.accessorBlock { reject(.computedProperty, at: accessors) }
            let value = binding.initializer.map { lowerExpression($0.value) }
            if value == nil, binding.accessorBlock == nil {
                if isConstant {
                    reject(.letWithoutValue, at: binding)
                } else if typeName == nil {
                    reject(.varWithoutTypeOrValue, at: binding)
                }
            }
            let kind = Statement.Kind.binding(
                isConstant: isConstant, pattern: pattern, typeName: typeName, value: value)
            // The first binding starts at `let`; later ones at their own pattern.
            let start = index == 0 ? location(of: node) : location(of: binding)
            return Statement(kind, at: start)
        }
    }

    /// `x`, `_`, `(a, (b, _))`.
    func lowerBindingPattern(_ pattern: PatternSyntax) -> Pattern {
        switch pattern.as(PatternSyntaxEnum.self) {
        case .identifierPattern(let node):
            return .name(spelling(of: node.identifier))
        case .wildcardPattern:
            return .wildcard
        case .tuplePattern(let node):
            return .tuple(node.elements.map { element in
                if let label = element.label { reject(.tuplePatternLabels, at: label) }
                return lowerBindingPattern(element.pattern)
            })
        default:
            reject(.complexBindingPattern, at: pattern)
            return .wildcard
        }
    }

    /// Attributes are reported, except those in `allowed`.
    func checkAttributes(_ attributes: AttributeListSyntax, allowing allowed: Set<String> = []) {
        for element in attributes {
            switch element {
            case .attribute(let attribute):
                let name = attribute.attributeName.trimmedDescription
                if !allowed.contains(name) { reject(.attribute(name), at: attribute) }
            case .ifConfigDecl(let ifConfig):
                reject(.conditionalCompilation, at: ifConfig)
            }
        }
    }

    func checkModifiers(_ modifiers: DeclModifierListSyntax) {
        for modifier in modifiers {
            reject(.modifier(modifier.name.text), at: modifier)
        }
    }

    /// Type annotations are kept as text for the interpreter to check by name; the
    /// kinds of type a cell cannot mean anything by are reported.
    func checkTypeAnnotation(_ type: TypeSyntax) {
        switch type.as(TypeSyntaxEnum.self) {
        case .someOrAnyType(let node):
            reject(.opaqueOrExistentialType(node.someOrAnySpecifier.text), at: node)
        case .attributedType(let node):
            let specifiers = (Array(node.specifiers) + Array(node.lateSpecifiers)).map(\.trimmedDescription)
            if specifiers.contains("inout") {
                reject(.inoutParameter, at: node)
            } else if let specifier = specifiers.first {
                // `borrowing`, `consuming`, `sending`, ...: ownership has no meaning in cells.
                reject(.ownership(specifier), at: node)
            }
            // `@escaping` and `@Sendable` say how a closure is used, which a cell need
            // not care about: types are documentation here.
            checkAttributes(node.attributes, allowing: ["escaping", "Sendable"])
            checkTypeAnnotation(node.baseType)
        case .namedOpaqueReturnType(let node):
            reject(.genericParameters, at: node)
        case .packElementType(let node):
            reject(.parameterPack, at: node)
        case .packExpansionType(let node):
            reject(.parameterPack, at: node)
        case .optionalType(let node):
            checkTypeAnnotation(node.wrappedType)
        case .implicitlyUnwrappedOptionalType(let node):
            checkTypeAnnotation(node.wrappedType)
        case .arrayType(let node):
            checkTypeAnnotation(node.element)
        case .dictionaryType(let node):
            checkTypeAnnotation(node.key)
            checkTypeAnnotation(node.value)
        case .tupleType(let node):
            node.elements.forEach { checkTypeAnnotation($0.type) }
        case .functionType(let node):
            node.parameters.forEach { checkTypeAnnotation($0.type) }
            checkTypeAnnotation(node.returnClause.type)
        default:
            return
        }
    }
}
