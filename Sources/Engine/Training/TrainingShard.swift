import Tensor

// Shape legend: B = batch, T = time steps, N = T*B, V = vocabulary,
// E = embedding width, H_l = units of layer l.

/// Forward and backward of the whole language model over some rows of a batch
/// (a contiguous group of its sequences), with every activation in preallocated
/// buffers, the input projection of all steps in one product per layer, and the
/// softmax layer once for all steps. `FusedBatchStep` runs one shard per core.
final class TrainingShard {
    let model: LanguageModel
    /// Sequences in this shard.
    let batchSize: Int
    /// Row of the whole batch where this shard's sequences start.
    let firstSequence: Int
    let numSteps: Int
    /// Gradients of this shard's rows, in `trainableVariables` order.
    let gradients: ModelGradients
    let layers: [FusedLSTMLayer]
    let softmax: FusedSoftmaxLoss
    /// `[N, E]`: embedded inputs, time-major.
    let embedded: FloatBuffer
    /// Dropout masks (0 or 1/keepProb): index 0 for the embedding, l+1 for layer l's output.
    let masks: [FloatBuffer]
    /// Layer outputs after dropout, `[N, H_l]` each (unused without dropout).
    let dropped: [FloatBuffer]
    /// `[N]`: input and target ids, time-major.
    let ids: Buffer<Int32>
    let targets: Buffer<Int32>
    /// Each layer's `[B, H]` state for this shard's rows: the caller writes the initial state,
    /// a run leaves the final state.
    let states: [(c: FloatBuffer, h: FloatBuffer)]
    /// Every matrix product of the shard goes through here (and is timed when profiling).
    let products: MatrixProducts

    /// Buffers for `batchSize` sequences of `numSteps`.
    init(model: LanguageModel, batchSize: Int, numSteps: Int, firstSequence: Int, plan: ProductPlan = .shared) {
        precondition(batchSize > 0 && numSteps > 0, "batch shape must be positive")
        self.model = model
        self.batchSize = batchSize
        self.firstSequence = firstSequence
        self.numSteps = numSteps
        let config = model.config
        products = MatrixProducts(precision: config.precision, plan: plan)
        let rows = batchSize * numSteps
        var width = config.embeddingSize
        var layers: [FusedLSTMLayer] = []
        for (index, units) in config.hiddenSizes.enumerated() {
            layers.append(FusedLSTMLayer(batch: batchSize, steps: numSteps, inputSize: width, units: units,
                                         name: "layer \(index + 1)", products: products))
            width = units
        }
        self.layers = layers
        softmax = FusedSoftmaxLoss(rows: rows, inputSize: width, vocabularySize: config.vocabularySize, products: products)
        embedded = FloatBuffer(count: rows * config.embeddingSize)
        let withDropout = config.keepProb < 1
        let widths = [config.embeddingSize] + config.hiddenSizes
        masks = withDropout ? widths.map { FloatBuffer(count: rows * $0) } : []
        dropped = withDropout ? config.hiddenSizes.map { FloatBuffer(count: rows * $0) } : []
        gradients = ModelGradients(model: model)
        ids = Buffer(count: rows)
        targets = Buffer(count: rows)
        states = config.hiddenSizes.map { (c: FloatBuffer(count: batchSize * $0), h: FloatBuffer(count: batchSize * $0)) }
    }

    /// Runs this shard's rows, whose `[N]` time-major ids and targets the caller has put in
    /// `ids` and `targets` (already checked against the vocabulary), and its initial state in
    /// `states`, which it replaces by the final state.
    /// - Parameter gradientScale: nil to evaluate; otherwise the factor of d cost / d logits
    ///   (1 / the whole batch's size) and gradients are left in `gradients`.
    /// - Returns: the sum of the cross-entropy over this shard's rows.
    func run(gradientScale: Float?, dropoutSeed: UInt64) -> Double {
        let dropout = gradientScale != nil && !masks.isEmpty
        products.beginStep()
        products.elementwise(.embeddingAndDropout) {
            gatherEmbeddings()
            if dropout { applyDropout(embedded, mask: 0, seed: dropoutSeed) }
        }
        runLayersForward(dropout: dropout, seed: dropoutSeed)
        let top = topInput(dropout: dropout)
        let total = model.softmaxW.value.withPointer { w in
            model.softmaxB.value.withPointer { b in
                softmax.forward(input: top, weights: w, bias: b, targets: self.targets.pointer, gradientScale: gradientScale)
            }
        }
        if gradientScale != nil { backward(top: top, dropout: dropout) }
        return total
    }

    private func gatherEmbeddings() {
        let width = model.config.embeddingSize
        model.embedding.value.withPointer { table in
            for row in 0..<ids.count {
                embedded[row * width].update(from: table + Int(ids.pointer[row]) * width, count: width)
            }
        }
    }

    private func runLayersForward(dropout: Bool, seed: UInt64) {
        var input = UnsafePointer(embedded.pointer)
        for (l, layer) in layers.enumerated() {
            let cell = model.stack.cells[l]
            let (b, h) = (batchSize, layer.units)
            cell.kernel.value.withPointer { kernel in
                cell.bias.value.withPointer { bias in
                    layer.forward(input: input, kernel: kernel, bias: bias, forgetBias: cell.forgetBias,
                                  initialC: states[l].c.pointer, initialH: states[l].h.pointer)
                }
            }
            let last = numSteps * b * h
            states[l].c.pointer.update(from: layer.cells[last], count: b * h)
            states[l].h.pointer.update(from: layer.hiddens[last], count: b * h)
            if dropout {
                products.elementwise(.embeddingAndDropout) {
                    dropped[l].pointer.update(from: layer.outputs, count: numSteps * b * h)
                    applyDropout(dropped[l], mask: l + 1, seed: seed)
                }
                input = UnsafePointer(dropped[l].pointer)
            } else {
                input = UnsafePointer(layer.outputs)
            }
        }
    }

    private func topInput(dropout: Bool) -> UnsafePointer<Float> {
        dropout ? UnsafePointer(dropped[layers.count - 1].pointer) : UnsafePointer(layers[layers.count - 1].outputs)
    }

    /// Draws mask number `index` (0 or 1/keepProb per element) and multiplies `values` by it.
    /// Each sequence's mask comes from its own stream, derived from the batch's seed, the
    /// mask and the sequence's row in the whole batch, so results do not depend on how
    /// the batch was split between workers.
    private func applyDropout(_ values: FloatBuffer, mask index: Int, seed: UInt64) {
        let keep = model.config.keepProb
        let mask = masks[index]
        let width = mask.count / (batchSize * numSteps)
        for b in 0..<batchSize {
            let stream = seed ^ (UInt64(index) &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(firstSequence + b) &* 0xD1B5_4A32_D192_ED03)
            var generator = RandomGenerator(seed: stream)
            for t in 0..<numSteps {
                let row = (t * batchSize + b) * width
                for k in row..<(row + width) {
                    mask.pointer[k] = generator.nextUnitFloat() < keep ? 1 / keep : 0
                    values.pointer[k] *= mask.pointer[k]
                }
            }
        }
    }

    private func backward(top: UnsafePointer<Float>, dropout: Bool) {
        let grads = gradients.buffers
        let count = grads.count
        model.softmaxW.value.withPointer { w in
            softmax.backward(input: top, weights: w, weightGrad: grads[count - 2].pointer, biasGrad: grads[count - 1].pointer)
        }
        var upstream = softmax.inputGrads.pointer
        for l in stride(from: layers.count - 1, through: 0, by: -1) {
            let layer = layers[l]
            if dropout {
                products.elementwise(.embeddingAndDropout) {
                    multiply(upstream, by: masks[l + 1].pointer, count: numSteps * batchSize * layer.units)
                }
            }
            let input: UnsafePointer<Float> = l == 0 ? UnsafePointer(embedded.pointer)
                : (dropout ? UnsafePointer(dropped[l - 1].pointer) : UnsafePointer(layers[l - 1].outputs))
            let cell = model.stack.cells[l]
            cell.kernel.value.withPointer { kernel in
                layer.backward(input: input, kernel: kernel, outputGrads: upstream,
                               kernelGrad: grads[1 + 2 * l].pointer, biasGrad: grads[2 + 2 * l].pointer, wantInputGrads: true)
            }
            upstream = layer.inputGrads.pointer
        }
        products.elementwise(.embeddingAndDropout) {
            if dropout { multiply(upstream, by: masks[0].pointer, count: numSteps * batchSize * model.config.embeddingSize) }
            gradients.clearEmbedding()
            let width = model.config.embeddingSize
            for row in 0..<ids.count {
                gradients.accumulateLookup(id: Int(ids.pointer[row]), row: upstream + row * width)
            }
        }
    }

    private func multiply(_ values: UnsafeMutablePointer<Float>, by mask: UnsafePointer<Float>, count: Int) {
        for i in 0..<count { values[i] *= mask[i] }
    }
}
