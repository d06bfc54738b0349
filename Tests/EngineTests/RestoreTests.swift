import Engine
import Foundation
import Tensor
import Testing

/// The engine's ways to rebuild objects over saved state: they share the given variables
/// and refuse parts that do not fit, instead of trapping.
@Suite struct RestoreTests {
    static func smallConfig() -> ModelConfig {
        var config = ModelConfig()
        config.hiddenSizes = [4, 3]
        config.embeddingSize = 2
        config.vocabularySize = 5
        config.batchSize = 2
        config.numSteps = 3
        return config
    }

    @Test func modelOverItsOwnVariablesSharesThemAndComputesTheSameCost() throws {
        var generator = RandomGenerator(seed: 3)
        let original = try LanguageModel(config: Self.smallConfig(), generator: &generator)
        let cells = try original.stack.cells.map {
            try BasicLSTMCell(units: $0.units, inputSize: $0.inputSize, forgetBias: $0.forgetBias, kernel: $0.kernel, bias: $0.bias)
        }
        let rebuilt = try LanguageModel(config: original.config, embedding: original.embedding, cells: cells,
                                        softmaxW: original.softmaxW, softmaxB: original.softmaxB)
        for (a, b) in zip(original.trainableVariables, rebuilt.trainableVariables) { #expect(a === b) }
        let x = try IntTensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 0])
        let y = try IntTensor(shape: [2, 3], scalars: [1, 2, 3, 4, 0, 1])
        let cost = try original.forward(x: x, y: y, state: original.zeroState(batchSize: 2)).cost.value
        #expect(try rebuilt.forward(x: x, y: y, state: rebuilt.zeroState(batchSize: 2)).cost.value == cost)
    }

    @Test func partsThatDoNotFitAreRefused() throws {
        var generator = RandomGenerator(seed: 3)
        let original = try LanguageModel(config: Self.smallConfig(), generator: &generator)
        let cells = original.stack.cells
        #expect(throws: EngineError.self) {
            try LanguageModel(config: original.config, embedding: original.softmaxW, cells: cells,
                              softmaxW: original.softmaxW, softmaxB: original.softmaxB)
        }
        #expect(throws: EngineError.self) {
            try LanguageModel(config: original.config, embedding: original.embedding, cells: Array(cells.prefix(1)),
                              softmaxW: original.softmaxW, softmaxB: original.softmaxB)
        }
        #expect(throws: TensorError.self) {
            try BasicLSTMCell(units: 4, inputSize: 3, forgetBias: 0, kernel: cells[0].kernel, bias: cells[0].bias)
        }
        #expect(throws: TensorError.self) {
            try BasicLSTMCell(units: Int.max / 2, inputSize: Int.max / 2, forgetBias: 0, kernel: cells[0].kernel, bias: cells[0].bias)
        }
    }

    @Test func absurdSizesAreProblemsNotTraps() {
        var config = ModelConfig()
        config.hiddenSizes = [Int.max / 3, Int.max]
        config.vocabularySize = Int.max
        config.batchSize = Int.max
        #expect(!config.problems().isEmpty)
    }

    @Test func iteratorSeeksToASavedPosition() throws {
        let ids = (0..<50).map { Int32($0) }
        var walked = try BatchIterator(ids: ids, batchSize: 2, numSteps: 3)
        _ = walked.next()
        _ = walked.next()
        var restored = try BatchIterator(ids: walked.ids, batchSize: 2, numSteps: 3)
        try restored.seek(to: walked.position)
        #expect(restored.next()?.x == walked.next()?.x)
        try restored.seek(to: restored.epochSize)
        #expect(restored.next() == nil)
        #expect(throws: EngineError.self) { try restored.seek(to: restored.epochSize + 1) }
        #expect(throws: EngineError.self) { try restored.seek(to: -1) }
    }

    @Test func vocabularyFromItsWords() {
        let vocabulary = Vocabulary(text: "b a b c\n")
        #expect(Vocabulary(distinctWords: vocabulary.words) == vocabulary)
        #expect(Vocabulary(distinctWords: ["a", "b", "a"]) == nil)
    }
}
