/// A value of the cell language, checked dynamically as the interpreter runs.
///
/// The companions of this file form the API that built-in libraries (the model
/// API, target `ModelAPI`) program against:
/// - `ScriptObject.swift`: the protocol engine values (tensors, cells, iterators) adopt.
/// - `BuiltinFunction.swift`: native functions, their `Arguments`, the `ScriptContext`
///   they run in, and `BuiltinLibrary`, the registration point (`Session.register(_:)`).
/// - `ScriptError.swift`: the error a built-in throws; the interpreter adds the location.
/// - `ValueDisplay.swift`, `ValueEquality.swift`, `ValueAccessors.swift`.
public enum Value {
    /// Overflow-checked: arithmetic that does not fit is a runtime error.
    case int(Int)
    case double(Double)
    case bool(Bool)
    case string(String)
    /// Swift's `Optional`: `.optional(nil)` is `nil`, `.optional(v)` displays as `Optional(v)`.
    indirect case optional(Value?)
    case array([Value])
    /// Keys are Int, String or Bool; iteration follows insertion order.
    case dictionary(ScriptDictionary)
    /// `(1, 2)`, `(x: 1, y: 2)`; the empty tuple is `Void`.
    case tuple([TupleElement])
    case range(ScriptRange)
    /// A `func` or closure written in a cell, with the environment it captured.
    case function(ScriptFunction)
    /// A native function or a bound native method.
    case builtin(BuiltinFunction)
    /// `.train` written where the type is implied; compared by name.
    case enumCase(String)
    /// An engine value (tensor, model, cell, batch iterator, ...).
    case object(any ScriptObject)

    /// `()`: what a call returns when it returns nothing.
    public static var void: Value { .tuple([]) }
    /// The `nil` literal.
    public static var nilValue: Value { .optional(nil) }

    /// Wraps a Swift optional as a cell optional (`nil` or `Optional(value)`).
    public static func optional(from value: Value?) -> Value {
        .optional(value)
    }

    public var isVoid: Bool {
        if case .tuple(let elements) = self { return elements.isEmpty }
        return false
    }

    public var isNil: Bool {
        if case .optional(nil) = self { return true }
        return false
    }

    /// The value inside one level of `Optional`, or the value itself when not optional;
    /// nil when the value is `nil`.
    public var unwrapped: Value? {
        if case .optional(let inner) = self { return inner }
        return self
    }
}

/// One element of a tuple: `x: 1` or just `1`.
public struct TupleElement {
    public var label: String?
    public var value: Value

    public init(label: String? = nil, _ value: Value) {
        self.label = label
        self.value = value
    }
}

/// `a..<b`, `a...b`, `a...`, `..<b`, `...b` over Int.
public struct ScriptRange: Equatable, Hashable {
    /// nil for `..<b` and `...b`.
    public var lower: Int?
    /// nil for `a...`.
    public var upper: Int?
    /// true for `a...b` and `...b`: the upper bound is included.
    public var isClosed: Bool

    public init(lower: Int?, upper: Int?, isClosed: Bool) {
        self.lower = lower
        self.upper = upper
        self.isClosed = isClosed
    }

    /// The half-open bounds within `0..<count` this range selects, or nil when it
    /// reaches outside them (used by slicing).
    public func bounds(within count: Int) -> Range<Int>? {
        let start = lower ?? 0
        var end = upper ?? count
        if isClosed, upper != nil {
            let (next, overflow) = end.addingReportingOverflow(1)
            if overflow { return nil }
            end = next
        }
        guard start >= 0, end <= count, start <= end else { return nil }
        return start..<end
    }

    /// Whether `value` lies in the range (a one-sided range is unbounded on its open side).
    public func contains(_ value: Int) -> Bool {
        if let lower, value < lower { return false }
        if let upper {
            return isClosed ? value <= upper : value < upper
        }
        return true
    }

    /// Number of elements when both bounds are known; nil for one-sided ranges or overflow.
    public var count: Int? {
        guard let lower, let upper else { return nil }
        var (span, overflow) = upper.subtractingReportingOverflow(lower)
        if overflow { return nil }
        if isClosed {
            (span, overflow) = span.addingReportingOverflow(1)
            if overflow { return nil }
        }
        return Swift.max(span, 0)
    }
}

/// The key of a dictionary: only values with a stable identity can be keys.
public enum DictionaryKey: Hashable {
    case int(Int)
    case string(String)
    case bool(Bool)

    public init?(_ value: Value) {
        switch value {
        case .int(let number): self = .int(number)
        case .string(let text): self = .string(text)
        case .bool(let flag): self = .bool(flag)
        default: return nil
        }
    }

    public var value: Value {
        switch self {
        case .int(let number): return .int(number)
        case .string(let text): return .string(text)
        case .bool(let flag): return .bool(flag)
        }
    }
}

/// A dictionary that remembers insertion order, so iteration and display are
/// deterministic (Swift leaves them unspecified).
public struct ScriptDictionary {
    public private(set) var keys: [DictionaryKey] = []
    public private(set) var values: [Value] = []
    private var positions: [DictionaryKey: Int] = [:]

    public init() {}

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    public subscript(key: DictionaryKey) -> Value? {
        get { positions[key].map { values[$0] } }
        set {
            if let newValue {
                if let position = positions[key] {
                    values[position] = newValue
                } else {
                    positions[key] = keys.count
                    keys.append(key)
                    values.append(newValue)
                }
            } else {
                removeValue(forKey: key)
            }
        }
    }

    /// Removes the entry; returns the value it held.
    @discardableResult
    public mutating func removeValue(forKey key: DictionaryKey) -> Value? {
        guard let position = positions[key] else { return nil }
        let old = values[position]
        keys.remove(at: position)
        values.remove(at: position)
        positions[key] = nil
        for index in position..<keys.count {
            positions[keys[index]] = index
        }
        return old
    }

    /// `(key: k, value: v)` tuples, in insertion order.
    public var entries: [Value] {
        zip(keys, values).map { key, value in
            .tuple([TupleElement(label: "key", key.value), TupleElement(label: "value", value)])
        }
    }
}

/// A function written in a cell (`func` or closure) and the scope it closes over.
/// A class so that a function value captures its environment by reference, as in Swift.
public final class ScriptFunction {
    public enum Body {
        case declaration(FunctionDeclaration)
        case closure(Closure)
    }

    public let body: Body
    let environment: Environment

    init(_ body: Body, environment: Environment) {
        self.body = body
        self.environment = environment
    }

    /// `name(label:other:)` for a declaration, `closure` otherwise.
    public var name: String {
        switch body {
        case .declaration(let declaration):
            let labels = declaration.parameters.map { "\($0.label ?? "_"):" }.joined()
            return "\(declaration.name)(\(labels))"
        case .closure:
            return "closure"
        }
    }
}
