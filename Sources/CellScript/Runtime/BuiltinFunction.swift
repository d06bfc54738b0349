import Figures
/// A function implemented in Swift: a global (`print`, `zeroState`) or a method
/// bound to its receiver (`array.append`, `cell.zeroState`).
public struct BuiltinFunction {
    /// How messages name it: `print`, `zeroState(batchSize:)`.
    public let name: String
    public let body: (Arguments, any ScriptContext) throws -> Value
    /// The global it is registered as (set by `Session.register`); nil for a bound method,
    /// which a saved session cannot carry because it holds its receiver.
    public internal(set) var globalName: String? {
        get { details?.globalName }
        set { details = BuiltinDetails(signature: signature, globalName: newValue, isLibraryFunction: isLibraryFunction) }
    }
    /// Whether it is a global of a library other than the standard library (set by
    /// `Session.register`): calling it may read or change the library's state and objects.
    public internal(set) var isLibraryFunction: Bool {
        get { details?.isLibraryFunction ?? false }
        set { details = BuiltinDetails(signature: signature, globalName: globalName, isLibraryFunction: newValue) }
    }
    /// Its declared signature, for `help(f)`; nil for a built-in that reads its own arguments.
    public var signature: BuiltinSignature? { details?.signature }
    /// Boxed: a `Value` is as large as its largest case, and every array element is a `Value`.
    private var details: BuiltinDetails?

    public init(_ name: String, signature: BuiltinSignature? = nil,
                _ body: @escaping (Arguments, any ScriptContext) throws -> Value) {
        self.name = name
        self.details = signature.map { BuiltinDetails(signature: $0, globalName: nil, isLibraryFunction: false) }
        self.body = body
    }
}

/// What a `BuiltinFunction` keeps by reference, so a `Value` stays small.
private final class BuiltinDetails {
    let signature: BuiltinSignature?
    let globalName: String?
    let isLibraryFunction: Bool

    init(signature: BuiltinSignature?, globalName: String?, isLibraryFunction: Bool) {
        self.signature = signature
        self.globalName = globalName
        self.isLibraryFunction = isLibraryFunction
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

    /// Global functions that read how values were computed (`readsHistory(_:)`).
    var historyReaders: Set<String> = []
    /// The libraries' switches for recording histories (`bindHistoryRecording(_:)`).
    var historyBinders: [(Bool, () -> Void) -> Void] = []

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

    /// Defines (or replaces) a global function from its signature: a call's arguments are
    /// matched and type-checked against it, and `body` gets one value per parameter, in the
    /// signature's order (defaults filled in).
    public mutating func declare(_ signature: BuiltinSignature,
                                 _ body: @escaping ([Value], any ScriptContext) throws -> Value) {
        globals[signature.name] = .builtin(BuiltinFunction(signature.name, signature: signature) { arguments, context in
            try body(try signature.bind(arguments), context)
        })
        signatures.append(signature)
    }

    /// The declared signatures of the standard library and `libraries`, in declaration
    /// order: what `lesson check` checks calls against and `lesson builtins` lists.
    public static func signatures(of libraries: [any BuiltinLibrary]) -> [BuiltinSignature] {
        var registry = BuiltinRegistry()
        StandardLibrary().register(into: &registry)
        for library in libraries { library.register(into: &registry) }
        return registry.signatures
    }

    /// The signatures of the functions declared so far, in declaration order.
    public private(set) var signatures: [BuiltinSignature] = []

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
        let slots = BuiltinParameter.match(items.map { ($0.label, $0.value.isCallable) }, to: parameters,
                                           selector: BuiltinParameter.selector(functionName, parameters))
        switch slots {
        case .failure(let problem): throw ScriptError(problem.message)
        case .success(let slots):
            return zip(parameters, slots).map { parameter, slot in
                slot.map { items[$0].value } ?? parameter.defaultValue ?? .nilValue
            }
        }
    }
}

/// Why a call's arguments do not fit a signature; `argument` is the one at fault, if any.
public struct BindingProblem: Error, CustomStringConvertible {
    public var message: String
    public var argument: Int?

    init(_ message: String, argument: Int?) {
        self.message = message
        self.argument = argument
    }

    public var description: String { message }
}

/// One parameter of a built-in's signature: `"_"` (unlabelled), `"units"`, or with a default.
public struct BuiltinParameter: ExpressibleByStringLiteral {
    /// nil for an unlabelled parameter.
    public var label: String?
    /// How messages and signatures name it: the label, or the name after `_`.
    public var name: String
    public var type: ScriptType
    public var defaultValue: Value?

    public init(_ label: String?, default defaultValue: Value? = nil) {
        self.label = label == "_" ? nil : label
        self.name = label ?? "_"
        self.type = .described("Any")
        self.defaultValue = defaultValue
    }

    /// Labels must agree, except that a trailing closure (unlabelled) fills a labelled
    /// parameter, as in Swift.
    static func label(_ argument: (label: String?, isClosure: Bool), fits label: String?) -> Bool {
        argument.label == label || (argument.label == nil && argument.isClosure)
    }

    /// `name(a:b:)` for messages.
    static func selector(_ name: String, _ parameters: [BuiltinParameter]) -> String {
        "\(name)(" + parameters.map { "\($0.label ?? "_"):" }.joined() + ")"
    }

    /// Which argument fills each parameter (nil: its default), matching labels in order like
    /// Swift; a trailing closure (unlabelled, callable) may fill a labelled parameter, as in
    /// `xs.sorted { $0 > $1 }` for `sorted(by:)`. The one rule for calls that run and for
    /// calls `lesson check` reads before anything runs.
    static func match(_ labels: [(label: String?, isClosure: Bool)], to parameters: [BuiltinParameter],
                      selector: String) -> Result<[Int?], BindingProblem> {
        var slots: [Int?] = []
        var index = 0
        for parameter in parameters {
            if index < labels.count, Self.label(labels[index], fits: parameter.label) {
                slots.append(index)
                index += 1
            } else if parameter.defaultValue != nil {
                slots.append(nil)
            } else if index < labels.count {
                let have = labels[index].label.map { "'\($0):'" } ?? "no label"
                let want = parameter.label.map { "'\($0):'" } ?? "no label"
                return .failure(BindingProblem(
                    "incorrect argument label in call to \(selector) (have \(have), expected \(want))", argument: index))
            } else {
                let name = parameter.label.map { "'\($0)'" } ?? "#\(slots.count + 1)"
                return .failure(BindingProblem("missing argument \(name) in call to \(selector)", argument: nil))
            }
        }
        if index < labels.count {
            return .failure(BindingProblem("extra argument in call to \(selector)", argument: index))
        }
        return .success(slots)
    }

    public init(stringLiteral label: String) {
        self.init(label)
    }
}
