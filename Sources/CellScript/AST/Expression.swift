/// An expression of the cell language, with where it starts in the notebook file.
///
/// Built by lowering swift-syntax's tree after operators are folded, so binary
/// operators arrive as one node with their precedence already applied. Only
/// constructs the interpreter supports can be represented: anything else is a
/// located `CellDiagnostic` at lowering time.
public struct Expression: Sendable {
    public var kind: Kind
    public var location: SourceLocation

    public init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    public indirect enum Kind: Sendable {
        case integer(Int)
        case double(Double)
        case boolean(Bool)
        case string(String)
        /// `"a \(b) c"`: literal text and embedded expressions, in order.
        case interpolation([InterpolationPart])
        case nilLiteral
        case identifier(String)
        /// `$0`, `$1`: a closure's anonymous parameters.
        case anonymousParameter(Int)
        case array([Expression])
        case dictionary([(key: Expression, value: Expression)])
        /// `(a, b)`, `(x: 1, y: 2)`. A parenthesised single expression lowers to that expression.
        case tuple([(label: String?, value: Expression)])
        /// `-x`, `!x`, `..<n` (one-sided range).
        case prefix(operator: String, Expression)
        /// `n...` (one-sided range).
        case postfix(operator: String, Expression)
        /// `+ - * / %`, comparisons, `&& ||`, `??`, `..< ...`.
        case binary(operator: String, Expression, Expression)
        /// `condition ? a : b`.
        case ternary(Expression, Expression, Expression)
        /// `target = value`, `target += value` and the other compound assignments.
        case assignment(operator: String, target: Expression, value: Expression)
        /// `f(x, label: y) { ... }`: trailing closures are appended to `arguments`
        /// (the first unlabeled, later ones with their labels).
        case call(callee: Expression, arguments: [Argument])
        /// `base.name`; tuple elements are `base.0`.
        case member(Expression, name: String)
        /// `.name` where the type is implied (`mode: .train`).
        case implicitMember(name: String)
        /// `base[arguments]`.
        case subscripted(Expression, arguments: [Argument])
        case closure(Closure)
        /// `x!`.
        case forceUnwrap(Expression)
        /// `x?.member`, `x?[i]`, `x?.f()`: the chain evaluates to nil when `x` is nil.
        case optionalChain(Expression)
        /// `try e`, `try? e` (nil on error), `try! e` (the error is reported, never a trap).
        case tryExpression(TryKind, Expression)
        /// `x is T`, `x as T`, `x as? T`: type names are checked at run time by name.
        case typeCheck(TypeCheckKind, Expression, typeName: String)
    }

    public enum TryKind: Sendable { case plain, optional, forced }
    public enum TypeCheckKind: Sendable { case isType, asType, asOptional }
}

/// A call or subscript argument: `label: value` or just `value`.
public struct Argument: Sendable {
    public var label: String?
    public var value: Expression
    public var location: SourceLocation

    public init(label: String?, value: Expression, location: SourceLocation) {
        self.label = label
        self.value = value
        self.location = location
    }
}

/// A piece of an interpolated string.
public enum InterpolationPart: Sendable {
    case text(String)
    case expression(Expression)
}

/// `{ a, b in ... }` or `{ $0 + 1 }`.
public struct Closure: Sendable {
    /// Named parameters; empty when the body uses `$0`-style parameters or none.
    public var parameters: [String]
    public var body: [Statement]
    public var location: SourceLocation

    public init(parameters: [String], body: [Statement], location: SourceLocation) {
        self.parameters = parameters
        self.body = body
        self.location = location
    }
}
