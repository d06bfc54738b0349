/// A statement of the cell language, with where it starts in the notebook file.
public struct Statement: Sendable {
    public var kind: Kind
    public var location: SourceLocation

    public init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    public indirect enum Kind: Sendable {
        case expression(Expression)
        /// `let pattern = value` / `var pattern = value` (type annotations are checked by name
        /// when present, as a convenience; `var x: Int` without a value is allowed for `var`).
        case binding(isConstant: Bool, pattern: Pattern, typeName: String?, value: Expression?)
        case function(FunctionDeclaration)
        /// `if conditions { then } else { ... }`; `else if` is an `else` holding one `if`.
        case ifStatement(conditions: [Condition], then: [Statement], otherwise: [Statement]?)
        case guardStatement(conditions: [Condition], otherwise: [Statement])
        case whileLoop(conditions: [Condition], body: [Statement])
        case repeatWhile(body: [Statement], condition: Expression)
        case forIn(pattern: Pattern, sequence: Expression, filter: Expression?, body: [Statement])
        case switchStatement(subject: Expression, cases: [SwitchCase])
        /// `do { ... }`: a nested scope.
        case block([Statement])
        case breakStatement
        case continueStatement
        case returnStatement(Expression?)
    }
}

/// What a binding or loop variable binds: `x`, `_`, `(a, b)`.
public indirect enum Pattern: Sendable {
    case name(String)
    case wildcard
    case tuple([Pattern])
}

/// One clause of an `if`, `guard` or `while` condition list.
public enum Condition: Sendable {
    case expression(Expression)
    /// `let name = value` / `var name = value`: true when the value is not nil, binding the unwrapped value.
    case optionalBinding(isConstant: Bool, name: String, value: Expression)
}

/// `func name(label name: Type = default, ...) -> Type { body }`. Arguments are
/// checked by label and count, and against simple declared types.
public struct FunctionDeclaration: Sendable {
    public var name: String
    public var parameters: [Parameter]
    /// The declared result type's text (`Double`, `Int?`), if any: integer results
    /// become Double for `Double`, and results are wrapped for optional types.
    public var returnTypeName: String?
    public var body: [Statement]
    public var location: SourceLocation

    public init(name: String, parameters: [Parameter], returnTypeName: String? = nil, body: [Statement],
                location: SourceLocation) {
        self.name = name
        self.parameters = parameters
        self.returnTypeName = returnTypeName
        self.body = body
        self.location = location
    }
}

/// A function parameter: `label name`, `_ name` (no label), or `name` (label = name).
public struct Parameter: Sendable {
    /// The argument label callers write; nil for `_`.
    public var label: String?
    /// The name inside the body.
    public var name: String
    /// The declared type's text (`Double`, `[Int]`); simple types are checked and an Int
    /// argument becomes a Double for a `Double` parameter, as a literal would in Swift.
    public var typeName: String?
    public var defaultValue: Expression?

    public init(label: String?, name: String, typeName: String? = nil, defaultValue: Expression?) {
        self.label = label
        self.name = name
        self.typeName = typeName
        self.defaultValue = defaultValue
    }
}

/// `case 1, 2:` / `case 0..<10:` / `case let x where x > 3:` / `default:`.
public struct SwitchCase: Sendable {
    /// Empty for `default`.
    public var patterns: [CasePattern]
    public var guardExpression: Expression?
    public var body: [Statement]
    public var location: SourceLocation

    public init(patterns: [CasePattern], guardExpression: Expression?, body: [Statement], location: SourceLocation) {
        self.patterns = patterns
        self.guardExpression = guardExpression
        self.body = body
        self.location = location
    }
}

/// A pattern in a `case` label.
public enum CasePattern: Sendable {
    /// Matches when equal to the subject, or when a range contains it.
    case value(Expression)
    /// `let name`: always matches, binding the subject.
    case binding(name: String)
    /// `_`.
    case wildcard
}

/// A whole parsed cell: its statements, ready to run.
public struct CellProgram: Sendable {
    public var statements: [Statement]

    public init(statements: [Statement]) {
        self.statements = statements
    }
}
