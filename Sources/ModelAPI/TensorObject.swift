import CellScript
import Limits
import Tensor

/// A tensor held by a cell: float32 values kept as an autodiff node, so gradients
/// flow through every operation a cell writes, or int32 word ids.
///
/// A *variable* is a float leaf with a name (`Variable(1.0)`, `getVariable(...)`, a
/// cell's kernel, a model's weights): an optimizer updates it in place and
/// `trainableVariables()` lists it. It displays as TensorFlow lists variables,
/// `<Variable 'softmax_w:0' shape=(128, 10000) dtype=float32>`; a tensor displays as
/// numpy's repr, and a rank-0 tensor as numpy prints a scalar (`8.0`).
final class TensorObject: ScriptObject {
    enum Storage {
        case float(Variable)
        case int(IntTensor)
    }

    let storage: Storage
    let isVariable: Bool
    let isTrainable: Bool

    init(_ storage: Storage, isVariable: Bool = false, isTrainable: Bool = false) {
        self.storage = storage
        self.isVariable = isVariable
        self.isTrainable = isTrainable
    }

    static func value(_ tensor: Tensor) -> Value { .object(TensorObject(.float(Variable(tensor)))) }
    static func value(_ node: Variable) -> Value { .object(TensorObject(.float(node))) }
    static func value(_ ids: IntTensor) -> Value { .object(TensorObject(.int(ids))) }

    var shape: [Int] {
        switch storage {
        case .float(let node): return node.shape
        case .int(let ids): return ids.shape
        }
    }

    var dtype: String {
        if case .int = storage { return "int32" }
        return "float32"
    }

    var typeName: String { isVariable ? "Variable" : "Tensor" }

    var description: String {
        switch storage {
        case .float(let node) where isVariable:
            return "<Variable '\(node.name ?? "Variable:0")' shape=\(ModelArguments.pythonShape(node.shape)) dtype=float32>"
        case .float(let node):
            return node.value.rank == 0 ? node.value.numpyString : node.value.description
        case .int(let ids):
            return ids.rank == 0 ? ids.numpyString : ids.description
        }
    }

    /// The float node, or an error naming `operation` for an id tensor.
    func floatNode(_ operation: String) throws -> Variable {
        if case .float(let node) = storage { return node }
        throw ScriptError("\(operation) needs a float32 Tensor, but this Tensor holds int32 ids")
    }

    // MARK: Members

    func member(_ name: String) throws -> Value? {
        switch name {
        case "shape": return .array(shape.map(Value.int))
        case "rank": return .int(shape.count)
        case "count": return .int(shape.reduce(1, *))
        case "dtype": return .string(dtype)
        case "description": return .string(description)
        case "scalar": return try scalar()
        case "scalars": return try scalars()
        case "reshape", "reshaped":
            return ModelArguments.function(name, ["_"]) { [self] values, _ in
                try reshaped(ModelArguments.reshapeTarget(values[0], "\(name)(_:): shape"))
            }
        default:
            if isVariable, let found = try variableMember(name) { return found }
            return try mathMember(name)
        }
    }

    private func variableMember(_ name: String) throws -> Value? {
        guard case .float(let node) = storage else { return nil }
        switch name {
        case "name": return .string(node.name ?? "Variable:0")
        case "value": return TensorObject.value(node.value)
        case "trainable": return .bool(isTrainable)
        case "assign":
            return ModelArguments.function("assign", ["_"]) { values, _ in
                let new = try ModelArguments.floatNode(values[0], "assign(_:)").value
                guard new.shape == node.shape else {
                    throw ScriptError("assign(_:): the variable has shape \(node.shape) but the new value has shape \(new.shape)")
                }
                node.value = new
                return .void
            }
        default: return nil
        }
    }

    /// Methods that compute a new tensor from this one.
    private func mathMember(_ name: String) throws -> Value? {
        switch name {
        case "matmul":
            return ModelArguments.function("matmul", ["_"]) { [self] values, _ in
                try TensorMath.matmul(.object(self), values[0])
            }
        case "softmax":
            return ModelArguments.function("softmax", []) { [self] _, _ in
                TensorObject.value(try floatNode("softmax()").softmax())
            }
        case "argmax":
            return ModelArguments.function("argmax", ["axis"]) { [self] values, _ in
                try TensorMath.argmax(.object(self), axis: values[0])
            }
        case "exp", "log", "tanh", "sigmoid", "squared":
            return ModelArguments.function(name, []) { [self] _, _ in
                let node = try floatNode("\(name)()")
                try MemoryBudget.reserve(count: node.value.count, stride: 4, for: "\(name)(): the result of shape \(node.shape)")
                switch name {
                case "exp": return TensorObject.value(node.exp())
                case "log": return TensorObject.value(node.log())
                case "tanh": return TensorObject.value(node.tanh())
                case "sigmoid": return TensorObject.value(node.sigmoid())
                default: return TensorObject.value(node.squared())
                }
            }
        case "sum", "mean":
            return ModelArguments.function(name, [BuiltinParameter("axis", default: .nilValue)]) { [self] values, _ in
                try TensorMath.reduce(name, .object(self), axis: values[0], name: "\(name)(axis:)")
            }
        case "max":
            return ModelArguments.function("max", ["axis"]) { [self] values, _ in
                let node = try floatNode("max(axis:)")
                let axis = try values[0].asInt("max(axis:): axis")
                return TensorObject.value(try node.value.max(axis: axis))
            }
        default:
            return nil
        }
    }

    private func scalar() throws -> Value {
        guard shape.reduce(1, *) == 1 else {
            throw ScriptError("scalar: the tensor has shape \(shape), but only a tensor of one element has a scalar")
        }
        switch storage {
        case .float(let node): return .double(ModelArguments.double(node.value.scalars[0]))
        case .int(let ids): return .int(Int(ids.scalars[0]))
        }
    }

    private func scalars() throws -> Value {
        try MemoryBudget.reserve(count: shape.reduce(1, *), stride: MemoryLayout<Value>.stride,
                                 for: "scalars: an array of \(shape.reduce(1, *)) numbers")
        switch storage {
        case .float(let node): return .array(node.value.scalars.map { .double(ModelArguments.double($0)) })
        case .int(let ids): return .array(ids.scalars.map { .int(Int($0)) })
        }
    }

    private func reshaped(_ newShape: [Int]) throws -> Value {
        switch storage {
        case .float(let node): return TensorObject.value(try node.reshaped(newShape))
        case .int(let ids): return TensorObject.value(try ids.reshaped(newShape))
        }
    }

    // MARK: Subscripts: x[0], x[0..<3], x[0, 2..<5]

    func subscripted(by arguments: Arguments) throws -> Value? {
        guard !arguments.items.isEmpty else { throw ScriptError("a tensor subscript needs an index or a range") }
        guard arguments.items.count <= shape.count else {
            throw ScriptError("\(arguments.items.count) indices given for a tensor of rank \(shape.count) (shape \(shape))")
        }
        var current = storage
        var axis = 0
        for (position, item) in arguments.items.enumerated() {
            guard item.label == nil else { throw ScriptError("tensor subscripts take no labels (got '\(item.label ?? ""):')") }
            let extent = Self.shape(of: current)[axis]
            switch item.value {
            case .int(let index):
                guard index >= 0, index < extent else {
                    let hint = index < 0 ? "; negative indices are not allowed, the last is x[x.shape[\(position)] - 1]" : ""
                    throw ScriptError("index \(index) is out of range for axis \(position) of length \(extent)\(hint)")
                }
                current = try Self.slice(current, axis: axis, index..<(index + 1), keepAxis: false)
            case .range(let range):
                guard let bounds = range.bounds(within: extent) else {
                    throw ScriptError("range \(Value.range(range).description) is out of bounds for axis \(position) "
                                      + "of length \(extent)")
                }
                current = try Self.slice(current, axis: axis, bounds, keepAxis: true)
                axis += 1
            default:
                throw ScriptError("a tensor index must be an Int or a range, not \(item.value.typeName)")
            }
        }
        return .object(TensorObject(current))
    }

    private static func shape(of storage: Storage) -> [Int] {
        switch storage {
        case .float(let node): return node.shape
        case .int(let ids): return ids.shape
        }
    }

    private static func slice(_ storage: Storage, axis: Int, _ range: Range<Int>, keepAxis: Bool) throws -> Storage {
        var kept = shape(of: storage)
        kept.remove(at: axis)
        switch storage {
        case .float(let node):
            let part = try node.slice(axis: axis, range)
            return .float(keepAxis ? part : try part.reshaped(kept))
        case .int(let ids):
            let part = try ids.slice(axis: axis, range)
            return .int(keepAxis ? part : try part.reshaped(kept))
        }
    }

    // MARK: Operators

    func binaryOperator(_ symbol: String, other: Value, isLeft: Bool) throws -> Value? {
        switch symbol {
        case "==", "!=":
            guard case .object(let object as TensorObject) = other else { return nil }
            return .bool(isEqual(to: object) == (symbol == "=="))
        case "+", "-", "*", "/":
            let mine = try floatNode("'\(symbol)'")
            let theirs = try ModelArguments.floatNode(other, "the other operand of '\(symbol)'")
            let (lhs, rhs) = isLeft ? (mine, theirs) : (theirs, mine)
            switch symbol {
            case "+": return TensorObject.value(try lhs + rhs)
            case "-": return TensorObject.value(try lhs - rhs)
            case "*": return TensorObject.value(try lhs * rhs)
            default: return TensorObject.value(try lhs / rhs)
            }
        default:
            return nil
        }
    }

    func prefixOperator(_ symbol: String) throws -> Value? {
        switch symbol {
        case "-":
            let node = try floatNode("'-'")
            try MemoryBudget.reserve(count: node.value.count, stride: 4, for: "'-': the result of shape \(node.shape)")
            return TensorObject.value(-node)
        case "+": return .object(self)
        default: return nil
        }
    }

    func isEqual(to other: any ScriptObject) -> Bool {
        guard let other = other as? TensorObject else { return false }
        switch (storage, other.storage) {
        case (.float(let a), .float(let b)): return a.value == b.value
        case (.int(let a), .int(let b)): return a == b
        default: return false
        }
    }

    /// `for row in x`: the sub-tensors along the first axis.
    func makeIterator() throws -> any ScriptObject {
        guard !shape.isEmpty else { throw ScriptError("cannot iterate over a rank-0 tensor") }
        return TensorRowIterator(self)
    }
}

/// Walks a tensor's first axis for `for-in`.
final class TensorRowIterator: ScriptObject {
    let tensor: TensorObject
    var position = 0

    init(_ tensor: TensorObject) {
        self.tensor = tensor
    }

    var typeName: String { "TensorIterator" }
    var description: String { "TensorIterator(position: \(position))" }

    func member(_ name: String) throws -> Value? {
        guard name == "next" else { return nil }
        return ModelArguments.function("next", []) { [self] _, _ in
            guard position < tensor.shape[0] else { return .nilValue }
            let row = try tensor.subscripted(by: Arguments([TupleElement(.int(position))], functionName: "subscript"))
            position += 1
            return .optional(row)
        }
    }
}

extension TensorObject: StatefulObject {
    /// A variable's value (an optimiser or `load` replaces it); int tensors never change.
    func saveState() -> () -> Void {
        guard case .float(let node) = storage else { return {} }
        let saved = node.value
        return { node.value = saved }
    }
}

extension TensorRowIterator: StatefulObject {
    func saveState() -> () -> Void {
        let saved = position
        return { [self] in position = saved }
    }
}
