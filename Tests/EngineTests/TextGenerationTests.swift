@testable import Engine
import Foundation
import Tensor
import TestSupport
import Testing

/// `LanguageModel.generate`: word-by-word sampling, checked against the autodiff forward
/// pass (greedy at a temperature near 0) and against softmax probabilities (frequencies).
@Suite("Text generation")
struct TextGenerationTests {
    static let config = ModelFixtures.config(hiddenSizes: [7, 5], embeddingSize: 4, vocabularySize: 12, batchSize: 1,
                                             numSteps: 3, initScale: 0.8, seed: 5)

    @Test("near temperature 0 each word is the forward pass's likeliest after everything before it")
    func coldIsGreedy() throws {
        let model = try ModelFixtures.model(Self.config)
        var generator = RandomGenerator(seed: 9)
        let context: [Int32] = [3, 1]
        let drawn = try model.generate(after: context, count: 8, temperature: 1e-6, generator: &generator)
        #expect(drawn.count == 8)
        var text = context
        for id in drawn {
            let x = try IntTensor(shape: [1, text.count], scalars: text)
            let logits = try model.forward(x: x, y: x, state: model.zeroState(batchSize: 1)).logits.value
            let last = Array(logits.scalars.suffix(Self.config.vocabularySize))
            let best = try #require(last.indices.max { last[$0] < last[$1] })
            #expect(Int(id) == best, "after \(text)")
            text.append(id)
        }
    }

    @Test("the same generator gives the same text; the generator moves on")
    func reproducible() throws {
        let model = try ModelFixtures.model(Self.config)
        var first = RandomGenerator(seed: 2)
        var second = RandomGenerator(seed: 2)
        let a = try model.generate(after: [0], count: 20, temperature: 1, generator: &first)
        let b = try model.generate(after: [0], count: 20, temperature: 1, generator: &second)
        #expect(a == b && first == second && first != RandomGenerator(seed: 2))
        let c = try model.generate(after: [0], count: 20, temperature: 1, generator: &first)
        #expect(c != a)
    }

    @Test("draws follow softmax(logits / temperature)", arguments: [0.5, 1.0, 3.0])
    func frequenciesMatchSoftmax(temperature: Double) {
        let logits: [Float] = [0.3, 1.5, -2.0, 0.9, 2.2, -0.4]
        let weights = logits.map { exp(Double($0) / temperature) }
        let probabilities = weights.map { $0 / weights.reduce(0, +) }
        var generator = RandomGenerator(seed: 11)
        let draws = 40_000
        var counts = [Int](repeating: 0, count: logits.count)
        for _ in 0..<draws { counts[Int(LanguageModel.sample(logits: logits, temperature: temperature, generator: &generator))] += 1 }
        for (count, p) in zip(counts, probabilities) {
            let sigma = (Double(draws) * p * (1 - p)).squareRoot()
            #expect(abs(Double(count) - Double(draws) * p) < 5 * sigma + 1, "\(counts) vs \(probabilities)")
        }
    }

    @Test("huge logits at a tiny temperature neither overflow nor leave the vocabulary")
    func extremeLogits() {
        var generator = RandomGenerator(seed: 1)
        let logits: [Float] = [1e30, -1e30, 3e38, .greatestFiniteMagnitude]
        for _ in 0..<100 {
            let id = LanguageModel.sample(logits: logits, temperature: 1e-300, generator: &generator)
            #expect(id == 2 || id == 3)
        }
    }

    @Test("bad arguments are errors, not traps")
    func badArguments() throws {
        let model = try ModelFixtures.model(Self.config)
        var generator = RandomGenerator(seed: 1)
        #expect(throws: EngineError.self) { try model.generate(after: [1], count: 0, temperature: 1, generator: &generator) }
        #expect(throws: EngineError.self) { try model.generate(after: [1], count: 3, temperature: 0, generator: &generator) }
        #expect(throws: EngineError.self) { try model.generate(after: [1], count: 3, temperature: .nan, generator: &generator) }
        #expect(throws: TensorError.self) { try model.generate(after: [12], count: 3, temperature: 1, generator: &generator) }
        #expect(throws: TensorError.self) { try model.generate(after: [], count: 3, temperature: 1, generator: &generator) }
    }
}
