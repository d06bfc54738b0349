import CellScript
import Engine
import Foundation
import Tensor
import Synchronization

/// The model API: what cells call to re-teach the PTB LSTM tutorial in eager style.
/// Every global is registered here, in one table; the objects and functions live beside this file:
///
/// - data (`DataObjects.swift`): `ptbRawData()`, `ptbRawData(dataDir:)`, `idToWord(_:)`,
///   `ptbIterator(_:batchSize:numSteps:)` with `next()`, `epochSize` and for-in;
///   (`GeneratedCorpus.swift`) `generatedCorpus(sentences:seed:)`, a toy corpus in the same shape;
/// - tensors (`TensorCreation.swift`, `TensorObject.swift`, `TensorMath.swift`):
///   `Tensor(_:)`, `IntTensor(_:)`, `constant`, `zeros(shape:)`, `ones(shape:)`,
///   `randomUniform(shape:minval:maxval:seed:)`, `Variable(_:name:trainable:)`,
///   `getVariable(_:shape:initScale:)`, `trainableVariables()`, `setRandomSeed(_:)`,
///   `matmul`, `softmax`, `argmax(_:axis:)`, `reduceSum`, `reduceMean`,
///   `embeddingLookup`, `sequenceLoss`, `gradients(of:wrt:)`, `clipByGlobalNorm(_:clipNorm:)`;
/// - cells (`CellObjects.swift`, `CellFunctions.swift`): `BasicLSTMCell(units:forgetBias:)`,
///   `MultiRNNCell(_:)`, `LSTMStateTuple(c:h:)`, `dynamicRNN(_:_:initialState:)`;
/// - the model (`ModelObjects.swift`, `TrainingFunctions.swift`): `ModelConfig(...)`,
///   `PTBModel(_:)` (also `LanguageModel(config:)`), `GradientDescentOptimizer(learningRate:)`,
///   `runEpoch`, `train`, `perplexity`, `predictNext`, `generate`, `save(_:to:)`, `load(_:from:)`;
/// - figures (`DisplayFunctions.swift`): `plot(_:title:xLabel:yLabel:logScale:)` and
///   `heatmap(_:title:rowLabel:columnLabel:)`, `scatter(_:labels:title:xLabel:yLabel:)`, drawn in the report.
///
/// Each session gets its own state (random generator, variables, data read), made
/// when the library registers into it.
/// The files a library's cells may touch, shared by reference between the library and the
/// sessions it registers into.
public final class FileConfinement: @unchecked Sendable {
    // @unchecked: `stored` is only touched with `lock` held.
    private let lock = NSLock()
    private var stored: FileScope

    public init(_ scope: FileScope) {
        stored = scope
    }

    public var scope: FileScope {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

public struct ModelAPI: BuiltinLibrary {
    /// Where `ptbRawData()` looks first; nil for the engine's default places.
    public var dataDirectory: String?
    /// What cells' paths (data, checkpoints) may name; relative paths start at its lesson folder.
    /// Shared with every session the library registers into (`confinement`).
    public var files: FileScope {
        get { confinement.scope }
        nonmutating set { confinement.scope = newValue }
    }
    /// The scope the sessions read at each path: a worker forked from a loaded session moves
    /// its writes into a scratch folder of its own by changing it.
    public let confinement: FileConfinement
    /// Seed of the generator behind every initialiser without its own seed.
    public var seed: UInt64
    /// Records the data directories cells read, so a report can list their files' checksums.
    public let dataLog: DataLog

    public init(dataDirectory: String? = nil,
                files: FileScope = .workingDirectory,
                seed: UInt64 = 1, dataLog: DataLog = DataLog()) {
        self.dataDirectory = dataDirectory
        confinement = FileConfinement(files)
        self.seed = seed
        self.dataLog = dataLog
    }

    public func register(into registry: inout BuiltinRegistry) {
        let state = ModelAPIState(seed: seed, dataDirectory: dataDirectory, files: confinement,
                                  dataLog: dataLog)
        registry.keepState(state)
        ModelAPIEntries.register(into: &registry)
        for type: any ArchivableObject.Type in [
            TensorObject.self, TensorRowIterator.self, BatchIteratorObject.self, ModelConfigObject.self, ModelObject.self,
            OptimizerObject.self, LSTMStateTupleObject.self, BasicLSTMCellObject.self, MultiRNNCellObject.self,
        ] {
            registry.archive(type)
        }
        registry.readsHistory("gradients")
        registry.bindHistoryRecording { on, body in Variable.$recordsHistory.withValue(on) { body() } }
        var topic = ""
        /// Declares one built-in: its signature (checked before `body` runs) and its body,
        /// which gets one value per parameter in this order.
        func define(_ name: String, _ parameters: [BuiltinParameter], returns: String? = nil, _ summary: String,
                    _ body: @escaping ([Value], any ScriptContext) throws -> Value) {
            registry.declare(BuiltinSignature(name, parameters, returns: returns, topic: topic, summary: summary), body)
        }
        typealias P = BuiltinParameter
        let tensorLike = ScriptType.described("Tensor")
        let ids = ScriptType.described("IntTensor or [Int]")
        let model = ScriptType.described("PTBModel")
        let optionalInt = ScriptType.optional(.int)

        topic = "Data"
        define("ptbRawData", [P("dataDir", .optional(.string), default: .nilValue)],
               returns: "(train: IntTensor, valid: IntTensor, test: IntTensor, vocabulary: [String], wordToId: [String: Int])",
               "Reads the Penn Treebank's three splits as word ids, and its vocabulary.") { v, _ in
            try DataFunctions.rawData(directory: v[0], state: state)
        }
        define("generatedCorpus", [P("sentences", .int, default: .int(2000)), P("seed", .int, default: .int(1))],
               returns: "(train: IntTensor, valid: IntTensor, test: IntTensor, vocabulary: [String], wordToId: [String: Int])",
               "A toy corpus from a small grammar, in ptbRawData's shape, for lessons that train in seconds.") { v, _ in
            try GeneratedCorpus.make(v, state: state)
        }
        define("idToWord", [P("_ ids", ids), P("vocabulary", .optional(.array(.string)), default: .nilValue)],
               returns: "String or [String]", "The words for word ids (an id, [Int] or a tensor of ids; rows stay rows).") { v, _ in
            try DataFunctions.idToWord(v[0], vocabulary: v[1], state: state)
        }
        define("ptbIterator", [P("_ data", ids), P("batchSize", .int), P("numSteps", .int)], returns: "BatchIterator",
               "Cuts a split into batchSize rows and walks them numSteps words at a time, as (x, y) pairs.") { v, _ in
            try DataFunctions.iterator(v)
        }

        topic = "Tensors and variables"
        define("Tensor", [P("_ value", .described("Double or [Double]"))], returns: "Tensor", "A float32 tensor from a number or nested arrays of numbers.") { v, _ in
            try TensorCreation.tensor(v[0])
        }
        define("IntTensor", [P("_ ids", ids)], returns: "IntTensor", "An int32 tensor of word ids from an Int or nested arrays of Ints.") { v, _ in
            TensorObject.value(try ModelArguments.ids(v[0], "IntTensor(_:)"))
        }
        define("constant", [P("_ value", .described("Tensor, Double or [Double]")), P("shape", .optional(.array(.int)), default: .nilValue)], returns: "Tensor",
               "A constant tensor, filled from one number when a shape is given.") { v, _ in
            try TensorCreation.constant(v[0], shape: v[1])
        }
        define("zeros", [P("shape", .array(.int))], returns: "Tensor", "A tensor of zeros.") { v, _ in
            try TensorCreation.filled(0, shape: v[0], "zeros(shape:)")
        }
        define("ones", [P("shape", .array(.int))], returns: "Tensor", "A tensor of ones.") { v, _ in
            try TensorCreation.filled(1, shape: v[0], "ones(shape:)")
        }
        define("randomUniform", [P("shape", .array(.int)), P("minval", .double, default: .double(0)),
                                 P("maxval", .double, default: .double(1)), P("seed", optionalInt, default: .nilValue)],
               returns: "Tensor", "Values drawn uniformly from [minval, maxval), from the session's generator unless seeded.") { v, _ in
            try TensorCreation.randomUniform(v, state: state)
        }
        define("Variable", [P("_ initialValue", tensorLike), P("name", .optional(.string), default: .nilValue),
                            P("trainable", .bool, default: .bool(true))],
               returns: "Variable", "A variable holding a tensor that training can change; listed by trainableVariables().") { v, _ in
            try TensorCreation.variable(v, state: state)
        }
        define("getVariable", [P("_ name", .string), P("shape", .array(.int)), P("initScale", .optional(.double), default: .nilValue)],
               returns: "Variable", "A named trainable variable, drawn from a Glorot-uniform bound unless initScale is given.") { v, _ in
            try TensorCreation.getVariable(v, state: state)
        }
        define("trainableVariables", [], returns: "[Variable]", "The session's trainable variables, oldest first.") { _, _ in
            .array(state.trainableVariables.map(TensorCreation.variableValue))
        }
        define("setRandomSeed", [P("_ seed", .int)], "Restarts the session's generator from seed.") { v, _ in
            try TensorCreation.setSeed(v[0], state: state)
        }

        topic = "Operations, the loss and gradients"
        define("matmul", [P("_ a", tensorLike), P("_ b", tensorLike)], returns: "Tensor", "The matrix product of two matrices.") { v, _ in
            try TensorMath.matmul(v[0], v[1])
        }
        define("softmax", [P("_ logits", tensorLike)], returns: "Tensor", "Softmax over the last axis.") { v, _ in
            try TensorMath.softmax(v[0])
        }
        define("argmax", [P("_ value", tensorLike), P("axis", .int)], returns: "IntTensor", "The index of the largest value along axis.") { v, _ in
            try TensorMath.argmax(v[0], axis: v[1])
        }
        define("pca", [P("_ matrix", tensorLike), P("components", .int, default: .int(2))], returns: "Tensor",
               "The rows of a matrix, centred and projected on its directions of largest variance: [rows, components].") { v, _ in
            try TensorMath.pca(v[0], components: v[1])
        }
        define("reduceSum", [P("_ value", tensorLike), P("axis", optionalInt, default: .nilValue)], returns: "Tensor",
               "The sum of all values, or along axis.") { v, _ in
            try TensorMath.reduce("sum", v[0], axis: v[1], name: "reduceSum(_:axis:)")
        }
        define("reduceMean", [P("_ value", tensorLike), P("axis", optionalInt, default: .nilValue)], returns: "Tensor",
               "The mean of all values, or along axis.") { v, _ in
            try TensorMath.reduce("mean", v[0], axis: v[1], name: "reduceMean(_:axis:)")
        }
        define("embeddingLookup", [P("_ embedding", tensorLike), P("_ ids", ids)], returns: "Tensor",
               "The embedding's rows for the ids: [batch, steps] ids give [batch, steps, width].") { v, _ in
            try TensorMath.embeddingLookup(v[0], v[1])
        }
        define("sequenceLoss", [P("_ logits", tensorLike), P("_ targets", ids), P("weights", .optional(tensorLike), default: .nilValue),
                                P("averageAcrossTimesteps", .bool, default: .bool(false)),
                                P("averageAcrossBatch", .bool, default: .bool(true))],
               returns: "Tensor", "The weighted cross-entropy of logits against target ids, as TensorFlow's sequence_loss.") { v, _ in
            try TensorMath.sequenceLoss(v)
        }
        define("gradients", [P("of", tensorLike), P("wrt", .described("[Variable]"))], returns: "[Tensor]",
               "The gradients of a scalar with respect to each variable (reverse-mode autodiff).") { v, _ in
            try TensorMath.differentiate(v[0], wrt: v[1])
        }
        define("clipByGlobalNorm", [P("_ gradients", .array(tensorLike)), P("clipNorm", .double)],
               returns: "(gradients: [Tensor], globalNorm: Double)",
               "Scales the gradients down together so their global norm is at most clipNorm.") { v, _ in
            try TensorMath.clip(v[0], clipNorm: v[1])
        }

        topic = "Recurrent cells"
        define("BasicLSTMCell", [P("units", .int), P("forgetBias", .double, default: .double(1)),
                                 P("inputSize", optionalInt, default: .nilValue),
                                 P("initScale", .optional(.double), default: .nilValue)],
               returns: "BasicLSTMCell",
               "An LSTM cell (TensorFlow's BasicLSTMCell); kernel Glorot-uniform unless initScale is given, bias zero.") { v, _ in
            try CellFunctions.makeCell(v, state: state)
        }
        define("MultiRNNCell", [P("_ cells", .array(.described("BasicLSTMCell")))], returns: "MultiRNNCell",
               "Cells stacked in layers, each feeding the next.") { v, _ in
            try CellFunctions.makeStack(v[0])
        }
        define("LSTMStateTuple", [P("c", tensorLike), P("h", tensorLike)], returns: "LSTMStateTuple",
               "An LSTM state: the memory c and the output h, [batch, units] each.") { v, _ in
            try CellFunctions.makeState(c: v[0], h: v[1])
        }
        define("dynamicRNN", [P("_ cell", .described("BasicLSTMCell or MultiRNNCell")), P("_ inputs", tensorLike),
                              P("initialState", .described("LSTMStateTuple?"), default: .nilValue)],
               returns: "(outputs: Tensor, state: LSTMStateTuple)",
               "Runs a cell over [batch, steps, width] inputs, step by step.") { v, _ in
            try CellFunctions.dynamicRNN(v)
        }

        // `ModelConfig(...)` takes its labels in any order, so it reads its own arguments.
        registry.function("ModelConfig") { arguments, _ in try ModelConfigObject.make(arguments) }
        topic = "The model and its training"
        define("PTBModel", [P("_ config", .described("ModelConfig?"), default: .nilValue)], returns: "PTBModel",
               "The tutorial's language model (embedding, stacked LSTM, softmax), built from a ModelConfig.") { v, _ in
            try ModelObject.make(v, state: state)
        }
        define("LanguageModel", [P("config", .described("ModelConfig?"), default: .nilValue)], returns: "PTBModel",
               "The same model as PTBModel(_:).") { v, _ in
            try ModelObject.make(v, state: state)
        }
        define("GradientDescentOptimizer", [P("learningRate", .double)], returns: "GradientDescentOptimizer",
               "Plain gradient descent with the given learning rate.") { v, _ in
            .object(OptimizerObject(learningRate: try ModelArguments.positiveFloat(
                v[0], "GradientDescentOptimizer(learningRate:): learningRate")))
        }
        define("runEpoch", [P("_ model", model), P("_ data", ids), P("learningRate", .optional(.double), default: .nilValue),
                            P("verbose", .bool, default: .bool(false))],
               returns: "Double", "One pass over a split, training when a learning rate is given; returns the perplexity.") { v, context in
            try TrainingFunctions.runEpoch(v, context: context)
        }
        define("perplexity", [P("_ model", model), P("_ data", ids)], returns: "Double",
               "The model's perplexity on a split, without training.") { v, context in
            try TrainingFunctions.perplexity(v, context: context)
        }
        define("train", [P("_ model", model), P("data", .described("(train:, valid:, test:)")),
                         P("epochs", optionalInt, default: .nilValue), P("verbose", .bool, default: .bool(true))],
               returns: "(trainPerplexities: [Double], validPerplexities: [Double], testPerplexity: Double, iterationPerplexities: [Double])",
               "The tutorial's whole schedule: epochs with learning-rate decay, validation after each, test at the end.") { v, context in
            try TrainingFunctions.train(v, context: context)
        }
        define("predictNext", [P("_ model", model), P("context", .described("String or [String]")),
                               P("count", .int, default: .int(5)), P("vocabulary", .optional(.array(.string)), default: .nilValue)],
               returns: "[(word: String, probability: Double)]", "The words the model finds likeliest after the context.") { v, _ in
            try TrainingFunctions.predictNext(v, state: state)
        }
        define("generate", [P("_ model", model), P("from", .described("String or [String]")),
                            P("words", .int, default: .int(30)), P("temperature", .double, default: .double(1.0)),
                            P("vocabulary", .optional(.array(.string)), default: .nilValue)],
               returns: "String", "Text the model writes after the context, drawing each word from its softmax (sharper below temperature 1).") { v, _ in
            try TrainingFunctions.generate(v, state: state)
        }
        define("save", [P("_ model", model), P("to", .string)], "Writes the model's weights to a safetensors checkpoint in the lesson's folder.") { v, _ in
            try TrainingFunctions.save(v, state: state)
        }
        define("load", [P("_ model", model), P("from", .string)], "Reads a checkpoint written by save(_:to:) into the model.") { v, _ in
            try TrainingFunctions.load(v, state: state)
        }

        topic = "Figures"
        define("plot", [P("_ series", .described("[Double] or [String: [Double]]")), P("title", .string, default: .string("")),
                        P("xLabel", .string, default: .string("")), P("yLabel", .string, default: .string("")),
                        P("logScale", .bool, default: .bool(false))],
               "Draws a line chart of one series, or of named series, in the cell's output.") { v, context in
            try DisplayFunctions.plot(v, context: context)
        }
        define("scatter", [P("_ points", .described("Tensor or [[Double]] of shape [n, 2]")),
                           P("labels", .array(.string), default: .array([])), P("title", .string, default: .string("")),
                           P("xLabel", .string, default: .string("")), P("yLabel", .string, default: .string(""))],
               "Draws labelled points (x, y) in the cell's output.") { v, context in
            try DisplayFunctions.scatter(v, context: context)
        }
        define("heatmap", [P("_ matrix", .described("Tensor or [[Double]]")), P("title", .string, default: .string("")),
                           P("rowLabel", .string, default: .string("")), P("columnLabel", .string, default: .string(""))],
               "Draws a matrix as a heatmap in the cell's output.") { v, context in
            try DisplayFunctions.heatmap(v, context: context)
        }
    }
}

/// The data directories a session's cells read, in first-read order; safe to read from
/// another thread while cells run.
public final class DataLog: Sendable {
    private let recorded = Mutex<[URL]>([])

    public init() {}

    func record(_ directory: URL) {
        recorded.withLock { if !$0.contains(directory) { $0.append(directory) } }
    }

    public var directories: [URL] {
        recorded.withLock { $0 }
    }
}
