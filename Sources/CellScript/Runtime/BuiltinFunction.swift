import Figures
/// A function implemented in Swift: a global (`print`, `zeroState`) or a method
/// bound to its receiver (`array.append`, `cell.zeroState`).
public struct BuiltinFunction {
    /// How messages name it: `print`, `zeroState(batchSize:)`.
    public let name: String
    public let body: (Arguments, any ScriptContext) throws -> Value
    /// The global it is registered as (set by `Session.register`); nil for a bound method,
    /// which a saved session cannot carry because it holds its receiver.
    public internal(set) var globalName: String?

    public init(_ name: String, _ body: @escaping (Arguments, any ScriptContext) throws -> Value) {
        self.name = name
        self.body = body
    }
}

/// What a built-in may ask of the running interpreter.
public protocol ScriptContext: AnyObject {
    /// Calls a cell function or closure (or a built-in) with unlabelled arguments.
    func call(_ function: Value, _ arguments: [Value]) throws -> Value

    /// Appends text to the cell's output (what `print` writes).
    func write(_ text: String)

    /// Appends a figure (a chart, a heatmap) to the cell's output, after the text so far.
    func display(_ figure: Figure)

    /// Reports a long-running built-in's progress for a live display; not part of the output.
    func report(_ progress: ProgressReport)

    /// Charges `steps` against the cell's step budget and checks for an interrupt;
    /// throws the `.interrupted` error that ends the cell. Long-running built-ins
    /// (a training epoch, a big allocation loop) call this regularly, e.g. per batch.
    func checkpoint(steps: Int) throws
}

/// Registers globals into a session: the standard library and the model API adopt it.
public protocol BuiltinLibrary {
    func register(into registry: inout BuiltinRegistry)
}

/// The globals a library adds: functions (`ptbRawData`, `BasicLSTMCell`) and constants.
public struct BuiltinRegistry {
    public private(set) var globals: [String: Value] = [:]
    /// Per-session state the library keeps outside the globals, saved with session snapshots.
    public private(set) var stateHolders: [any SessionStateHolder] = []

    /// The object types a saved session may hold (`ArchivableObject`).
    private(set) var archives = ObjectArchives()

    /// Registers state that session snapshots must save and restore.
    public mutating func keepState(_ holder: any SessionStateHolder) {
        stateHolders.append(holder)
    }

    /// Registers an object type that saved sessions (the cell cache) can hold.
    package mutating func archive(_ type: any ArchivableObject.Type) {
        archives.register(type)
    }

    /// Registers how to read back entries the library writes itself under `tag`
    /// (`StateEncoder.reference(_:tag:write:)`), such as variables shared by several objects.
    package mutating func archiveEntries(tag: UInt8, read: @escaping ObjectArchives.EntryReader) {
        archives.register(tag: tag, read: read)
    }

    public init() {}

    /// Defines (or replaces) a global constant.
    public mutating func define(_ name: String, _ value: Value) {
        globals[name] = value
    }

    /// Defines (or replaces) a global function; `body` checks its own labels via `Arguments.bind`.
    public mutating func function(
        _ name: String, _ body: @escaping (Arguments, any ScriptContext) throws -> Value
    ) {
        globals[name] = .builtin(BuiltinFunction(name, body))
    }
}

/// The arguments of a call to a built-in, with their labels, in order.
public struct Arguments {
    public var items: [TupleElement]
    /// The function's name, used in messages.
    public var functionName: String

    public init(_ items: [TupleElement], functionName: String) {
        self.items = items
        self.functionName = functionName
    }

    public var count: Int { items.count }
    public var values: [Value] { items.map(\.value) }
    public var labels: [String?] { items.map(\.label) }

    /// The value labelled `label`, if given.
    public func value(labelled label: String) -> Value? {
        items.first { $0.label == label }?.value
    }

    /// Matches the arguments against a signature, in order, like Swift: each parameter
    /// takes the next argument when the labels agree; a parameter with a default may be
    /// left out. Returns one value per parameter; throws a message naming the problem.
    public func bind(_ parameters: [BuiltinParameter]) throws -> [Value] {
        var result: [Value] = []
        var index = 0
        for parameter in parameters {
            if index < items.count, Self.label(items[index], fits: parameter.label) {
                result.append(items[index].value)
                index += 1
            } else if let fallback = parameter.defaultValue {
                result.append(fallback)
            } else if index < items.count {
                throw ScriptError(labelMessage(expected: parameter, got: items[index], signature: parameters))
            } else {
                let name = parameter.label.map { "'\($0)'" } ?? "#\(result.count + 1)"
                throw ScriptError("missing argument \(name) in call to \(signature(parameters))")
            }
        }
        if index < items.count {
            throw ScriptError("extra argument in call to \(signature(parameters))")
        }
        return result
    }

    /// Labels must agree, except that a trailing closure (unlabelled) fills a labelled
    /// parameter, as in Swift (`xs.sorted { $0 > $1 }` for `sorted(by:)`).
    static func label(_ item: TupleElement, fits label: String?) -> Bool {
        item.label == label || (item.label == nil && item.value.isCallable)
    }

    private func labelMessage(expected: BuiltinParameter, got: TupleElement, signature parameters: [BuiltinParameter])
        -> String
    {
        let have = got.label.map { "'\($0):'" } ?? "no label"
        let want = expected.label.map { "'\($0):'" } ?? "no label"
        return "incorrect argument label in call to \(signature(parameters)) (have \(have), expected \(want))"
    }

    private func signature(_ parameters: [BuiltinParameter]) -> String {
        let labels = parameters.map { "\($0.label ?? "_"):" }.joined()
        return "\(functionName)(\(labels))"
    }
}

/// One parameter of a built-in's signature: `"_"` (unlabelled), `"units"`, or with a default.
public struct BuiltinParameter: ExpressibleByStringLiteral {
    /// nil for an unlabelled parameter.
    public var label: String?
    public var defaultValue: Value?

    public init(_ label: String?, default defaultValue: Value? = nil) {
        self.label = label == "_" ? nil : label
        self.defaultValue = defaultValue
    }

    public init(stringLiteral label: String) {
        self.init(label)
    }
}
