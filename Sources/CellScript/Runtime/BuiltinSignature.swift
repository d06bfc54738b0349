/// A built-in's Swift signature as data: its name, each parameter's label, name, type and
/// default, what it returns and one line saying what it does. Declared once beside the
/// built-in (`BuiltinRegistry.declare`), it is what the arguments are matched and checked
/// against when a cell calls it, what `lesson check` checks calls against before anything
/// runs, and what `help(f)` in a cell and `lesson builtins` print.
public struct BuiltinSignature {
    public var name: String
    public var parameters: [BuiltinParameter]
    /// The type of the result as Swift would write it (`Tensor`, `[Int]`); nil for none.
    public var returns: String?
    /// One sentence: what a student reads in `help(f)`.
    public var summary: String
    /// The group it is listed under in `lesson builtins` ("Data", "Tensors", ...).
    public var topic: String

    public init(_ name: String, _ parameters: [BuiltinParameter], returns: String? = nil,
                topic: String = "", summary: String = "") {
        self.name = name
        self.parameters = parameters
        self.returns = returns
        self.topic = topic
        self.summary = summary
    }

    /// How messages name the function, as Swift does: `ptbIterator(_:batchSize:numSteps:)`.
    public var selector: String { BuiltinParameter.selector(name, parameters) }

    /// The declaration as Swift would write it:
    /// `ptbIterator(_ data: [Int], batchSize: Int, numSteps: Int) -> BatchIterator`.
    public var declaration: String {
        let list = parameters.map(\.declaration).joined(separator: ", ")
        return "\(name)(\(list))" + (returns.map { " -> \($0)" } ?? "")
    }

    /// The values of `arguments` in parameter order (defaults filled in), each checked
    /// against its parameter's type; a message naming the function and the parameter otherwise.
    public func bind(_ arguments: Arguments) throws -> [Value] {
        var named = arguments
        named.functionName = name
        let values = try named.bind(parameters)
        for (parameter, value) in zip(parameters, values) {
            try parameter.type.check(value, "\(selector): \(parameter.name)")
        }
        return values
    }

    /// Why a call with these labels (nil: unlabelled; `isClosure`: a closure literal, which
    /// may fill a labelled parameter as a trailing closure) cannot match, or nil when it can:
    /// the rule `bind` applies, for checking calls before they run.
    public func bindingProblem(_ labels: [(label: String?, isClosure: Bool)]) -> BindingProblem? {
        if case .failure(let problem) = BuiltinParameter.match(labels, to: parameters, selector: selector) { return problem }
        return nil
    }

    /// The parameter each argument fills, in argument order, when the labels match.
    public func parameters(for labels: [(label: String?, isClosure: Bool)]) -> [BuiltinParameter?] {
        guard case .success(let slots) = BuiltinParameter.match(labels, to: parameters, selector: selector) else {
            return labels.map { _ in nil }
        }
        var result: [BuiltinParameter?] = labels.map { _ in nil }
        for (parameter, slot) in zip(parameters, slots) { if let slot { result[slot] = parameter } }
        return result
    }
}

/// The type of a built-in's parameter, as far as the cell language can check it before the
/// built-in runs. `.described` types (a tensor or anything that becomes one, a split of the
/// corpus as `[Int]` or ids) are shown in signatures and checked by the built-in itself.
public indirect enum ScriptType: Sendable, Equatable, CustomStringConvertible {
    case int, double, bool, string
    case array(ScriptType)
    case optional(ScriptType)
    /// A cell function, closure or built-in.
    case function
    /// An object whose `typeName` is one of these (`PTBModel`, `Tensor` or `Variable`).
    case object([String])
    /// Shown as written; the built-in checks the value itself.
    case described(String)

    public var description: String {
        switch self {
        case .int: "Int"
        case .double: "Double"
        case .bool: "Bool"
        case .string: "String"
        case .array(let element): "[\(element)]"
        case .optional(let wrapped): "\(wrapped)?"
        case .function: "Function"
        case .object(let names): names.first ?? "Object"
        case .described(let text): text
        }
    }

    /// How messages name what was expected: `Int`, `Array`, `a function`; an optional's
    /// wrapped type (nil is always fine).
    public var expectedName: String {
        switch self {
        case .int, .double, .bool, .string, .described: description
        case .array: "Array"
        case .optional(let wrapped): wrapped.expectedName
        case .function: "a function"
        case .object(let names): names.joined(separator: " or ")
        }
    }

    /// Whether a literal of this kind could be passed, for checks before running.
    public func accepts(literal: LiteralKind) -> Bool {
        switch (self, literal) {
        case (.described, _), (.optional, .nilLiteral): return true
        case (.optional(let wrapped), _): return wrapped.accepts(literal: literal)
        case (.int, .integer), (.double, .integer), (.double, .double), (.bool, .boolean), (.string, .string),
             (.array, .array), (.function, .closure):
            return true
        default: return false
        }
    }

    /// The kinds of literal `lesson check` can judge without running anything.
    public enum LiteralKind: Sendable {
        case integer, double, boolean, string, array, nilLiteral, closure
    }

    /// Throws `what: expected T, got U` when `value` cannot be this type. An Int fills a
    /// Double, as an integer literal does in Swift.
    func check(_ value: Value, _ what: String) throws {
        switch self {
        case .described: return
        case .int: _ = try value.asInt(what)
        case .double: _ = try value.asDouble(what)
        case .bool: _ = try value.asBool(what)
        case .string: _ = try value.asString(what)
        case .function:
            guard value.isCallable else { throw value.mismatch(what, expected: expectedName) }
        case .optional(let wrapped):
            guard case .optional(let inner) = value else { return try wrapped.check(value, what) }
            if let inner { try wrapped.check(inner, what) }
        case .array(let element):
            let elements = try value.asArray(what)
            if case .described = element { return }
            for (index, item) in elements.enumerated() { try element.check(item, "\(what)[\(index)]") }
        case .object(let names):
            guard case .object(let object) = value, names.contains(object.typeName) else {
                throw value.mismatch(what, expected: expectedName)
            }
        }
    }
}

extension BuiltinParameter {
    /// `"batchSize"` (label and name alike), `"_ data"` (unlabelled, called data in messages)
    /// or `"from path"` (label, name), with its type and default.
    public init(_ spelling: String, _ type: ScriptType, default defaultValue: Value? = nil) {
        let words = spelling.split(separator: " ", maxSplits: 1).map(String.init)
        let label = words.first ?? spelling
        self.init(label, default: defaultValue)
        self.name = words.count > 1 ? words[1] : label
        self.type = type
    }

    /// `_ data: [Int]`, `minval: Double = 0`, `seed: Int? = nil`.
    var declaration: String {
        let head = label == nil ? "_ \(name)" : (label == name ? name : "\(label ?? "_") \(name)")
        let tail = defaultValue.map { " = \(Self.literal($0))" } ?? ""
        return "\(head): \(type)\(tail)"
    }

    private static func literal(_ value: Value) -> String {
        switch value {
        case .optional(nil): "nil"
        case .string(let text): "\"\(text)\""
        default: value.description
        }
    }
}
