import CellScript
import Engine
import Figures
import Foundation
import Tensor

/// Globals that train, evaluate and use a whole model: `runEpoch`, `train`,
/// `perplexity`, `predictNext`, `save`, `load`. Long runs call the context's
/// checkpoint once per batch, so an interrupt or a time limit stops them.
enum TrainingFunctions {
    /// How many running perplexities per epoch `train` keeps for its per-iteration curve.
    static let pointsPerEpoch = 20

    /// `runEpoch(model, data, learningRate:, verbose:)` -> the pass's perplexity.
    static func runEpoch(_ values: [Value], context: any ScriptContext) throws -> Value {
        let name = "runEpoch(_:_:learningRate:verbose:)"
        let model = try modelObject(values[0], name)
        let ids = try dataIds(values[1], model: model, "\(name): data")
        let rate = try ModelArguments.optional(values[2]).map { try ModelArguments.positiveFloat($0, "\(name): learningRate") }
        let verbose = try values[3].asBool("\(name): verbose")
        let phase = rate == nil ? "evaluation" : "Epoch \(model.epochsRun + 1) train"
        return .double(try runEpoch(model, ids: ids, learningRate: rate, verbose: verbose, phase: phase,
                                    context: context).perplexity)
    }

    /// `perplexity(model, data)`: an evaluation pass, no training.
    static func perplexity(_ values: [Value], context: any ScriptContext) throws -> Value {
        let model = try modelObject(values[0], "perplexity(_:_:)")
        let ids = try dataIds(values[1], model: model, "perplexity(_:_:): data")
        return .double(try runEpoch(model, ids: ids, learningRate: nil, verbose: false, phase: "evaluation",
                                    context: context).perplexity)
    }

    /// `save(model, to: path)`: the weights as a safetensors file.
    static func save(_ values: [Value], state: ModelAPIState) throws -> Value {
        let model = try modelObject(values[0], "save(_:to:)")
        let path = try values[1].asString("save(_:to:): path")
        try model.model.save(to: state.file(path, for: .write, what: "save(_:to:)"))
        return .void
    }

    /// `load(model, from: path)`: replaces the weights with a saved file's.
    static func load(_ values: [Value], state: ModelAPIState) throws -> Value {
        let model = try modelObject(values[0], "load(_:from:)")
        let path = try values[1].asString("load(_:from:): path")
        try model.model.load(from: state.file(path, for: .read, what: "load(_:from:)"))
        return .void
    }

    static func modelObject(_ value: Value, _ name: String) throws -> ModelObject {
        guard case .object(let object as ModelObject) = value else {
            throw ScriptError("\(name): expected a PTBModel, got \(ModelArguments.describe(value))")
        }
        return object
    }

    /// A split's ids, each checked against the model's vocabulary.
    static func dataIds(_ value: Value, model: ModelObject, _ what: String) throws -> [Int32] {
        let ids = try ModelArguments.idSequence(value, what)
        let size = model.model.config.vocabularySize
        if let bad = ids.first(where: { $0 < 0 || Int($0) >= size }) {
            throw ScriptError("\(what): word id \(bad) is outside the model's vocabulary of \(size) words")
        }
        return ids
    }

    /// One pass over `ids`: SGD at `learningRate` when given, else evaluation.
    /// Prints the tutorial's `Itr 10 of 774, perplexity: ... speed: ... wps` lines when `verbose`,
    /// reports progress under `phase` every iteration, and returns the running perplexity at
    /// about `pointsPerEpoch` evenly spaced iterations (and the last) with the pass's perplexity.
    static func runEpoch(_ model: ModelObject, ids: [Int32], learningRate: Float?, verbose: Bool, phase: String,
                         context: any ScriptContext) throws -> (perplexity: Double, logPoints: [Double]) {
        var logPoints: [Double] = []
        let result = try stoppable(model, context: context) { trainer in
            try trainer.runEpoch(ids, epoch: model.epochsRun, learningRate: learningRate) { progress in
                if verbose, progress.isTutorialLogPoint { context.write(progress.logLine + "\n") }
                collect(progress, into: &logPoints)
                context.report(report(progress, phase: phase))
            }
        }
        if learningRate != nil { model.epochsRun += 1 }
        return (result.perplexity, logPoints)
    }

    /// Runs `work` on a trainer of `model` that stops at the cell's checkpoints (an interrupt,
    /// the time limit), which then end the work with the cell's own error.
    private static func stoppable<Result>(_ model: ModelObject, context: any ScriptContext,
                                          _ work: (Trainer) throws -> Result) throws -> Result {
        try model.withTrainer { trainer in try stoppable(trainer, context: context, work) }
    }

    private static func stoppable<Result>(_ trainer: Trainer, context: any ScriptContext,
                                          _ work: (Trainer) throws -> Result) throws -> Result {
        var interruption: (any Error)?
        trainer.shouldStop = {
            do {
                try context.checkpoint(steps: 1)
                return false
            } catch {
                interruption = error
                return true
            }
        }
        do {
            return try work(trainer)
        } catch EngineError.cancelled {
            throw interruption ?? EngineError.cancelled
        }
    }

    /// Keeps the running perplexity at about `pointsPerEpoch` evenly spaced iterations (and the last).
    private static func collect(_ progress: TrainingProgress, into points: inout [Double]) {
        let stride = max(1, progress.epochSize / pointsPerEpoch)
        if progress.iteration % stride == 0 || progress.iteration == progress.epochSize {
            points.append(progress.perplexity)
        }
    }

    private static func report(_ progress: TrainingProgress, phase: String) -> ProgressReport {
        ProgressReport(phase: phase, completed: progress.iteration, total: progress.epochSize,
                       perplexity: progress.perplexity, wordsPerSecond: progress.wordsPerSecond,
                       elapsedSeconds: progress.elapsedSeconds)
    }

    /// The tutorial's main loop: `epochs` (default `maxEpoch`) epochs with the decay
    /// schedule, a validation pass after each, the test pass at the end.
    static func train(_ values: [Value], context: any ScriptContext) throws -> Value {
        let name = "train(_:data:epochs:verbose:)"
        let model = try modelObject(values[0], name)
        var splits: [[Int32]] = []
        for (position, label) in ["train", "valid", "test"].enumerated() {
            guard let split = ModelArguments.tupleElement(values[1], label: label, position: position) else {
                throw ScriptError("\(name): data must be the (train:, valid:, test:, ...) tuple ptbRawData() returns, "
                                  + "got \(ModelArguments.describe(values[1]))")
            }
            splits.append(try dataIds(split, model: model, "\(name): data.\(label)"))
        }
        let config = model.model.config
        let epochs = try ModelArguments.optional(values[2]).map { try ModelArguments.int($0, "\(name): epochs", atLeast: 0) }
            ?? config.maxEpoch
        let verbose = try values[3].asBool("\(name): verbose")
        var trainPerplexities: [Value] = []
        var validPerplexities: [Value] = []
        var iterationPerplexities: [Double] = []
        // The engine's schedule and log (the same lines `lesson train` prints); this only
        // chooses where they go.
        let result = try stoppable(model, context: context) { trainer in
            try trainer.train(TrainingSplits(train: splits[0], valid: splits[1], test: splits[2]), epochs: epochs,
                              logIterations: verbose) { event in
                switch event {
                case .log(let line):
                    context.write(line + "\n")
                case .progress(let progress):
                    let phase: String
                    switch progress.pass {
                    case .train: phase = "Epoch \(progress.epoch + 1)/\(epochs) train"
                    case .valid: phase = "Epoch \(progress.epoch + 1)/\(epochs) valid"
                    case .test: phase = "test"
                    }
                    if progress.pass == .train { collect(progress, into: &iterationPerplexities) }
                    context.report(report(progress, phase: phase))
                case .epochFinished(let epoch):
                    model.epochsRun += 1
                    trainPerplexities.append(.double(epoch.trainPerplexity))
                    validPerplexities.append(.double(epoch.validPerplexity))
                case .epochStarted, .testFinished:
                    break
                }
            }
        }
        let test = result.testPerplexity
        return .tuple([
            TupleElement(label: "trainPerplexities", .array(trainPerplexities)),
            TupleElement(label: "validPerplexities", .array(validPerplexities)),
            TupleElement(label: "testPerplexity", .double(test)),
            TupleElement(label: "iterationPerplexities", .array(iterationPerplexities.map(Value.double))),
        ])
    }

    /// The `count` likeliest next words after `context`, with their probabilities.
    static func predictNext(_ values: [Value], state: ModelAPIState) throws -> Value {
        let name = "predictNext(_:context:count:vocabulary:)"
        let model = try modelObject(values[0], name).model
        let vocabulary = try DataFunctions.vocabularyWords(values[3], state: state, name)
        let ids = try contextIDs(values[1], model: model, vocabulary: vocabulary, name)
        let size = model.config.vocabularySize
        let count = try ModelArguments.int(values[2], "\(name): count", atLeast: 1)
        guard count <= size else { throw ScriptError("\(name): count: the model knows \(size) words, asked for \(count)") }
        let probabilities = try nextWordProbabilities(model, ids: ids)
        let ranked = probabilities.enumerated().sorted { $0.element != $1.element ? $0.element > $1.element : $0.offset < $1.offset }
        return .array(ranked.prefix(count).map { id, probability in
            .tuple([TupleElement(label: "word", .string(word(id, in: vocabulary))),
                    TupleElement(label: "probability", .double(ModelArguments.double(probability)))])
        })
    }

    /// `generate(_:from:words:temperature:vocabulary:)`: the context and `words` words the
    /// model draws after it, one at a time, from the session's generator, as one text.
    static func generate(_ values: [Value], state: ModelAPIState) throws -> Value {
        let name = "generate(_:from:words:temperature:vocabulary:)"
        let model = try modelObject(values[0], name).model
        let vocabulary = try DataFunctions.vocabularyWords(values[4], state: state, name)
        let context = try contextIDs(values[1], model: model, vocabulary: vocabulary, name)
        let count = try ModelArguments.int(values[2], "\(name): words", atLeast: 1)
        guard count <= LanguageModel.maximumGeneratedWords else {
            throw ScriptError("\(name): words: at most \(LanguageModel.maximumGeneratedWords), asked for \(count)")
        }
        let temperature = try values[3].asDouble("\(name): temperature")
        guard temperature.isFinite, temperature > 0 else {
            throw ScriptError("\(name): temperature: expected a positive number, got \(temperature)")
        }
        let drawn = try model.generate(after: context, count: count, temperature: temperature, generator: &state.generator)
        return .string((context + drawn).map { word(Int($0), in: vocabulary) }.joined(separator: " "))
    }

    /// The ids of a context given as a String (words separated by white space) or [String],
    /// each in the vocabulary and inside the model's.
    static func contextIDs(_ value: Value, model: LanguageModel, vocabulary: [String], _ name: String) throws -> [Int32] {
        let words: [String]
        switch value {
        case .string(let text): words = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init)
        case .array(let items): words = try items.enumerated().map { try $1.asString("\(name): context[\($0)]") }
        default: throw ScriptError("\(name): context: expected a String or [String], got \(value.typeName)")
        }
        guard !words.isEmpty else { throw ScriptError("\(name): context: give at least one word") }
        let size = model.config.vocabularySize
        var idsByWord: [String: Int] = [:]
        for (id, word) in vocabulary.enumerated() where idsByWord[word] == nil { idsByWord[word] = id }
        return try words.map { word -> Int32 in
            guard let id = idsByWord[word] else { throw ScriptError("\(name): '\(word)' is not in the vocabulary") }
            guard id < size else {
                throw ScriptError("\(name): '\(word)' has id \(id), outside the model's vocabulary of \(size) words")
            }
            return Int32(id)
        }
    }

    /// Word `id` of `vocabulary`, or `<id N>` past its end (a model larger than the vocabulary).
    static func word(_ id: Int, in vocabulary: [String]) -> String {
        id < vocabulary.count ? vocabulary[id] : "<id \(id)>"
    }

    /// softmax over the vocabulary after reading `ids` from a zero state: `[V]`.
    static func nextWordProbabilities(_ model: LanguageModel, ids: [Int32]) throws -> [Float] {
        let x = IntTensor(uncheckedShape: [1, ids.count], scalars: ids)
        let inputs = try Variable.embeddingLookup(model.embedding, ids: x)
        let (outputs, _) = try model.stack.unroll(inputs, initialState: model.stack.zeroState(batchSize: 1))
        let last = try outputs.value.slice(axis: 1, (ids.count - 1)..<ids.count).reshaped([1, -1])
        let logits = try Tensor.matmul(last, model.softmaxW.value) + model.softmaxB.value
        return try logits.softmax().scalars
    }
}
