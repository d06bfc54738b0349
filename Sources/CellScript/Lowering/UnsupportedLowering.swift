import SwiftSyntax

/// Which `UnsupportedConstruct` a declaration or expression the cell language does
/// not have is, and where to point at it: at its keyword, so that the caret sits
/// under the word the message names.
extension Lowerer {
    func rejectDeclaration(_ declaration: DeclSyntax) {
        switch declaration.as(DeclSyntaxEnum.self) {
        case .structDecl(let node): reject(.structDeclaration, at: node.structKeyword)
        case .classDecl(let node): reject(.classDeclaration, at: node.classKeyword)
        case .enumDecl(let node): reject(.enumDeclaration, at: node.enumKeyword)
        case .protocolDecl(let node): reject(.protocolDeclaration, at: node.protocolKeyword)
        case .extensionDecl(let node): reject(.extensionDeclaration, at: node.extensionKeyword)
        case .actorDecl(let node): reject(.actorDeclaration, at: node.actorKeyword)
        case .typeAliasDecl(let node): reject(.typeAlias, at: node.typealiasKeyword)
        case .operatorDecl(let node): reject(.operatorDeclaration, at: node.operatorKeyword)
        case .precedenceGroupDecl(let node): reject(.precedenceGroup, at: node.precedencegroupKeyword)
        case .macroDecl(let node): reject(.macroDeclaration, at: node.macroKeyword)
        case .macroExpansionDecl(let node): reject(.macroExpansion(node.macroName.text), at: node)
        case .initializerDecl(let node): reject(.initializer, at: node.initKeyword)
        case .deinitializerDecl(let node): reject(.deinitializer, at: node.deinitKeyword)
        case .subscriptDecl(let node): reject(.subscriptDeclaration, at: node.subscriptKeyword)
        case .associatedTypeDecl(let node): reject(.associatedType, at: node.associatedtypeKeyword)
        case .enumCaseDecl(let node): reject(.enumCase, at: node.caseKeyword)
        case .ifConfigDecl(let node): reject(.conditionalCompilation, at: node)
        case .poundSourceLocation(let node): reject(.sourceLocationDirective, at: node)
        default: reject(.otherDeclaration, at: declaration)
        }
    }

    func rejectExpression(_ expression: ExprSyntax) {
        switch expression.as(ExprSyntaxEnum.self) {
        case .awaitExpr: reject(.awaitExpression, at: expression)
        case .keyPathExpr: reject(.keyPath, at: expression)
        case .macroExpansionExpr(let node): reject(.macroExpansion(node.macroName.text), at: node)
        case .ifExpr: reject(.ifExpression, at: expression)
        case .switchExpr: reject(.switchExpression, at: expression)
        case .inOutExpr: reject(.inoutArgument, at: expression)
        case .genericSpecializationExpr(let node): reject(.genericArguments, at: node.genericArgumentClause)
        case .regexLiteralExpr: reject(.regexLiteral, at: expression)
        case .superExpr: reject(.superExpression, at: expression)
        case .copyExpr: reject(.ownership("copy"), at: expression)
        case .consumeExpr: reject(.ownership("consume"), at: expression)
        case .borrowExpr: reject(.ownership("_borrow"), at: expression)
        case .packElementExpr, .packExpansionExpr: reject(.parameterPack, at: expression)
        case .unsafeExpr: reject(.unsafeExpression, at: expression)
        case .typeExpr(let node): reject(.typeExpression(node.type.trimmedDescription), at: node)
        case .discardAssignmentExpr: reject(.discardOutsideAssignment, at: expression)
        case .postfixIfConfigExpr: reject(.conditionalCompilation, at: expression)
        case .patternExpr: reject(.complexCasePattern, at: expression)
        default: reject(.otherExpression(excerpt(of: expression)), at: expression)
        }
    }

    /// The start of an expression's text, short enough for one message line.
    private func excerpt(of expression: ExprSyntax) -> String {
        let text = expression.trimmedDescription.split(separator: "\n").first.map(String.init) ?? ""
        return text.count > 30 ? String(text.prefix(30)) + "..." : text
    }
}
