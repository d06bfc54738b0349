import Engine
import Foundation
import Tensor
import TestSupport
import Testing

/// The model against the tutorial's published facts: its variable listing, its
/// initialisation, its configuration and its learning-rate schedule.
@Suite("Language model and configuration")
struct ModelTests {
    /// The tutorial's `tf.trainable_variables()` listing (without the "model/" scope).
    static let tutorialVariables: [(name: String, shape: [Int])] = [
        ("embedding_vocab:0", [10000, 200]),
        ("rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel:0", [456, 1024]),
        ("rnn/multi_rnn_cell/cell_0/basic_lstm_cell/bias:0", [1024]),
        ("rnn/multi_rnn_cell/cell_1/basic_lstm_cell/kernel:0", [384, 512]),
        ("rnn/multi_rnn_cell/cell_1/basic_lstm_cell/bias:0", [512]),
        ("softmax_w:0", [128, 10000]),
        ("softmax_b:0", [10000]),
    ]

    @Test("the tutorial configuration's defaults are the tutorial's")
    func tutorialDefaults() {
        let config = ModelConfig.tutorial
        #expect(config.initScale == 0.1)
        #expect(config.learningRate == 1)
        #expect(config.maxGradNorm == 5)
        #expect(config.numLayers == 2)
        #expect(config.numSteps == 20)
        #expect(config.hiddenSizes == [256, 128])
        #expect(config.embeddingSize == 200)
        #expect(config.maxEpochDecayLR == 4)
        #expect(config.maxEpoch == 15)
        #expect(config.keepProb == 1)
        #expect(config.decay == 0.5)
        #expect(config.batchSize == 60)
        #expect(config.vocabularySize == 10_000)
        #expect(config.forgetBias == 0)
        #expect(config.problems().isEmpty)
    }

    @Test("the tutorial model's trainable variables have the tutorial's names and shapes, and a TF-style init")
    func tutorialVariables() throws {
        let model = try ModelFixtures.model(.tutorial)
        let variables = model.trainableVariables
        #expect(variables.map { $0.name ?? "" } == Self.tutorialVariables.map(\.name))
        #expect(variables.map(\.shape) == Self.tutorialVariables.map(\.shape))

        let scale = ModelConfig.tutorial.initScale
        for variable in variables {
            let name = variable.name ?? "?"
            let values = variable.value.scalars
            if name.hasSuffix("bias:0") {
                // TensorFlow's BasicLSTMCell builds its bias with a zeros initializer.
                #expect(values.allSatisfy { $0 == 0 }, "\(name) should start at zero")
                continue
            }
            #expect(values.allSatisfy { $0 >= -scale && $0 <= scale }, "\(name) leaves ±\(scale)")
            // Uniform on [-s, s]: mean 0, variance s^2 / 3, and the whole range is used.
            let count = Double(values.count)
            let mean = values.reduce(0.0) { $0 + Double($1) } / count
            let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / count
            let expectedVariance = Double(scale * scale) / 3
            #expect(abs(mean) < 6 * Double(scale) / (3 * count).squareRoot(), "\(name) mean \(mean)")
            #expect(abs(variance - expectedVariance) < 0.05 * expectedVariance, "\(name) variance \(variance)")
            #expect((values.min() ?? 0) < -0.95 * scale && (values.max() ?? 0) > 0.95 * scale, "\(name) range")
        }
    }

    @Test("the same seed gives the same weights; another seed other weights")
    func seeding() throws {
        var config = ModelFixtures.config(hiddenSizes: [7, 5], embeddingSize: 4, vocabularySize: 30, batchSize: 2, numSteps: 3)
        let first = ModelFixtures.snapshot(try ModelFixtures.model(config))
        let second = ModelFixtures.snapshot(try ModelFixtures.model(config))
        #expect(first == second)
        config.seed = 2
        let other = ModelFixtures.snapshot(try ModelFixtures.model(config))
        for (index, (a, b)) in zip(first, other).enumerated() where index != 2 && index != 4 {
            #expect(a != b, "variable \(index) should depend on the seed")
        }
    }

    /// The tutorial prints `Epoch i: Learning rate: %.3f`.
    static let printedRates = ["1.000", "1.000", "1.000", "1.000", "1.000", "0.500", "0.250", "0.125",
                               "0.062", "0.031", "0.016", "0.008", "0.004", "0.002", "0.001"]

    @Test("the learning-rate schedule is the tutorial's, as printed", arguments: 0..<15)
    func learningRateSchedule(epoch: Int) {
        let rate = ModelConfig.tutorial.learningRate(epoch: epoch)
        // lr * decay^max(i - max_epoch_decay_lr, 0): powers of two, so exact.
        let expected: Float = epoch <= 4 ? 1 : Float(pow(0.5, Double(epoch - 4)))
        #expect(rate == expected)
        #expect(String(format: "%.3f", rate) == Self.printedRates[epoch])
    }

    @Test("the schedule follows lr, decay and maxEpochDecayLR")
    func customSchedule() {
        var config = ModelConfig()
        config.learningRate = 0.8
        config.decay = 0.1
        config.maxEpochDecayLR = 1
        #expect(config.learningRate(epoch: 0) == 0.8)
        #expect(config.learningRate(epoch: 1) == 0.8)
        #expect(abs(config.learningRate(epoch: 2) - 0.08) < 1e-7)
        #expect(abs(config.learningRate(epoch: 4) - 0.0008) < 1e-9)
    }

    /// One bad field each, with a word its problem must mention.
    struct BadConfig: Sendable, CustomTestStringConvertible {
        let label: String
        let keyword: String
        let change: @Sendable (inout ModelConfig) -> Void
        var testDescription: String { label }
    }

    static let badConfigs: [BadConfig] = [
        BadConfig(label: "init scale 0", keyword: "init scale") { $0.initScale = 0 },
        BadConfig(label: "init scale -1", keyword: "init scale") { $0.initScale = -1 },
        BadConfig(label: "learning rate 0", keyword: "learning rate") { $0.learningRate = 0 },
        BadConfig(label: "learning rate NaN", keyword: "learning rate") { $0.learningRate = .nan },
        BadConfig(label: "max grad norm -5", keyword: "max grad norm") { $0.maxGradNorm = -5 },
        BadConfig(label: "num steps 0", keyword: "num steps") { $0.numSteps = 0 },
        BadConfig(label: "no layers", keyword: "hidden sizes") { $0.hiddenSizes = [] },
        BadConfig(label: "a layer of 0 units", keyword: "hidden sizes") { $0.hiddenSizes = [16, 0] },
        BadConfig(label: "embedding 0", keyword: "embedding size") { $0.embeddingSize = 0 },
        BadConfig(label: "max epoch -1", keyword: "max epoch") { $0.maxEpoch = -1 },
        BadConfig(label: "keep prob 0", keyword: "keep prob") { $0.keepProb = 0 },
        BadConfig(label: "keep prob 1.5", keyword: "keep prob") { $0.keepProb = 1.5 },
        BadConfig(label: "keep prob NaN", keyword: "keep prob") { $0.keepProb = .nan },
        BadConfig(label: "decay 0", keyword: "decay") { $0.decay = 0 },
        BadConfig(label: "batch size 0", keyword: "batch size") { $0.batchSize = 0 },
        BadConfig(label: "vocabulary 1", keyword: "vocabulary size") { $0.vocabularySize = 1 },
        // Non-finite values would turn every weight into NaN at the first update.
        BadConfig(label: "init scale NaN", keyword: "init scale") { $0.initScale = .nan },
        BadConfig(label: "init scale inf", keyword: "init scale") { $0.initScale = .infinity },
        BadConfig(label: "learning rate inf", keyword: "learning rate") { $0.learningRate = .infinity },
        BadConfig(label: "max grad norm inf", keyword: "max grad norm") { $0.maxGradNorm = .infinity },
        BadConfig(label: "decay inf", keyword: "decay") { $0.decay = .infinity },
        BadConfig(label: "forget bias NaN", keyword: "forget bias") { $0.forgetBias = .nan },
    ]

    @Test("problems() names each bad field, and LanguageModel refuses the config", arguments: badConfigs)
    func badConfig(_ bad: BadConfig) {
        var config = ModelFixtures.config(hiddenSizes: [4], embeddingSize: 3, vocabularySize: 10, batchSize: 2, numSteps: 3)
        #expect(config.problems().isEmpty)
        bad.change(&config)
        let problems = config.problems()
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.contains(bad.keyword) == true, "\(problems)")
        var generator = RandomGenerator(seed: 1)
        #expect(throws: EngineError.invalidConfig(problems)) {
            _ = try LanguageModel(config: config, generator: &generator)
        }
    }

    @Test("a model too large to allocate is a problem, not a crash")
    func tooLarge() {
        var config = ModelConfig()
        config.vocabularySize = 2_000_000_000
        let problems = config.problems()
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.contains("memory") == true || problems.first?.contains("too large") == true, "\(problems)")
        config.hiddenSizes = [1 << 31]
        #expect(!config.problems().isEmpty, "sizes whose product overflows")
    }

    @Test("every problem is reported at once, and the error message lists them")
    func severalProblems() {
        var config = ModelConfig()
        config.batchSize = 0
        config.keepProb = 2
        config.embeddingSize = -3
        let problems = config.problems()
        #expect(problems.count == 3)
        let message = EngineError.invalidConfig(problems).description
        for problem in problems { #expect(message.contains(problem)) }
    }
}
