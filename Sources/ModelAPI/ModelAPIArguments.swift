import CellScript
import Limits
import Tensor

/// Argument checking shared by the model API's functions and methods. Every
/// helper names what it wanted and what it got, so a wrong argument reads
/// "embeddingLookup(_:_:): ids: expected int32 word ids, got a float32 Tensor".
enum ModelArguments {
    /// The most elements a tensor built from a cell may hold (400 MB of Float32).
    static let maximumElements = 100_000_000
    /// The most units an LSTM cell may have (its kernel alone would then pass the element limit).
    static let maximumUnits = 100_000

    /// A bound method or global whose arguments are matched against `parameters` first.
    static func function(_ name: String, _ parameters: [BuiltinParameter],
                         _ body: @escaping ([Value], any ScriptContext) throws -> Value) -> Value {
        .builtin(BuiltinFunction(name) { arguments, context in
            try body(arguments.bind(parameters), context)
        })
    }

    /// The tensor object held by `value`, whatever its dtype.
    static func tensor(_ value: Value, _ what: String) throws -> TensorObject {
        if case .object(let object) = value, let tensor = object as? TensorObject { return tensor }
        throw ScriptError("\(what): expected a Tensor, got \(describe(value))")
    }

    /// A float32 autodiff node: a float tensor or variable, a number (a scalar constant)
    /// or a nested array literal of numbers (a constant tensor).
    static func floatNode(_ value: Value, _ what: String) throws -> Variable {
        switch value {
        case .int, .double:
            return Variable(Tensor(try float(value, what)))
        case .array:
            return Variable(try literalTensor(value, what))
        case .object(let object as TensorObject):
            if case .float(let node) = object.storage { return node }
            throw ScriptError("\(what): expected a float32 Tensor, got a Tensor of int32 ids; "
                              + "ids are looked up with embeddingLookup, not used in arithmetic")
        default:
            throw ScriptError("\(what): expected a float32 Tensor or a number, got \(describe(value))")
        }
    }

    /// Int32 word ids: an int tensor, an Int, or a (nested) array of Ints.
    static func ids(_ value: Value, _ what: String) throws -> IntTensor {
        switch value {
        case .int(let number):
            return IntTensor(uncheckedShape: [], scalars: [try int32(number, what)])
        case .array:
            let (shape, scalars, allIntegers) = try nested(value, what)
            guard allIntegers else { throw ScriptError("\(what): expected Int word ids, got Double values") }
            let ids = try scalars.map { scalar -> Int32 in
                guard let id = Int32(exactly: scalar) else {
                    throw ScriptError("\(what): \(Int64(exactly: scalar).map(String.init) ?? "a number") does not fit in an int32 id")
                }
                return id
            }
            return IntTensor(uncheckedShape: shape, scalars: ids)
        case .object(let object as TensorObject):
            if case .int(let ids) = object.storage { return ids }
            throw ScriptError("\(what): expected int32 word ids, got a float32 Tensor of shape \(object.shape)")
        default:
            throw ScriptError("\(what): expected int32 word ids (a Tensor of ids or [Int]), got \(describe(value))")
        }
    }

    /// A one-dimensional id sequence (a split of the corpus) as the engine takes it.
    static func idSequence(_ value: Value, _ what: String) throws -> [Int32] {
        let ids = try ids(value, what)
        guard ids.rank == 1 else {
            throw ScriptError("\(what): expected a one-dimensional sequence of word ids, got shape \(ids.shape)")
        }
        return ids.scalars
    }

    /// A finite number as Float32.
    static func float(_ value: Value, _ what: String) throws -> Float {
        let number = try value.asDouble(what)
        let single = Float(number)
        guard single.isFinite else { throw ScriptError("\(what): expected a finite number, got \(number)") }
        return single
    }

    /// A number greater than zero.
    static func positiveFloat(_ value: Value, _ what: String) throws -> Float {
        let number = try float(value, what)
        guard number > 0 else { throw ScriptError("\(what): expected a number greater than 0, got \(value)") }
        return number
    }

    /// An Int of at least `minimum`.
    static func int(_ value: Value, _ what: String, atLeast minimum: Int) throws -> Int {
        let number = try value.asInt(what)
        guard number >= minimum else { throw ScriptError("\(what): expected at least \(minimum), got \(number)") }
        return number
    }

    /// `value` or nil when it is `nil`.
    static func optional(_ value: Value) -> Value? {
        if case .optional(let inner) = value { return inner }
        return value
    }

    /// A shape: non-negative Ints whose product stays under the element limit.
    static func shape(_ value: Value, _ what: String) throws -> [Int] {
        let shape = try value.asIntArray(what)
        if let negative = shape.first(where: { $0 < 0 }) {
            throw ScriptError("\(what): extents must not be negative, got \(negative) in \(shape)")
        }
        try checkSize(shape, what)
        return shape
    }

    /// A reshape target: like a shape, but one extent may be -1 ("whatever is left"), as in numpy.
    static func reshapeTarget(_ value: Value, _ what: String) throws -> [Int] {
        let shape = try value.asIntArray(what)
        if let bad = shape.first(where: { $0 < -1 }) {
            throw ScriptError("\(what): extents must be 0 or more, or -1 for the rest, got \(bad) in \(shape)")
        }
        guard shape.filter({ $0 == -1 }).count <= 1 else {
            throw ScriptError("\(what): at most one extent may be -1, got \(shape)")
        }
        try checkSize(shape.filter { $0 != -1 }, what, reserving: false)
        return shape
    }

    /// Checks a shape a cell asked for: at most `maximumElements` values, zeros left out of the
    /// count (`[0, 4294967295, 4294967295]` holds nothing, but loops over its axes would
    /// multiply those extents), and, when the tensor is about to be made (`reserving`), room
    /// for it in the memory budget.
    static func checkSize(_ shape: [Int], _ what: String, reserving: Bool = true) throws {
        var total = 1
        for extent in shape {
            let (product, overflow) = total.multipliedReportingOverflow(by: Swift.max(extent, 1))
            guard !overflow, product <= maximumElements else {
                throw ScriptError("\(what): a tensor of shape \(shape) is too large; the limit is "
                                  + "\(maximumElements) values")
            }
            total = product
        }
        if reserving {
            try MemoryBudget.reserve(count: Shape.count(shape), stride: 4, for: "\(what): a tensor of shape \(shape)")
        }
    }

    /// A float tensor from a nested array literal (`[[1, 2], [3, 4]]`) or a number.
    static func literalTensor(_ value: Value, _ what: String) throws -> Tensor {
        if case .int = value { return Tensor(try float(value, what)) }
        if case .double = value { return Tensor(try float(value, what)) }
        let (shape, scalars, _) = try nested(value, what)
        for scalar in scalars where !Float(scalar).isFinite {
            throw ScriptError("\(what): expected finite numbers, got \(scalar)")
        }
        return Tensor(uncheckedShape: shape, scalars: scalars.map { Float($0) })
    }

    /// The shape and row-major numbers of a rectangular nested array of Ints and Doubles.
    static func nested(_ value: Value, _ what: String) throws -> (shape: [Int], scalars: [Double], allIntegers: Bool) {
        switch value {
        case .int(let number): return ([], [Double(number)], true)
        case .double(let number): return ([], [number], false)
        case .array(let elements):
            guard let first = elements.first else { return ([0], [], true) }
            let head = try nested(first, what)
            var scalars = head.scalars
            var allIntegers = head.allIntegers
            for (index, element) in elements.enumerated().dropFirst() {
                let part = try nested(element, what)
                guard part.shape == head.shape else {
                    throw ScriptError("\(what): the array is not rectangular: element 0 has shape \(head.shape) "
                                      + "but element \(index) has shape \(part.shape)")
                }
                scalars += part.scalars
                allIntegers = allIntegers && part.allIntegers
            }
            let shape = [elements.count] + head.shape
            try checkSize(shape, what)
            return (shape, scalars, allIntegers)
        default:
            throw ScriptError("\(what): expected numbers or arrays of numbers, got \(describe(value))")
        }
    }

    static func int32(_ number: Int, _ what: String) throws -> Int32 {
        guard let id = Int32(exactly: number) else {
            throw ScriptError("\(what): \(number) does not fit in an int32 id")
        }
        return id
    }

    /// How a value is named in messages: `a float32 Tensor of shape [2, 3]`, `String`.
    static func describe(_ value: Value) -> String {
        if case .object(let object as TensorObject) = value {
            let kind = object.isVariable ? "Variable" : "Tensor"
            return "a \(object.dtype) \(kind) of shape \(object.shape)"
        }
        return value.typeName
    }

    /// numpy's way of writing a shape: `()`, `(1024,)`, `(456, 1024)`.
    static func pythonShape(_ shape: [Int]) -> String {
        if shape.count == 1 { return "(\(shape[0]),)" }
        return "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }

    /// A Float32 shown as its shortest decimal (0.1, not 0.10000000149011612).
    static func double(_ value: Float) -> Double {
        Double(value.description) ?? Double(value)
    }

    /// The element labelled `label` of a tuple, or the one at `position`.
    static func tupleElement(_ value: Value, label: String, position: Int) -> Value? {
        guard case .tuple(let elements) = value else { return nil }
        if let labelled = elements.first(where: { $0.label == label }) { return labelled.value }
        return position < elements.count ? elements[position].value : nil
    }
}
