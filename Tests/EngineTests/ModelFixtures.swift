import Engine
import Foundation
import Testing
import Tensor
import TestSupport

// Shape legend: B = batch, T = time steps, V = vocabulary, E = embedding width,
// H = hidden units of a layer.

/// Small models, batches and states for the model, training and checkpoint tests,
/// all drawn from seeded generators so every run sees the same numbers.
enum ModelFixtures {
    /// A configuration small enough to differentiate by hand in milliseconds.
    static func config(
        hiddenSizes: [Int], embeddingSize: Int, vocabularySize: Int, batchSize: Int, numSteps: Int,
        initScale: Float = 0.1, keepProb: Float = 1, forgetBias: Float = 0, seed: UInt64 = 1
    ) -> ModelConfig {
        var config = ModelConfig()
        config.hiddenSizes = hiddenSizes
        config.embeddingSize = embeddingSize
        config.vocabularySize = vocabularySize
        config.batchSize = batchSize
        config.numSteps = numSteps
        config.initScale = initScale
        config.keepProb = keepProb
        config.forgetBias = forgetBias
        config.seed = seed
        return config
    }

    /// A model initialised from `RandomGenerator(seed: config.seed)`, as `lesson train` builds it.
    static func model(_ config: ModelConfig) throws -> LanguageModel {
        var generator = RandomGenerator(seed: config.seed)
        return try LanguageModel(config: config, generator: &generator)
    }

    /// `[rows, columns]` ids uniform in `0..<vocabulary`.
    static func ids(rows: Int, columns: Int, vocabulary: Int, generator: inout RandomGenerator) throws -> IntTensor {
        let scalars = (0..<(rows * columns)).map { _ in Int32(generator.next() % UInt64(vocabulary)) }
        return try IntTensor(shape: [rows, columns], scalars: scalars)
    }

    /// A non-zero state for every layer, uniform in `±scale`.
    static func randomState(of model: LanguageModel, batchSize: Int, scale: Float = 0.5,
                            generator: inout RandomGenerator) -> [LayerState] {
        model.config.hiddenSizes.map { units in
            LayerState(c: .uniform(shape: [batchSize, units], lower: -scale, upper: scale, generator: &generator),
                       h: .uniform(shape: [batchSize, units], lower: -scale, upper: scale, generator: &generator))
        }
    }

    /// Cost, gradients of every trainable variable (in order) and final state by autodiff.
    static func autodiff(_ model: LanguageModel, x: IntTensor, y: IntTensor, state: [LayerState]) throws
        -> (cost: Float, gradients: [Tensor], state: [LayerState]) {
        let (cost, _, final) = try model.forward(x: x, y: y, state: state)
        let grads = gradients(of: cost, wrt: model.trainableVariables)
        return (cost.value.scalars[0], grads, final)
    }

    /// The autodiff cost alone, in Double for finite differences.
    static func autodiffCost(_ model: LanguageModel, x: IntTensor, y: IntTensor, state: [LayerState]) throws -> Double {
        Double(try model.forward(x: x, y: y, state: state).cost.value.scalars[0])
    }

    /// max |t|.
    static func maxAbs(_ t: Tensor) -> Float {
        t.scalars.reduce(0) { Swift.max($0, abs($1)) }
    }

    /// max |a - b| / max |reference|: the error measured against the tensor's own scale.
    static func relativeError(_ a: Tensor, reference: Tensor) -> Float {
        precondition(a.shape == reference.shape, "shapes \(a.shape) and \(reference.shape) differ")
        let difference = zip(a.scalars, reference.scalars).reduce(Float(0)) { Swift.max($0, abs($1.0 - $1.1)) }
        return difference / Swift.max(maxAbs(reference), .leastNormalMagnitude)
    }

    /// Sum of squares in Double.
    static func sumOfSquares(_ t: Tensor) -> Double {
        t.scalars.reduce(0) { $0 + Double($1) * Double($1) }
    }

    /// Central difference of `cost` with respect to element `index` of `variable`, in Double.
    /// The step actually taken (after rounding to Float) is the divisor.
    static func centralDifference(_ variable: Variable, index: Int, epsilon: Float,
                                  cost: () throws -> Double) rethrows -> Double {
        let original = variable.value.scalars[index]
        defer { variable.value.scalars[index] = original }
        let (plus, minus) = (original + epsilon, original - epsilon)
        variable.value.scalars[index] = plus
        let up = try cost()
        variable.value.scalars[index] = minus
        let down = try cost()
        return (up - down) / (Double(plus) - Double(minus))
    }

    /// Checks gradients against central differences of `cost`: for each trainable variable, at
    /// its `positions`, every tensor set in `gradients` (by name, one tensor per variable) must
    /// be within `absolute + relative * |derivative|`, and some sampled derivative must exceed
    /// `largestAtLeast`, so the check can fail.
    static func expectFiniteDifferences(_ model: LanguageModel, names: [String], positions: [[Int]],
                                        gradients: [String: [Tensor]], tolerance: (absolute: Double, relative: Double),
                                        largestAtLeast: Double, epsilon: Float = 1e-2,
                                        cost: () throws -> Double) rethrows {
        for (index, variable) in model.trainableVariables.enumerated() {
            var largest = 0.0
            for position in positions[index] {
                let numeric = try centralDifference(variable, index: position, epsilon: epsilon, cost: cost)
                for (label, tensors) in gradients.sorted(by: { $0.key < $1.key }) {
                    let value = Double(tensors[index].scalars[position])
                    #expect(abs(value - numeric) <= tolerance.absolute + tolerance.relative * abs(numeric),
                            "\(names[index])[\(position)]: \(label) \(value) vs finite difference \(numeric)")
                }
                largest = Swift.max(largest, abs(numeric))
            }
            #expect(largest > largestAtLeast, "\(names[index]): sampled derivatives are all tiny (\(largest))")
        }
    }

    /// Copies of every trainable variable's value.
    static func snapshot(_ model: LanguageModel) -> [Tensor] {
        model.trainableVariables.map(\.value)
    }
}

/// A tiny English-like corpus from a fixed grammar (subject, verb, object, sometimes an
/// adverb), about 35 words, so a small LSTM can learn it in a few epochs.
enum GrammarCorpus {
    static let subjects = ["the cat", "the dog", "a bird", "my sister", "our teacher", "the old man"]
    static let verbs = ["sees", "likes", "chases", "finds", "hears", "paints"]
    static let objects = ["a red ball", "the small house", "some fresh bread", "the blue river", "a tall tree", "the quiet garden"]
    static let endings = ["", "today", "again", "at night"]

    /// At least `words` words of sentences, one per line (each line also ends in `<eos>`).
    static func text(words: Int, seed: UInt64) -> String {
        var generator = RandomGenerator(seed: seed)
        func pick(_ options: [String]) -> String { options[Int(generator.next() % UInt64(options.count))] }
        var lines: [String] = []
        var count = 0
        while count < words {
            let sentence = [pick(subjects), pick(verbs), pick(objects), pick(endings)].filter { !$0.isEmpty }.joined(separator: " ")
            lines.append(" " + sentence + " ")
            count += sentence.split(separator: " ").count + 1
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes `ptb.{train,valid,test}.txt` into `directory` and reads them back.
    static func write(into directory: TemporaryDirectory, trainWords: Int = 3000, otherWords: Int = 600) throws -> PTBData {
        let url = try directory.writeCorpus(
            train: text(words: trainWords, seed: 11), valid: text(words: otherWords, seed: 12), test: text(words: otherWords, seed: 13))
        return try PTBData(directory: url)
    }
}
