import CellScript
import Limits
import Engine
import Foundation
import Tensor

/// The tutorial's hyperparameters as a cell value: `ModelConfig()` is the tutorial's
/// configuration, `ModelConfig(hiddenSizes: [32, 16], batchSize: 4)` changes some.
final class ModelConfigObject: ScriptObject {
    let config: ModelConfig

    init(_ config: ModelConfig) {
        self.config = config
    }

    /// The labels `ModelConfig(...)` accepts, in display order.
    static let labels = [
        "initScale", "learningRate", "maxGradNorm", "numSteps", "hiddenSizes", "embeddingSize", "maxEpochDecayLR",
        "maxEpoch", "keepProb", "decay", "batchSize", "vocabularySize", "forgetBias", "seed", "precision",
    ]

    var typeName: String { "ModelConfig" }

    var description: String {
        let parts = Self.labels.compactMap { label in fieldValue(label).map { "\(label): \($0.debugDescription)" } }
        return "ModelConfig(" + parts.joined(separator: ", ") + ")"
    }

    func fieldValue(_ label: String) -> Value? {
        let c = config
        switch label {
        case "initScale": return .double(ModelArguments.double(c.initScale))
        case "learningRate": return .double(ModelArguments.double(c.learningRate))
        case "maxGradNorm": return .double(ModelArguments.double(c.maxGradNorm))
        case "numSteps": return .int(c.numSteps)
        case "hiddenSizes": return .array(c.hiddenSizes.map(Value.int))
        case "embeddingSize": return .int(c.embeddingSize)
        case "maxEpochDecayLR": return .int(c.maxEpochDecayLR)
        case "maxEpoch": return .int(c.maxEpoch)
        case "keepProb": return .double(ModelArguments.double(c.keepProb))
        case "decay": return .double(ModelArguments.double(c.decay))
        case "batchSize": return .int(c.batchSize)
        case "vocabularySize": return .int(c.vocabularySize)
        case "forgetBias": return .double(ModelArguments.double(c.forgetBias))
        case "seed": return .int(Int(clamping: c.seed))
        case "precision": return .string(c.precision.rawValue)
        case "numLayers": return .int(c.numLayers)
        default: return nil
        }
    }

    func member(_ name: String) throws -> Value? {
        if name == "description" { return .string(description) }
        if name == "learningRateForEpoch" {
            return ModelArguments.function("learningRateForEpoch", ["_"]) { [config] values, _ in
                let epoch = try ModelArguments.int(values[0], "learningRateForEpoch(_:): epoch", atLeast: 1)
                guard epoch <= 100_000 else {
                    throw ScriptError("learningRateForEpoch(_:): epoch: expected at most 100000, got \(epoch)")
                }
                return .double(ModelArguments.double(config.learningRate(epoch: epoch - 1)))
            }
        }
        return fieldValue(name)
    }

    /// `ModelConfig(label: value, ...)` with the labels in any order; each is checked.
    static func make(_ arguments: Arguments) throws -> Value {
        var config = ModelConfig()
        var seen: Set<String> = []
        for item in arguments.items {
            guard let label = item.label, labels.contains(label) else {
                throw ScriptError("ModelConfig: unexpected argument \(item.label.map { "'\($0):'" } ?? "without a label"); "
                                  + "the labels are " + labels.joined(separator: ", "))
            }
            guard seen.insert(label).inserted else { throw ScriptError("ModelConfig: '\(label):' is given twice") }
            try set(label, item.value, in: &config)
        }
        let problems = config.problems()
        guard problems.isEmpty else { throw ScriptError("ModelConfig: " + problems.joined(separator: "; ")) }
        return .object(ModelConfigObject(config))
    }

    private static func set(_ label: String, _ value: Value, in config: inout ModelConfig) throws {
        let what = "ModelConfig: \(label)"
        switch label {
        case "initScale": config.initScale = try ModelArguments.float(value, what)
        case "learningRate": config.learningRate = try ModelArguments.float(value, what)
        case "maxGradNorm": config.maxGradNorm = try ModelArguments.float(value, what)
        case "numSteps": config.numSteps = try value.asInt(what)
        case "hiddenSizes": config.hiddenSizes = try value.asIntArray(what)
        case "embeddingSize": config.embeddingSize = try value.asInt(what)
        case "maxEpochDecayLR": config.maxEpochDecayLR = try value.asInt(what)
        case "maxEpoch": config.maxEpoch = try value.asInt(what)
        case "keepProb": config.keepProb = try ModelArguments.float(value, what)
        case "decay": config.decay = try ModelArguments.float(value, what)
        case "batchSize": config.batchSize = try value.asInt(what)
        case "vocabularySize": config.vocabularySize = try value.asInt(what)
        case "forgetBias": config.forgetBias = try ModelArguments.float(value, what)
        case "precision":
            let name = try value.asString(what)
            guard let precision = Precision(rawValue: name) else {
                throw ScriptError("\(what): expected \"float32\" or \"bf16\", got \"\(name)\"")
            }
            config.precision = precision
        default: config.seed = UInt64(try ModelArguments.int(value, what, atLeast: 0))
        }
    }
}

/// The tutorial's whole `PTBModel`: embedding, stacked LSTM and softmax layer. Training and
/// evaluation run on a trainer (the fast fused path) made for each call, so its buffers (tens
/// of megabytes of activations and gradients per core) are freed when the call returns; only
/// its dropout generator is kept from call to call.
final class ModelObject: ScriptObject {
    let model: LanguageModel
    /// Training epochs run so far, for messages.
    var epochsRun = 0
    /// The dropout generator of the trainer, once one has run (or been restored); nil before,
    /// when the first trainer starts from the model's seed.
    private(set) var trainerGenerator: RandomGenerator?

    init(_ model: LanguageModel) {
        self.model = model
    }

    /// Runs `work` on a trainer made for it, which continues the dropout draws of the last one.
    func withTrainer<Result>(_ work: (Trainer) throws -> Result) rethrows -> Result {
        let trainer = Trainer(model: model, generator: trainerGenerator ?? RandomGenerator(seed: model.config.seed &+ 1))
        defer { trainerGenerator = trainer.generator }
        return try work(trainer)
    }

    /// Makes the next trainer draw dropout masks from `generator` (a restored session's).
    func restoreTrainer(generator: RandomGenerator) {
        trainerGenerator = generator
    }

    var typeName: String { "PTBModel" }

    var description: String {
        let c = model.config
        return "PTBModel(vocabularySize: \(c.vocabularySize), embeddingSize: \(c.embeddingSize), "
            + "hiddenSizes: \(c.hiddenSizes), batchSize: \(c.batchSize), numSteps: \(c.numSteps))"
    }

    static func make(_ values: [Value], state: ModelAPIState) throws -> Value {
        var config = ModelConfig()
        if let given = ModelArguments.optional(values[0]) {
            guard case .object(let object as ModelConfigObject) = given else {
                throw ScriptError("PTBModel(_:): expected a ModelConfig, got \(ModelArguments.describe(given))")
            }
            config = object.config
        }
        if config.problems().isEmpty, let floats = config.estimatedFloats() {
            try MemoryBudget.reserve(count: floats, stride: 4, for: "PTBModel(_:): the weights and training buffers")
        }
        var generator = RandomGenerator(seed: config.seed)
        let model = try LanguageModel(config: config, generator: &generator)
        for variable in model.trainableVariables { state.register(variable) }
        return .object(ModelObject(model))
    }

    func member(_ name: String) throws -> Value? {
        switch name {
        case "config": return .object(ModelConfigObject(model.config))
        case "trainableVariables": return .array(model.trainableVariables.map(TensorCreation.variableValue))
        case "embedding": return TensorCreation.variableValue(model.embedding)
        case "softmaxW": return TensorCreation.variableValue(model.softmaxW)
        case "softmaxB": return TensorCreation.variableValue(model.softmaxB)
        case "description": return .string(description)
        case "zeroState":
            return ModelArguments.function("zeroState", ["batchSize"]) { [model] values, _ in
                let batch = try ModelArguments.int(values[0], "zeroState(batchSize:): batchSize", atLeast: 1)
                return try CellFunctions.zeroState(units: model.config.hiddenSizes, batchSize: batch, single: false)
            }
        case "forward":
            return ModelArguments.function("forward", ["x", "y", BuiltinParameter("state", default: .nilValue)]) { [self] values, _ in
                try forward(values)
            }
        default:
            return nil
        }
    }

    /// `model.forward(x:y:state:)` -> `(cost, logits [B*T, V], state)` as autodiff values.
    private func forward(_ values: [Value]) throws -> Value {
        let name = "forward(x:y:state:)"
        let x = try ModelArguments.ids(values[0], "\(name): x")
        let y = try ModelArguments.ids(values[1], "\(name): y")
        guard x.rank == 2, x.shape == y.shape else {
            throw ScriptError("\(name): x and y must be [batch, steps] ids of one shape, got \(x.shape) and \(y.shape)")
        }
        let vocabulary = model.config.vocabularySize
        if let bad = (x.scalars + y.scalars).first(where: { $0 < 0 || Int($0) >= vocabulary }) {
            throw ScriptError("\(name): id \(bad) is outside the model's vocabulary of \(vocabulary) words")
        }
        let units = model.config.hiddenSizes
        let state: [LayerState]
        if let given = ModelArguments.optional(values[2]) {
            state = try CellFunctions.states(given, units: units, batch: x.shape[0]).map { LayerState(c: $0.c.value, h: $0.h.value) }
        } else {
            state = model.zeroState(batchSize: x.shape[0])
        }
        let result = try model.forward(x: x, y: y, state: state)
        return .tuple([
            TupleElement(label: "cost", TensorObject.value(result.cost)),
            TupleElement(label: "logits", TensorObject.value(result.logits)),
            TupleElement(label: "state", CellFunctions.stateValue(result.state.map(\.tuple), single: false)),
        ])
    }
}

/// `GradientDescentOptimizer(learningRate:)`: `apply(gradients, to: variables)` takes one SGD step.
final class OptimizerObject: ScriptObject {
    var learningRate: Float

    init(learningRate: Float) {
        self.learningRate = learningRate
    }

    var typeName: String { "GradientDescentOptimizer" }
    var description: String { "GradientDescentOptimizer(learningRate: \(ModelArguments.double(learningRate)))" }

    func member(_ name: String) throws -> Value? {
        switch name {
        case "learningRate": return .double(ModelArguments.double(learningRate))
        case "description": return .string(description)
        case "apply":
            return ModelArguments.function("apply", ["_", "to"]) { [self] values, _ in
                let gradients = try values[0].asArray("apply(_:to:): gradients")
                let variables = try values[1].asArray("apply(_:to:): variables")
                try step(Array(zip(gradients, variables)), counts: (gradients.count, variables.count))
                return .void
            }
        case "applyGradients":
            return ModelArguments.function("applyGradients", ["_"]) { [self] values, _ in
                let pairs = try values[0].asArray("applyGradients(_:)").enumerated().map { index, pair -> (Value, Value) in
                    guard case .tuple(let elements) = pair, elements.count == 2 else {
                        throw ScriptError("applyGradients(_:): element \(index) must be a (gradient, variable) pair, got \(pair.typeName)")
                    }
                    return (elements[0].value, elements[1].value)
                }
                try step(pairs, counts: (pairs.count, pairs.count))
                return .void
            }
        default:
            return nil
        }
    }

    func setMember(_ name: String, to value: Value) throws -> Bool {
        guard name == "learningRate" else { return false }
        learningRate = try ModelArguments.positiveFloat(value, "learningRate")
        return true
    }

    private func step(_ pairs: [(Value, Value)], counts: (Int, Int)) throws {
        guard counts.0 == counts.1 else {
            throw ScriptError("apply(_:to:): \(counts.0) gradients for \(counts.1) variables; give one gradient per variable")
        }
        var gradients: [Tensor] = []
        var variables: [Variable] = []
        for (index, (gradient, variable)) in pairs.enumerated() {
            guard case .object(let object as TensorObject) = variable, object.isVariable, case .float(let node) = object.storage else {
                throw ScriptError("apply(_:to:): variables[\(index)] must be a Variable, got \(ModelArguments.describe(variable))")
            }
            let g = try ModelArguments.floatNode(gradient, "apply(_:to:): gradients[\(index)]").value
            guard g.shape == node.shape else {
                throw ScriptError("apply(_:to:): gradients[\(index)] has shape \(g.shape) but its variable "
                                  + "'\(node.name ?? "?")' has shape \(node.shape)")
            }
            gradients.append(g)
            variables.append(node)
        }
        try GradientDescentOptimizer(learningRate: learningRate).apply(gradients, to: variables)
    }
}

extension ModelObject: StatefulObject {
    /// The weights, the epoch count and the trainer's dropout generator (none before the first
    /// trainer ran, so a later one starts from its seed as it would have).
    func saveState() -> () -> Void {
        let variables = model.trainableVariables
        let values = variables.map(\.value)
        let epochs = epochsRun
        let generator = trainerGenerator
        return { [self] in
            for (variable, value) in zip(variables, values) { variable.value = value }
            epochsRun = epochs
            trainerGenerator = generator
        }
    }
}

extension OptimizerObject: StatefulObject {
    func saveState() -> () -> Void {
        let rate = learningRate
        return { [self] in learningRate = rate }
    }
}
