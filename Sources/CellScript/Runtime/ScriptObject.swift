/// An engine value a cell can hold: a tensor, a model, an LSTM cell, a batch iterator, ...
///
/// Built-in libraries adopt this protocol so the interpreter core never needs to
/// know the engine. Every requirement except `typeName` and `description` has a
/// default that reports "not supported", so an adopter implements only what its
/// type offers. Errors thrown from here (`ScriptError` or any `Error`) become
/// runtime diagnostics at the expression that triggered them.
///
/// Objects with state that methods change (an iterator's position, a model's
/// weights) should be classes: the interpreter copies `Value`s freely.
public protocol ScriptObject {
    /// The name shown in messages and matched by `is`/`as?`: `Tensor`, `BasicLSTMCell`.
    var typeName: String { get }

    /// How the value displays as a cell result and in `print`: a numpy-style repr for a tensor.
    var description: String { get }

    /// A property value or a bound method (`.builtin`) named `name`; nil when there is none
    /// (the interpreter then reports "value of type T has no member 'name'").
    func member(_ name: String) throws -> Value?

    /// `object.name = value`; return false when the member is not settable.
    func setMember(_ name: String, to value: Value) throws -> Bool

    /// `object[arguments]`; nil when the type cannot be subscripted.
    func subscripted(by arguments: Arguments) throws -> Value?

    /// `object[arguments] = value`; return false when not supported.
    func setSubscript(_ arguments: Arguments, to value: Value) throws -> Bool

    /// A binary operator with this object on one side (`t + 1`, `2 * t`); nil when unsupported.
    /// `isLeft` says whether the object is the left operand.
    func binaryOperator(_ symbol: String, other: Value, isLeft: Bool) throws -> Value?

    /// A prefix operator (`-t`); nil when unsupported.
    func prefixOperator(_ symbol: String) throws -> Value?

    /// The object `for x in object` pulls from: it must have a `next` method that returns
    /// `nil` (or `.optional(nil)`) at the end. Default: the object itself.
    func makeIterator() throws -> any ScriptObject

    /// `==` between two objects. Default: not equal.
    func isEqual(to other: any ScriptObject) -> Bool
}

extension ScriptObject {
    public func setMember(_ name: String, to value: Value) throws -> Bool { false }
    public func subscripted(by arguments: Arguments) throws -> Value? { nil }
    public func setSubscript(_ arguments: Arguments, to value: Value) throws -> Bool { false }
    public func binaryOperator(_ symbol: String, other: Value, isLeft: Bool) throws -> Value? { nil }
    public func prefixOperator(_ symbol: String) throws -> Value? { nil }
    public func makeIterator() throws -> any ScriptObject { self }
    public func isEqual(to other: any ScriptObject) -> Bool { false }
}
