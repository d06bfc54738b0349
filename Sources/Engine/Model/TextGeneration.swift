import Foundation
import Tensor

extension LanguageModel {
    /// The longest continuation `generate` writes: each word is one step through the model,
    /// so this bounds its time (about a millisecond a word for the tutorial's model).
    public static let maximumGeneratedWords = 10_000

    /// Writes `count` words after `context` (ids, at least one), one at a time: the model reads
    /// the context from a zero state, then each next word is drawn from the softmax of its
    /// logits divided by `temperature` (below 1 sharper, above 1 flatter; near 0 it always
    /// takes the likeliest word) and read in turn, carrying the state.
    /// - Returns: the drawn ids, `count` of them.
    /// - Throws: `TensorError` for an id outside the vocabulary or an empty context;
    ///   `EngineError.invalidArgument` for a count or temperature out of range.
    public func generate(after context: [Int32], count: Int, temperature: Double,
                         generator: inout RandomGenerator) throws -> [Int32] {
        guard !context.isEmpty else { throw TensorError.invalidShape([0]) }
        guard (1...Self.maximumGeneratedWords).contains(count) else {
            throw EngineError.invalidArgument("words must be between 1 and \(Self.maximumGeneratedWords), got \(count)")
        }
        guard temperature.isFinite, temperature > 0 else {
            throw EngineError.invalidArgument("temperature must be a positive number, got \(temperature)")
        }
        let size = config.vocabularySize
        for id in context where id < 0 || Int(id) >= size { throw TensorError.idOutOfRange(id: Int(id), vocabularySize: size) }
        var state = stack.zeroState(batchSize: 1)
        var top = Variable(Tensor(zeros: [1, 1]))
        func read(_ id: Int32) throws {
            let input = try Variable.embeddingLookup(embedding, ids: IntTensor(uncheckedShape: [1, 1], scalars: [id]))
            (top, state) = try stack(try input.reshaped([1, config.embeddingSize]), state: state)
        }
        for id in context { try read(id) }
        var drawn: [Int32] = []
        drawn.reserveCapacity(count)
        for _ in 0..<count {
            let logits = try Tensor.matmul(top.value, softmaxW.value) + softmaxB.value
            let id = Self.sample(logits: logits.scalars, temperature: temperature, generator: &generator)
            drawn.append(id)
            try read(id)
        }
        return drawn
    }

    /// One draw from softmax(logits / temperature), computed in Double from the largest logit
    /// down so no temperature overflows; ties and underflow fall to the likeliest word.
    static func sample(logits: [Float], temperature: Double, generator: inout RandomGenerator) -> Int32 {
        guard let largest = logits.max(), let best = logits.firstIndex(of: largest) else { return 0 }
        let weights = logits.map { Foundation.exp((Double($0) - Double(largest)) / temperature) }
        let total = weights.reduce(0, +)
        // 53 random bits: a uniform Double in [0, 1).
        let target = Double(generator.next() >> 11) * 0x1p-53 * total
        var running = 0.0
        for (index, weight) in weights.enumerated() {
            running += weight
            if target < running { return Int32(index) }
        }
        return Int32(best)
    }
}
