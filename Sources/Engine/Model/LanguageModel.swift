import Tensor

// Shape legend: B = batch, T = time steps, V = vocabulary, E = embedding width,
// H = hidden units of a layer (H_top for the last one).

/// The state carried from one batch to the next: `c` and `h` of each layer, `[B, H]`.
public struct LayerState: Sendable, Equatable {
    public var c: Tensor
    public var h: Tensor

    public init(c: Tensor, h: Tensor) {
        self.c = c
        self.h = h
    }

    /// The same state as autodiff leaves.
    public var tuple: LSTMStateTuple { LSTMStateTuple(c: Variable(c), h: Variable(h)) }
}

/// The tutorial's word-level language model: embedding -> stacked LSTM -> softmax.
///
/// Parameters are `Variable`s named as in the tutorial's variable listing. Two
/// paths compute the same cost: `forward` builds an autodiff graph (for teaching
/// and for checking), `FusedBatchStep` runs the hand-fused fast path.
public final class LanguageModel {
    public let config: ModelConfig
    /// `[V, E]`, `embedding_vocab:0`.
    public let embedding: Variable
    public let stack: MultiRNNCell
    /// `[H_top, V]`, `softmax_w:0`.
    public let softmaxW: Variable
    /// `[V]`, `softmax_b:0`.
    public let softmaxB: Variable

    /// A model with every parameter uniform in `±initScale`, drawn from `generator`.
    /// - Throws: `EngineError.invalidConfig` when `config` has problems.
    public init(config: ModelConfig, generator: inout RandomGenerator) throws {
        let problems = config.problems()
        guard problems.isEmpty else { throw EngineError.invalidConfig(problems) }
        self.config = config
        let scale = config.initScale
        embedding = Variable(.uniform(shape: [config.vocabularySize, config.embeddingSize], lower: -scale, upper: scale, generator: &generator), name: "embedding_vocab:0")
        var cells: [BasicLSTMCell] = []
        var width = config.embeddingSize
        for (layer, units) in config.hiddenSizes.enumerated() {
            cells.append(BasicLSTMCell(units: units, inputSize: width, forgetBias: config.forgetBias, initScale: scale, layer: layer, generator: &generator))
            width = units
        }
        stack = MultiRNNCell(cells)
        softmaxW = Variable(.uniform(shape: [width, config.vocabularySize], lower: -scale, upper: scale, generator: &generator), name: "softmax_w:0")
        softmaxB = Variable(.uniform(shape: [config.vocabularySize], lower: -scale, upper: scale, generator: &generator), name: "softmax_b:0")
    }

    /// A model over existing parameters (a restored session's), sharing them with their
    /// other holders. `cells` must be one per `config.hiddenSizes` entry, each fed by the
    /// layer below (the first by the embedding).
    /// - Parameters: `embedding` `[V, E]`, `softmaxW` `[H_top, V]`, `softmaxB` `[V]`.
    /// - Throws: `EngineError.invalidConfig` when `config` has problems or a parameter's
    ///   shape does not fit it.
    public init(config: ModelConfig, embedding: Variable, cells: [BasicLSTMCell], softmaxW: Variable, softmaxB: Variable) throws {
        var problems = config.problems()
        if problems.isEmpty {
            let vocabulary = config.vocabularySize
            var width = config.embeddingSize
            if embedding.shape != [vocabulary, width] { problems.append("embedding has shape \(embedding.shape)") }
            if cells.map(\.units) != config.hiddenSizes { problems.append("the cells do not match the hidden sizes") }
            for cell in cells {
                if cell.inputSize != width { problems.append("a cell takes inputs of width \(cell.inputSize), not \(width)") }
                width = cell.units
            }
            if softmaxW.shape != [width, vocabulary] { problems.append("softmax_w has shape \(softmaxW.shape)") }
            if softmaxB.shape != [vocabulary] { problems.append("softmax_b has shape \(softmaxB.shape)") }
        }
        guard problems.isEmpty, !cells.isEmpty else { throw EngineError.invalidConfig(problems) }
        self.config = config
        self.embedding = embedding
        self.stack = MultiRNNCell(cells)
        self.softmaxW = softmaxW
        self.softmaxB = softmaxB
    }

    /// Every trainable parameter, in the tutorial's order.
    public var trainableVariables: [Variable] {
        [embedding] + stack.cells.flatMap { [$0.kernel, $0.bias] } + [softmaxW, softmaxB]
    }

    /// Zeros for every layer, `[batchSize, H]` each.
    public func zeroState(batchSize: Int) -> [LayerState] {
        stack.cells.map { LayerState(c: Tensor(zeros: [batchSize, $0.units]), h: Tensor(zeros: [batchSize, $0.units])) }
    }

    /// The cost of one batch as an autodiff graph (no dropout).
    ///
    /// `x`, `y`: `[B, T]` word ids, `y` being `x` shifted by one word.
    /// cost = sum over t of the batch-mean cross-entropy of step t.
    /// - Returns: the cost (shape `[]`), the logits `[B * T, V]` (batch-major rows) and the final state.
    /// - Throws: `TensorError` for ids out of range or shapes that do not fit.
    public func forward(x: IntTensor, y: IntTensor, state: [LayerState]) throws -> (cost: Variable, logits: Variable, state: [LayerState]) {
        guard x.rank == 2, x.shape == y.shape else {
            throw TensorError.shapeMismatch(operation: "language model inputs and targets", lhs: x.shape, rhs: y.shape)
        }
        let (batch, steps) = (x.shape[0], x.shape[1])
        let inputs = try Variable.embeddingLookup(embedding, ids: x)
        let (outputs, final) = try stack.unroll(inputs, initialState: state.map(\.tuple))
        let flat = try outputs.reshaped([batch * steps, -1])
        let logits = try Variable.matmul(flat, softmaxW) + softmaxB
        let losses = try Variable.sparseSoftmaxCrossEntropy(logits: logits, labels: y.reshaped([batch * steps]))
        let cost = (1 / Float(batch)) * losses.sum()
        return (cost, logits, final.map { LayerState(c: $0.c.value, h: $0.h.value) })
    }
}
