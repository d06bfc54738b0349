import Engine
import Foundation
import Tensor
import TestSupport
import Testing

/// Clipping and SGD against numpy, and the fused trainer's update against a hand
/// computation from autodiff gradients (with TensorFlow's per-lookup embedding norm).
@Suite("Gradient clipping and SGD")
struct OptimizerTests {
    /// Gradients of three shapes, global norm about 3.
    static func sampleGradients() -> [Tensor] {
        var generator = RandomGenerator(seed: 42)
        return [[3, 4], [5], [2, 3, 2]].map { Tensor.uniform(shape: $0, lower: -1, upper: 1, generator: &generator) }
    }

    @Test("clipByGlobalNorm matches numpy below and above the threshold", arguments: [Float(0.5), 1, 2.5, 10, 100])
    func clipAgainstNumpy(clipNorm: Float) throws {
        let gradients = Self.sampleGradients()
        let (clipped, norm) = clipByGlobalNorm(gradients, clipNorm: clipNorm)
        let reference = try Numpy.evaluate("""
            gs = [g0, g1, g2]
            norm = np.sqrt(sum(np.sum(g.astype(np.float64) ** 2) for g in gs))
            factor = float(clip) / max(norm, float(clip))
            out["norm"] = np.float32(norm)
            for i, g in enumerate(gs):
                out["c%d" % i] = g.astype(np.float64) * factor
            """, inputs: ["g0": gradients[0], "g1": gradients[1], "g2": gradients[2], "clip": Tensor(clipNorm)])
        let expectedNorm = try #require(reference["norm"]?.scalars.first)
        #expect(abs(norm - expectedNorm) <= 1e-6 * expectedNorm, "norm \(norm) vs numpy \(expectedNorm)")
        #expect(clipped.count == 3)
        for (index, tensor) in clipped.enumerated() {
            let expected = try #require(reference["c\(index)"])
            #expect(allClose(tensor, expected, rtol: 1e-6, atol: 1e-7), "gradient \(index)")
        }
        if clipNorm >= expectedNorm {
            #expect(clipped == gradients, "below the threshold the gradients pass unchanged")
        } else {
            let clippedNorm = clipped.reduce(0.0) { $0 + ModelFixtures.sumOfSquares($1) }.squareRoot()
            #expect(abs(clippedNorm - Double(clipNorm)) <= 1e-5 * Double(clipNorm), "clipped to the threshold")
        }
    }

    @Test("clipping all-zero gradients keeps them zero (no division by zero)")
    func clipZeros() {
        let zeros = [Tensor(zeros: [2, 2]), Tensor(zeros: [3])]
        let (clipped, norm) = clipByGlobalNorm(zeros, clipNorm: 5)
        #expect(norm == 0)
        #expect(clipped == zeros)
    }

    @Test("GradientDescentOptimizer subtracts learningRate * gradient, as numpy does")
    func sgdAgainstNumpy() throws {
        var generator = RandomGenerator(seed: 8)
        let start = [Tensor.uniform(shape: [2, 3], lower: -1, upper: 1, generator: &generator),
                     Tensor.uniform(shape: [4], lower: -1, upper: 1, generator: &generator)]
        let grads = [Tensor.uniform(shape: [2, 3], lower: -2, upper: 2, generator: &generator),
                     Tensor.uniform(shape: [4], lower: -2, upper: 2, generator: &generator)]
        let variables = start.map { Variable($0, name: "v") }
        try GradientDescentOptimizer(learningRate: 0.3).apply(grads, to: variables)
        let reference = try Numpy.evaluate("""
            out["v0"] = v0 - np.float32(0.3) * g0
            out["v1"] = v1 - np.float32(0.3) * g1
            """, inputs: ["v0": start[0], "v1": start[1], "g0": grads[0], "g1": grads[1]])
        #expect(allClose(variables[0].value, try #require(reference["v0"]), rtol: 1e-6, atol: 1e-7))
        #expect(allClose(variables[1].value, try #require(reference["v1"]), rtol: 1e-6, atol: 1e-7))
    }

    @Test("GradientDescentOptimizer rejects mismatched gradients before changing anything")
    func sgdShapeErrors() {
        let first = Variable(Tensor([1, 2, 3]))
        let second = Variable(Tensor(zeros: [2, 2]))
        let optimizer = GradientDescentOptimizer(learningRate: 1)
        #expect(throws: TensorError.self) {
            try optimizer.apply([Tensor([1, 1, 1])], to: [first, second])
        }
        #expect(throws: TensorError.shapeMismatch(operation: "apply gradients", lhs: [2, 2], rhs: [4])) {
            try optimizer.apply([Tensor([1, 1, 1]), Tensor([1, 1, 1, 1])], to: [first, second])
        }
        #expect(first.value == Tensor([1, 2, 3]), "a later bad gradient must not leave the first variable updated")
        #expect(second.value == Tensor(zeros: [2, 2]))
    }

    // MARK: The fused trainer's update

    /// The gradients the update should use, from autodiff: d cost / d (looked-up rows) for
    /// the embedding's per-lookup norm, plus every variable's dense gradient.
    struct Reference {
        var cost: Float
        /// `[B, T, E]`: one row per lookup.
        var lookupGradients: Tensor
        /// In `trainableVariables` order.
        var gradients: [Tensor]

        /// TensorFlow's global norm: the embedding's IndexedSlices counted per lookup row.
        var perLookupNorm: Double {
            (ModelFixtures.sumOfSquares(lookupGradients) + gradients.dropFirst().reduce(0.0) { $0 + ModelFixtures.sumOfSquares($1) }).squareRoot()
        }

        /// The norm with the embedding gradient made dense first (repeated ids added up).
        var denseNorm: Double {
            gradients.reduce(0.0) { $0 + ModelFixtures.sumOfSquares($1) }.squareRoot()
        }
    }

    /// `LanguageModel.forward` written out step by step, so the gradient with respect to the
    /// output of `embeddingLookup` can be asked for.
    static func reference(_ model: LanguageModel, x: IntTensor, y: IntTensor, state: [LayerState]) throws -> Reference {
        let (batch, steps) = (x.shape[0], x.shape[1])
        let embedded = try Variable.embeddingLookup(model.embedding, ids: x)
        let (outputs, _) = try model.stack.unroll(embedded, initialState: state.map(\.tuple))
        let logits = try Variable.matmul(try outputs.reshaped([batch * steps, -1]), model.softmaxW) + model.softmaxB
        let losses = try Variable.sparseSoftmaxCrossEntropy(logits: logits, labels: try y.reshaped([batch * steps]))
        let cost = (1 / Float(batch)) * losses.sum()
        let grads = gradients(of: cost, wrt: [embedded] + model.trainableVariables)
        return Reference(cost: cost.value.scalars[0], lookupGradients: grads[0], gradients: Array(grads.dropFirst()))
    }

    /// Input ids drawn from the first half of the vocabulary (some repeated), targets from all of it,
    /// so some rows are only targets and must not move.
    static func batch(batchSize: Int, numSteps: Int, vocabulary: Int, seed: UInt64) throws -> (x: IntTensor, y: IntTensor) {
        var generator = RandomGenerator(seed: seed)
        var x = try ModelFixtures.ids(rows: batchSize, columns: numSteps, vocabulary: vocabulary / 2, generator: &generator)
        x.scalars[1] = x.scalars[0]
        x.scalars[x.count - 1] = x.scalars[0]
        let y = try ModelFixtures.ids(rows: batchSize, columns: numSteps, vocabulary: vocabulary, generator: &generator)
        return (x, y)
    }

    /// Clip ratio nil: threshold far above the norm. Otherwise the threshold is that fraction of the norm.
    @Test("applyGradients clips by the per-lookup global norm and updates only touched embedding rows",
          arguments: [1, 2], [nil, 0.25] as [Double?])
    func fusedUpdate(workers: Int, clipRatio: Double?) throws {
        // Weights in ±2 pass enough gradient down to the embedding for the two norms to differ by percents.
        let config = ModelFixtures.config(hiddenSizes: [6, 5], embeddingSize: 8, vocabularySize: 24, batchSize: 3,
                                          numSteps: 4, initScale: 2)
        let model = try ModelFixtures.model(config)
        let trainer = FusedBatchStep(model: model, batchSize: 3, numSteps: 4, workers: workers)
        var state = model.zeroState(batchSize: 3)
        var generator = RandomGenerator(seed: 1)
        // Two batches in a row: the second norm must not include the first batch's lookups.
        for (round, seed) in [UInt64(5), 6].enumerated() {
            let (x, y) = try Self.batch(batchSize: 3, numSteps: 4, vocabulary: 24, seed: seed)
            let reference = try Self.reference(model, x: x, y: y, state: state)
            let expectedNorm = reference.perLookupNorm
            // The test tells the two norms apart (the repeated ids make them differ).
            #expect(abs(reference.denseNorm - expectedNorm) > 1e-3 * expectedNorm)

            let before = ModelFixtures.snapshot(model)
            let cost = try trainer.step(x: x, y: y, state: &state, mode: .train, generator: &generator)
            #expect(abs(cost - reference.cost) <= 1e-5 * reference.cost)
            let learningRate: Float = 0.7
            let maxGradNorm = clipRatio.map { Float($0 * expectedNorm) } ?? 1000
            let norm = trainer.applyGradients(learningRate: learningRate, maxGradNorm: maxGradNorm)
            #expect(abs(Double(norm) - expectedNorm) <= 1e-5 * expectedNorm,
                    "round \(round): norm \(norm), expected per-lookup \(expectedNorm) (dense would be \(reference.denseNorm))")

            let factor = Double(maxGradNorm) / max(expectedNorm, Double(maxGradNorm))
            for (index, variable) in model.trainableVariables.enumerated() {
                let (old, new, grad) = (before[index].scalars, variable.value.scalars, reference.gradients[index].scalars)
                // Fused and autodiff gradients agree to ~1e-5 of the tensor's largest entry.
                let tolerance = 1e-6 + 2e-5 * Double(learningRate) * factor * Double(ModelFixtures.maxAbs(reference.gradients[index]))
                var worst = (error: 0.0, index: 0)
                for k in old.indices {
                    let expected = Double(old[k]) - Double(learningRate) * factor * Double(grad[k])
                    let error = abs(Double(new[k]) - expected)
                    if error > worst.error { worst = (error, k) }
                }
                #expect(worst.error <= tolerance,
                        "round \(round), \(variable.name ?? "?")[\(worst.index)]: off by \(worst.error) from w - lr * factor * g")
            }
            let width = config.embeddingSize
            let touched = Set(x.scalars.map(Int.init))
            let table = (old: before[0].scalars, new: model.embedding.value.scalars)
            let moved = (0..<config.vocabularySize).filter { row in
                let range = (row * width)..<((row + 1) * width)
                return table.old[range] != table.new[range]
            }
            #expect(Set(moved) == touched, "round \(round): only the looked-up rows move")
        }
    }
}
