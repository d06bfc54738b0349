import Engine
import Foundation
import Tensor
import TestSupport
import Testing

/// The training step in bf16 (`ModelConfig.precision`): the float32 autodiff graph's cost and
/// gradients to bf16's accuracy, finite differences, and weight packs that never go stale.
@Suite("bf16 training step", .enabled(if: BF16.isSupported, "this CPU has no AVX512_BF16"))
struct BF16TrainingTests {
    static let problem = FusedCase(hiddenSizes: [24, 16], embeddingSize: 20, vocabularySize: 50, batchSize: 6, numSteps: 5,
                                   workers: 2, initScale: 0.5, seed: 51)

    /// The problem's model in bf16: the same seed, so the same weights.
    static func bf16Model(like model: LanguageModel) throws -> LanguageModel {
        var config = model.config
        config.precision = .bf16
        let twin = try ModelFixtures.model(config)
        #expect(twin.trainableVariables.map(\.value.scalars) == model.trainableVariables.map(\.value.scalars))
        return twin
    }

    @Test("cost, gradients and final state are float32 autodiff's to within bf16 rounding")
    func againstAutodiff() throws {
        let (model, x, y, initial) = try Self.problem.problem()
        let reference = try ModelFixtures.autodiff(model, x: x, y: y, state: initial)
        let bf16 = try Self.bf16Model(like: model)
        let runner = FusedBatchStep(model: bf16, batchSize: Self.problem.batchSize, numSteps: Self.problem.numSteps, workers: 2)
        var state = initial
        var generator = RandomGenerator(seed: 5)
        let cost = try runner.step(x: x, y: y, state: &state, mode: .train, generator: &generator)
        #expect(abs(cost - reference.cost) <= 1e-2 * abs(reference.cost), "cost \(cost) vs \(reference.cost)")
        #expect(cost != reference.cost, "the products really ran in bf16")
        for (index, (mine, theirs)) in zip(runner.gradients.tensors(), reference.gradients).enumerated() {
            let error = ModelFixtures.relativeError(mine, reference: theirs)
            #expect(error <= 3e-2, "\(FusedPathTests.variableNames[index]): relative error \(error)")
        }
        for (mine, theirs) in zip(state, reference.state) {
            #expect(allClose(mine.h, theirs.h, rtol: 2e-2, atol: 2e-3))
            #expect(allClose(mine.c, theirs.c, rtol: 2e-2, atol: 2e-3))
        }
    }

    @Test("bf16 gradients agree with finite differences of the float32 cost")
    func finiteDifferences() throws {
        // Weights in ±1 make every derivative large enough to test (as in FusedPathTests).
        let problem = FusedCase(hiddenSizes: [6, 4], embeddingSize: 5, vocabularySize: 11, batchSize: 3, numSteps: 4,
                                workers: 2, forgetBias: 0.5, initScale: 1, seed: 21)
        let (model, x, y, state) = try problem.problem()
        let bf16 = try Self.bf16Model(like: model)
        let runner = FusedBatchStep(model: bf16, batchSize: problem.batchSize, numSteps: problem.numSteps, workers: 2)
        var fusedState = state
        var generator = RandomGenerator(seed: 1)
        _ = try runner.step(x: x, y: y, state: &fusedState, mode: .train, generator: &generator)
        let gradients = runner.gradients.tensors()
        var picker = RandomGenerator(seed: 17)
        var positions = model.trainableVariables.map { variable in (0..<4).map { _ in Int(picker.next() % UInt64(variable.value.count)) } }
        positions[0] = [Int(x.scalars[0]) * problem.embeddingSize, Int(x.scalars[5]) * problem.embeddingSize + 2]
        // bf16 keeps 8 significant bits: a few percent, plus a floor for tiny derivatives.
        try ModelFixtures.expectFiniteDifferences(model, names: FusedPathTests.variableNames, positions: positions,
                                                  gradients: ["bf16": gradients], tolerance: (1e-3, 5e-2), largestAtLeast: 4e-3) {
            try ModelFixtures.autodiffCost(model, x: x, y: y, state: state)
        }
    }

    @Test("after an update the next step packs the new weights: it equals a fresh step's, bit for bit, profiled or not")
    func packsFollowTheWeights() throws {
        let (model, x, y, initial) = try Self.problem.problem()
        let bf16 = try Self.bf16Model(like: model)
        let runner = FusedBatchStep(model: bf16, batchSize: Self.problem.batchSize, numSteps: Self.problem.numSteps, workers: 2)
        var state = initial
        var generator = RandomGenerator(seed: 5)
        _ = try runner.step(x: x, y: y, state: &state, mode: .train, generator: &generator)
        runner.applyGradients(learningRate: 1, maxGradNorm: 5)
        runner.startProfiling()
        var second = initial
        var secondGenerator = RandomGenerator(seed: 6)
        let cost = try runner.step(x: x, y: y, state: &second, mode: .train, generator: &secondGenerator)
        let gradients = runner.gradients.tensors().map(\.scalars)

        // A new runner on the updated weights has never packed anything.
        let fresh = FusedBatchStep(model: bf16, batchSize: Self.problem.batchSize, numSteps: Self.problem.numSteps, workers: 2)
        var freshState = initial
        var freshGenerator = RandomGenerator(seed: 6)
        let freshCost = try fresh.step(x: x, y: y, state: &freshState, mode: .train, generator: &freshGenerator)
        #expect(cost == freshCost)
        #expect(gradients == fresh.gradients.tensors().map(\.scalars))
        #expect(second.map(\.h.scalars) == freshState.map(\.h.scalars))
    }

    @Test("a bf16 run on a small corpus learns as float32 does")
    func learns() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = try GrammarCorpus.write(into: directory, trainWords: 3000, otherWords: 600)
        var results: [Precision: Double] = [:]
        for precision in Precision.allCases {
            // TrainingTests' grammar run: one layer of 16, 3 epochs.
            var config = ModelFixtures.config(hiddenSizes: [16], embeddingSize: 8, vocabularySize: data.vocabulary.count,
                                              batchSize: 4, numSteps: 5, seed: 1)
            config.maxEpoch = 3
            config.maxEpochDecayLR = 1
            config.precision = precision
            var generator = RandomGenerator(seed: config.seed)
            let model = try LanguageModel(config: config, generator: &generator)
            let result = try Trainer(model: model, generator: generator, workers: 2).train(data: data) { _ in }
            let perplexities = result.epochs.map(\.trainPerplexity)
            #expect(perplexities[2] < 0.8 * perplexities[0], "\(precision): training perplexity per epoch \(perplexities)")
            #expect(result.testPerplexity < Double(data.vocabulary.count) / 4, "\(precision): test perplexity \(result.testPerplexity)")
            results[precision] = result.testPerplexity
        }
        let single = try #require(results[.float32]), half = try #require(results[.bf16])
        #expect(abs(half - single) <= 0.05 * single, "test perplexity: float32 \(single), bf16 \(half)")
        #expect(half != single)
    }

    @Test("configurations saved before precision existed read as float32; bf16 survives a round trip")
    func configCoding() throws {
        var config = ModelConfig()
        config.precision = .bf16
        let data = try JSONEncoder().encode(config)
        #expect(try JSONDecoder().decode(ModelConfig.self, from: data) == config)
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        object.removeValue(forKey: "precision")
        let old = try JSONSerialization.data(withJSONObject: object)
        let decoded = try JSONDecoder().decode(ModelConfig.self, from: old)
        #expect(decoded.precision == .float32)
        config.precision = .float32
        #expect(decoded == config)
    }
}
