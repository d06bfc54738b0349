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
///   `runEpoch`, `train`, `perplexity`, `predictNext`, `save(_:to:)`, `load(_:from:)`;
/// - figures (`DisplayFunctions.swift`): `plot(_:title:xLabel:yLabel:logScale:)` and
///   `heatmap(_:title:rowLabel:columnLabel:)`, drawn in the report.
///
/// Each session gets its own state (random generator, variables, data read), made
/// when the library registers into it.
public struct ModelAPI: BuiltinLibrary {
    /// Where `ptbRawData()` looks first; nil for the engine's default places.
    public var dataDirectory: String?
    /// What cells' paths (data, checkpoints) may name; relative paths start at its lesson folder.
    public var files: FileScope
    /// Seed of the generator behind every initialiser without its own seed.
    public var seed: UInt64
    /// Records the data directories cells read, so a report can list their files' checksums.
    public let dataLog: DataLog

    public init(dataDirectory: String? = nil,
                files: FileScope = .workingDirectory,
                seed: UInt64 = 1, dataLog: DataLog = DataLog()) {
        self.dataDirectory = dataDirectory
        self.files = files
        self.seed = seed
        self.dataLog = dataLog
    }

    public func register(into registry: inout BuiltinRegistry) {
        let state = ModelAPIState(seed: seed, dataDirectory: dataDirectory, files: files,
                                  dataLog: dataLog)
        registry.keepState(state)
        ModelAPIEntries.register(into: &registry)
        for type: any ArchivableObject.Type in [
            TensorObject.self, TensorRowIterator.self, BatchIteratorObject.self, ModelConfigObject.self, ModelObject.self,
            OptimizerObject.self, LSTMStateTupleObject.self, BasicLSTMCellObject.self, MultiRNNCellObject.self,
        ] {
            registry.archive(type)
        }
        func define(_ name: String, _ parameters: [BuiltinParameter],
                    _ body: @escaping ([Value], any ScriptContext) throws -> Value) {
            registry.define(name, ModelArguments.function(name, parameters, body))
        }
        func optional(_ label: String) -> BuiltinParameter { BuiltinParameter(label, default: .nilValue) }

        // The data.
        define("ptbRawData", [optional("dataDir")]) { v, _ in try DataFunctions.rawData(directory: v[0], state: state) }
        define("generatedCorpus", GeneratedCorpus.parameters) { v, _ in try GeneratedCorpus.make(v, state: state) }
        define("idToWord", ["_", optional("vocabulary")]) { v, _ in
            try DataFunctions.idToWord(v[0], vocabulary: v[1], state: state)
        }
        define("ptbIterator", ["_", "batchSize", "numSteps"]) { v, _ in try DataFunctions.iterator(v) }

        // Tensors and variables.
        define("Tensor", ["_"]) { v, _ in try TensorCreation.tensor(v[0]) }
        define("IntTensor", ["_"]) { v, _ in TensorObject.value(try ModelArguments.ids(v[0], "IntTensor(_:)")) }
        define("constant", ["_", optional("shape")]) { v, _ in try TensorCreation.constant(v[0], shape: v[1]) }
        define("zeros", ["shape"]) { v, _ in try TensorCreation.filled(0, shape: v[0], "zeros(shape:)") }
        define("ones", ["shape"]) { v, _ in try TensorCreation.filled(1, shape: v[0], "ones(shape:)") }
        define("randomUniform", ["shape", BuiltinParameter("minval", default: .double(0)),
                                 BuiltinParameter("maxval", default: .double(1)), optional("seed")]) { v, _ in
            try TensorCreation.randomUniform(v, state: state)
        }
        define("Variable", ["_", optional("name"), BuiltinParameter("trainable", default: .bool(true))]) { v, _ in
            try TensorCreation.variable(v, state: state)
        }
        define("getVariable", ["_", "shape", optional("initScale")]) { v, _ in try TensorCreation.getVariable(v, state: state) }
        define("trainableVariables", []) { _, _ in .array(state.trainableVariables.map(TensorCreation.variableValue)) }
        define("setRandomSeed", ["_"]) { v, _ in try TensorCreation.setSeed(v[0], state: state) }

        // Tensor operations, the loss and its gradients.
        define("matmul", ["_", "_"]) { v, _ in try TensorMath.matmul(v[0], v[1]) }
        define("softmax", ["_"]) { v, _ in try TensorMath.softmax(v[0]) }
        define("argmax", ["_", "axis"]) { v, _ in try TensorMath.argmax(v[0], axis: v[1]) }
        define("reduceSum", ["_", optional("axis")]) { v, _ in
            try TensorMath.reduce("sum", v[0], axis: v[1], name: "reduceSum(_:axis:)")
        }
        define("reduceMean", ["_", optional("axis")]) { v, _ in
            try TensorMath.reduce("mean", v[0], axis: v[1], name: "reduceMean(_:axis:)")
        }
        define("embeddingLookup", ["_", "_"]) { v, _ in try TensorMath.embeddingLookup(v[0], v[1]) }
        define("sequenceLoss", ["_", "_", optional("weights"),
                                BuiltinParameter("averageAcrossTimesteps", default: .bool(false)),
                                BuiltinParameter("averageAcrossBatch", default: .bool(true))]) { v, _ in
            try TensorMath.sequenceLoss(v)
        }
        define("gradients", ["of", "wrt"]) { v, _ in try TensorMath.differentiate(v[0], wrt: v[1]) }
        define("clipByGlobalNorm", ["_", "clipNorm"]) { v, _ in try TensorMath.clip(v[0], clipNorm: v[1]) }

        // Recurrent cells.
        define("BasicLSTMCell", ["units", BuiltinParameter("forgetBias", default: .double(1)), optional("inputSize"),
                                 BuiltinParameter("initScale", default: .double(0.1))]) { v, _ in
            try CellFunctions.makeCell(v, state: state)
        }
        define("MultiRNNCell", ["_"]) { v, _ in try CellFunctions.makeStack(v[0]) }
        define("LSTMStateTuple", ["c", "h"]) { v, _ in try CellFunctions.makeState(c: v[0], h: v[1]) }
        define("dynamicRNN", ["_", "_", optional("initialState")]) { v, _ in try CellFunctions.dynamicRNN(v) }

        // The whole model, its optimiser and its training.
        registry.function("ModelConfig") { arguments, _ in try ModelConfigObject.make(arguments) }
        define("PTBModel", [optional("_")]) { v, _ in try ModelObject.make(v, state: state) }
        define("LanguageModel", [optional("config")]) { v, _ in try ModelObject.make(v, state: state) }
        define("GradientDescentOptimizer", ["learningRate"]) { v, _ in
            .object(OptimizerObject(learningRate: try ModelArguments.positiveFloat(
                v[0], "GradientDescentOptimizer(learningRate:): learningRate")))
        }
        define("runEpoch", ["_", "_", optional("learningRate"), BuiltinParameter("verbose", default: .bool(false))]) { v, context in
            try TrainingFunctions.runEpoch(v, context: context)
        }
        define("perplexity", ["_", "_"]) { v, context in try TrainingFunctions.perplexity(v, context: context) }
        define("train", ["_", "data", optional("epochs"), BuiltinParameter("verbose", default: .bool(true))]) { v, context in
            try TrainingFunctions.train(v, context: context)
        }
        define("predictNext", ["_", "context", BuiltinParameter("count", default: .int(5)), optional("vocabulary")]) { v, _ in
            try TrainingFunctions.predictNext(v, state: state)
        }
        // Figures.
        define("plot", ["_", BuiltinParameter("title", default: .string("")), BuiltinParameter("xLabel", default: .string("")),
                        BuiltinParameter("yLabel", default: .string("")), BuiltinParameter("logScale", default: .bool(false))]) { v, context in
            try DisplayFunctions.plot(v, context: context)
        }
        define("heatmap", ["_", BuiltinParameter("title", default: .string("")),
                           BuiltinParameter("rowLabel", default: .string("")),
                           BuiltinParameter("columnLabel", default: .string(""))]) { v, context in
            try DisplayFunctions.heatmap(v, context: context)
        }

        define("save", ["_", "to"]) { v, _ in try TrainingFunctions.save(v, state: state) }
        define("load", ["_", "from"]) { v, _ in try TrainingFunctions.load(v, state: state) }
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
