import CellScript
import Engine
import Tensor

/// Globals that make tensors and variables: `Tensor([[1, 2], [3, 4]])`, `IntTensor([1, 2])`,
/// `constant(...)`, `zeros(shape:)`, `ones(shape:)`, `randomUniform(shape:minval:maxval:seed:)`,
/// `Variable(_:name:trainable:)`, `getVariable(_:shape:initScale:)`, `trainableVariables()`,
/// `setRandomSeed(_:)`.
enum TensorCreation {
    /// `Tensor(_:)`: a float32 copy of a tensor, or a tensor from a nested array literal.
    static func tensor(_ value: Value) throws -> Value {
        if case .object(let object as TensorObject) = value {
            switch object.storage {
            case .float(let node): return TensorObject.value(node.value)
            case .int(let ids): return TensorObject.value(ids.asFloat)
            }
        }
        return TensorObject.value(try ModelArguments.literalTensor(value, "Tensor(_:)"))
    }

    /// `zeros(shape:)`, `ones(shape:)`.
    static func filled(_ fill: Float, shape: Value, _ name: String) throws -> Value {
        TensorObject.value(Tensor(repeating: fill, shape: try ModelArguments.shape(shape, "\(name): shape")))
    }

    /// `setRandomSeed(_:)`: restarts the generator behind initialisers without their own seed.
    static func setSeed(_ value: Value, state: ModelAPIState) throws -> Value {
        let seed = try ModelArguments.int(value, "setRandomSeed(_:)", atLeast: 0)
        state.generator = RandomGenerator(seed: UInt64(seed))
        return .void
    }

    /// A trainable variable as a cell sees it.
    static func variableValue(_ node: Variable) -> Value {
        .object(TensorObject(.float(node), isVariable: true, isTrainable: true))
    }

    /// `constant([[1, 2]])` keeps the literal's type (Ints give int32, Doubles float32);
    /// `constant(0.5, shape: [2, 3])` fills a shape with one number.
    static func constant(_ value: Value, shape: Value) throws -> Value {
        if let shapeValue = ModelArguments.optional(shape) {
            let shape = try ModelArguments.shape(shapeValue, "constant(_:shape:): shape")
            if case .int(let number) = value {
                let id = try ModelArguments.int32(number, "constant(_:shape:)")
                return TensorObject.value(IntTensor(uncheckedShape: shape, scalars: Array(repeating: id, count: shape.reduce(1, *))))
            }
            let number = try ModelArguments.float(value, "constant(_:shape:): value")
            return TensorObject.value(Tensor(repeating: number, shape: shape))
        }
        if case .object(let object as TensorObject) = value { return .object(TensorObject(object.storage)) }
        let (_, _, allIntegers) = try ModelArguments.nested(value, "constant(_:)")
        if allIntegers { return TensorObject.value(try ModelArguments.ids(value, "constant(_:)")) }
        return TensorObject.value(try ModelArguments.literalTensor(value, "constant(_:)"))
    }

    static func randomUniform(_ values: [Value], state: ModelAPIState) throws -> Value {
        let name = "randomUniform(shape:minval:maxval:seed:)"
        let shape = try ModelArguments.shape(values[0], "\(name): shape")
        let lower = try ModelArguments.float(values[1], "\(name): minval")
        let upper = try ModelArguments.float(values[2], "\(name): maxval")
        guard lower < upper else { throw ScriptError("\(name): minval must be less than maxval, got \(lower) and \(upper)") }
        if let seedValue = ModelArguments.optional(values[3]) {
            let seed = try ModelArguments.int(seedValue, "\(name): seed", atLeast: 0)
            var generator = RandomGenerator(seed: UInt64(seed))
            return TensorObject.value(Tensor.uniform(shape: shape, lower: lower, upper: upper, generator: &generator))
        }
        return TensorObject.value(Tensor.uniform(shape: shape, lower: lower, upper: upper, generator: &state.generator))
    }

    /// `Variable(1.0)`, `Variable([[1, 2]], name: "w")`, `Variable(zeros(shape: [3]), trainable: false)`.
    static func variable(_ values: [Value], state: ModelAPIState) throws -> Value {
        let name = "Variable(_:name:trainable:)"
        let initial = try ModelArguments.floatNode(values[0], "\(name): initial value").value
        let trainable = try values[2].asBool("\(name): trainable")
        let label: String
        if let given = ModelArguments.optional(values[1]) {
            let text = try given.asString("\(name): name")
            guard !text.isEmpty else { throw ScriptError("\(name): name must not be empty") }
            label = text.contains(":") ? text : text + ":0"
        } else {
            label = state.nextVariableName()
        }
        let node = Variable(initial, name: label)
        if trainable { state.register(node) }
        return .object(TensorObject(.float(node), isVariable: true, isTrainable: trainable))
    }

    /// TensorFlow's `get_variable(name, shape)`: Glorot-uniform values (as TensorFlow's default
    /// initialiser), or uniform in `±initScale` when given.
    static func getVariable(_ values: [Value], state: ModelAPIState) throws -> Value {
        let signature = "getVariable(_:shape:initScale:)"
        let name = try values[0].asString("\(signature): name")
        guard !name.isEmpty else { throw ScriptError("\(signature): name must not be empty") }
        let shape = try ModelArguments.shape(values[1], "\(signature): shape")
        let limit: Float
        if let scale = ModelArguments.optional(values[2]) {
            limit = try ModelArguments.positiveFloat(scale, "\(signature): initScale")
        } else {
            let fanIn = shape.count >= 2 ? shape.dropLast().reduce(1, *) : (shape.first ?? 1)
            let fanOut = shape.last ?? 1
            limit = (6 / Float(Swift.max(fanIn + fanOut, 1))).squareRoot()
        }
        let node = Variable(Tensor.uniform(shape: shape, lower: -limit, upper: limit, generator: &state.generator),
                            name: name.contains(":") ? name : name + ":0")
        state.register(node, replacingSameName: true)
        return variableValue(node)
    }
}
