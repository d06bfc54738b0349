/// Swift constructs that cells do not run, each named in words a student knows,
/// with what to write instead where there is a simple alternative.
enum UnsupportedConstruct: Equatable {
    // Declarations
    case structDeclaration, classDeclaration, enumDeclaration, protocolDeclaration
    case extensionDeclaration, actorDeclaration, typeAlias, importDeclaration
    case operatorDeclaration, precedenceGroup, macroDeclaration, initializer, deinitializer
    case subscriptDeclaration, associatedType, enumCase, conditionalCompilation
    case sourceLocationDirective, otherDeclaration
    case macroExpansion(String)
    case attribute(String)
    case modifier(String)
    // Functions and closures
    case genericParameters, genericWhereClause, genericArguments
    case asyncFunction, throwingFunction, asyncClosure, throwingClosure
    case inoutParameter, inoutArgument, variadicParameter
    case operatorFunction, functionWithoutBody, captureList
    // Statements
    case deferStatement, throwStatement, catchClause, typedThrowsDo, fallthroughStatement
    case labeledStatement, labeledJump, asyncLoop, forCase, forVar, ifCase, availabilityCondition
    case otherStatement
    // Bindings and patterns
    case computedProperty, letWithoutValue, varWithoutTypeOrValue
    case tuplePatternLabels, complexBindingPattern, complexCasePattern, whereWithSeveralPatterns
    case unknownDefault
    // Expressions
    case awaitExpression, keyPath, ifExpression, switchExpression, forcedCast, superExpression
    case projectedValue(String), functionReference, regexLiteral, ownership(String)
    case parameterPack, unsafeExpression, typeExpression(String), discardOutsideAssignment
    case interpolationArguments, opaqueOrExistentialType(String), otherExpression(String)
    case tooDeeplyNested

    var message: String {
        declarationMessage ?? functionMessage ?? statementMessage ?? patternMessage ?? expressionMessage
    }

    private var declarationMessage: String? {
        switch self {
        case .structDeclaration: "structs are not supported in cells; use a dictionary or a tuple"
        case .classDeclaration: "classes are not supported in cells; use a dictionary or a tuple"
        case .enumDeclaration: "enums are not supported in cells; use strings or integers for the cases"
        case .protocolDeclaration: "protocols are not supported in cells"
        case .extensionDeclaration: "extensions are not supported in cells; write a function instead"
        case .actorDeclaration: "actors are not supported in cells"
        case .typeAlias: "type aliases (`typealias`) are not supported in cells"
        case .importDeclaration:
            "imports are not supported in cells; the lesson's functions are available without one"
        case .operatorDeclaration: "operator declarations are not supported in cells; write a function instead"
        case .precedenceGroup: "precedence groups are not supported in cells"
        case .macroDeclaration: "macros are not supported in cells"
        case .initializer: "initializers (`init`) are not supported in cells; write a function instead"
        case .deinitializer: "deinitializers (`deinit`) are not supported in cells"
        case .subscriptDeclaration: "subscript declarations are not supported in cells; write a function instead"
        case .associatedType: "associated types are not supported in cells"
        case .enumCase: "enum cases are not supported in cells; use strings or integers"
        case .conditionalCompilation: "conditional compilation (`#if`) is not supported in cells"
        case .sourceLocationDirective: "`#sourceLocation` is not supported in cells"
        case .otherDeclaration: "this kind of declaration is not supported in cells"
        case .macroExpansion(let name): "macros such as `#\(name)` are not supported in cells"
        case .attribute(let name): "attributes such as `@\(name)` are not supported in cells"
        case .modifier(let name): "declaration modifiers such as `\(name)` are not supported in cells"
        default: nil
        }
    }

    private var functionMessage: String? {
        switch self {
        case .genericParameters:
            "generic parameters (`<T>`) are not supported in cells; write the function for concrete types"
        case .genericWhereClause: "generic `where` clauses are not supported in cells"
        case .genericArguments:
            "explicit generic arguments (`<...>`) are not supported in cells; write `[Int]()` rather than `Array<Int>()`"
        case .asyncFunction: "`async` functions are not supported in cells"
        case .throwingFunction:
            "throwing functions (`throws`) are not supported in cells; an error in a function stops the cell"
        case .asyncClosure: "`async` closures are not supported in cells"
        case .throwingClosure: "throwing closures (`throws`) are not supported in cells"
        case .inoutParameter: "`inout` parameters are not supported in cells; return the new value instead"
        case .inoutArgument: "passing `&x` (inout) is not supported in cells; return the new value instead"
        case .variadicParameter: "variadic parameters (`...`) are not supported in cells; pass an array"
        case .operatorFunction: "operator functions are not supported in cells; give the function a name"
        case .functionWithoutBody: "a function needs a body `{ ... }` in cells"
        case .captureList: "closure capture lists (`[x] in`) are not supported in cells"
        default: nil
        }
    }

    private var statementMessage: String? {
        switch self {
        case .deferStatement: "`defer` is not supported in cells"
        case .throwStatement: "`throw` is not supported in cells"
        case .catchClause:
            "`catch` is not supported in cells; an error stops the cell with its message, or use `try?` to get nil"
        case .typedThrowsDo: "`do throws(...)` is not supported in cells"
        case .fallthroughStatement: "`fallthrough` is not supported in cells; list the values in one `case`"
        case .labeledStatement:
            "labeled statements (`outer:`) are not supported in cells; use a flag variable or a function with `return`"
        case .labeledJump: "`break` and `continue` with a label are not supported in cells"
        case .asyncLoop: "`for try await` loops are not supported in cells"
        case .forCase: "`for case` loops are not supported in cells; use `for` with `where` or an `if` inside"
        case .forVar: "`for var` is not supported in cells; copy the loop variable into a `var` inside the loop"
        case .ifCase: "`case` patterns in conditions (`if case`) are not supported in cells; use `==` or `switch`"
        case .availabilityCondition: "availability checks (`#available`) are not supported in cells"
        case .otherStatement: "this kind of statement is not supported in cells"
        default: nil
        }
    }

    private var patternMessage: String? {
        switch self {
        case .computedProperty:
            "computed properties and property observers are not supported in cells; write a function instead"
        case .letWithoutValue: "a `let` needs a value in cells: write `let name = value`"
        case .varWithoutTypeOrValue: "a `var` needs a value or a type: write `var name = value`"
        case .tuplePatternLabels: "labels in tuple patterns are not supported in cells; write `let (a, b) = ...`"
        case .complexBindingPattern: "this pattern is not supported in cells; bind a name, `_`, or a tuple of names"
        case .complexCasePattern:
            "this `case` pattern is not supported in cells; match values, ranges, `let name` or `_`"
        case .whereWithSeveralPatterns:
            "`where` in a `case` with several patterns is not supported in cells; give that pattern its own `case`"
        case .unknownDefault: "`@unknown default` is not supported in cells; use `default`"
        default: nil
        }
    }

    private var expressionMessage: String {
        switch self {
        case .awaitExpression: "`await` is not supported in cells"
        case .keyPath: "key paths (`\\.name`) are not supported in cells; use a closure such as `{ $0.name }`"
        case .ifExpression: "`if` used as a value is not supported in cells; use `condition ? a : b`"
        case .switchExpression: "`switch` used as a value is not supported in cells; assign a `var` in each case"
        case .forcedCast: "forced casts (`as!`) are not supported in cells; use `as?` with `if let`"
        case .superExpression: "`super` is not supported in cells"
        case .projectedValue(let name): "property wrapper values such as `\(name)` are not supported in cells"
        case .functionReference:
            "function references with argument labels (`f(x:)`) are not supported in cells; use a closure"
        case .regexLiteral: "regex literals are not supported in cells"
        case .ownership(let keyword): "`\(keyword)` is not supported in cells"
        case .parameterPack: "parameter packs (`each`, `repeat`) are not supported in cells"
        case .unsafeExpression: "`unsafe` is not supported in cells"
        case .typeExpression(let text): "this use of the type `\(text)` is not supported in cells"
        case .discardOutsideAssignment: "`_` can only be used as `_ = value` or in a pattern"
        case .interpolationArguments:
            "string interpolation takes one value in cells: write `\\(value)`"
        case .opaqueOrExistentialType(let keyword):
            "`\(keyword)` types are not supported in cells; name the type or leave it out"
        case .otherExpression(let text): "this expression (`\(text)`) is not supported in cells"
        case .tooDeeplyNested: "this expression is nested too deeply; split it into several `let`s"
        default: "this construct is not supported in cells"
        }
    }
}
