import Engine
import Foundation
import Tensor
import TestSupport
import Testing

// Shape legend: B = batch, T = time steps, V = vocabulary, E = embedding width,
// H = hidden units of a layer.

/// One small problem for the fused path: model shape, batch shape, worker count.
struct FusedCase: Sendable, CustomTestStringConvertible {
    var hiddenSizes: [Int]
    var embeddingSize: Int
    var vocabularySize: Int
    var batchSize: Int
    var numSteps: Int
    var workers: Int
    var forgetBias: Float = 0
    var initScale: Float = 0.4
    var seed: UInt64

    var testDescription: String {
        "H \(hiddenSizes), E \(embeddingSize), V \(vocabularySize), B \(batchSize), T \(numSteps), \(workers) worker(s)"
    }

    /// By default a larger init scale than the tutorial's, so the gates leave their linear
    /// range and every gradient is far from zero.
    func config(keepProb: Float = 1) -> ModelConfig {
        ModelFixtures.config(hiddenSizes: hiddenSizes, embeddingSize: embeddingSize, vocabularySize: vocabularySize,
                             batchSize: batchSize, numSteps: numSteps, initScale: initScale, keepProb: keepProb,
                             forgetBias: forgetBias, seed: seed)
    }

    /// The model, a batch with at least one repeated input id, and a non-zero initial state.
    func problem(keepProb: Float = 1) throws -> (model: LanguageModel, x: IntTensor, y: IntTensor, state: [LayerState]) {
        let model = try ModelFixtures.model(config(keepProb: keepProb))
        var generator = RandomGenerator(seed: seed &+ 1000)
        var x = try ModelFixtures.ids(rows: batchSize, columns: numSteps, vocabulary: vocabularySize, generator: &generator)
        // The last input repeats the first, so some embedding row is looked up twice.
        if x.count > 1 { x.scalars[x.count - 1] = x.scalars[0] }
        let y = try ModelFixtures.ids(rows: batchSize, columns: numSteps, vocabulary: vocabularySize, generator: &generator)
        let state = ModelFixtures.randomState(of: model, batchSize: batchSize, generator: &generator)
        return (model, x, y, state)
    }

    static let all: [FusedCase] = [
        FusedCase(hiddenSizes: [6, 4], embeddingSize: 5, vocabularySize: 13, batchSize: 3, numSteps: 4, workers: 2, seed: 1),
        FusedCase(hiddenSizes: [5], embeddingSize: 3, vocabularySize: 7, batchSize: 1, numSteps: 1, workers: 1, seed: 2),
        FusedCase(hiddenSizes: [5], embeddingSize: 3, vocabularySize: 7, batchSize: 1, numSteps: 3, workers: 3, seed: 3),
        FusedCase(hiddenSizes: [17, 3, 9], embeddingSize: 10, vocabularySize: 23, batchSize: 7, numSteps: 5, workers: 3, seed: 4),
        FusedCase(hiddenSizes: [6, 4], embeddingSize: 8, vocabularySize: 9, batchSize: 2, numSteps: 2, workers: 3, seed: 5),
        FusedCase(hiddenSizes: [16], embeddingSize: 16, vocabularySize: 20, batchSize: 4, numSteps: 5, workers: 2, forgetBias: 1, seed: 6),
        FusedCase(hiddenSizes: [6, 4], embeddingSize: 5, vocabularySize: 4, batchSize: 5, numSteps: 1, workers: 1, seed: 7),
        FusedCase(hiddenSizes: [3, 7], embeddingSize: 2, vocabularySize: 3, batchSize: 6, numSteps: 3, workers: 2, forgetBias: -0.5, seed: 8),
    ]
}

/// The fused training path against the autodiff graph of `LanguageModel.forward`
/// (itself checked against finite differences), with dropout, evaluation and bad input.
@Suite("Fused training path")
struct FusedPathTests {
    static let variableNames = ["embedding", "cell_0 kernel", "cell_0 bias", "cell_1 kernel", "cell_1 bias", "softmax_w", "softmax_b"]

    @Test("fused cost, gradients and final state equal autodiff's", arguments: FusedCase.all)
    func fusedMatchesAutodiff(_ problemCase: FusedCase) throws {
        let (model, x, y, initial) = try problemCase.problem()
        let reference = try ModelFixtures.autodiff(model, x: x, y: y, state: initial)

        let trainer = FusedBatchStep(model: model, batchSize: problemCase.batchSize, numSteps: problemCase.numSteps,
                                   workers: problemCase.workers)
        var state = initial
        var generator = RandomGenerator(seed: 5)
        let cost = try trainer.step(x: x, y: y, state: &state, mode: .train, generator: &generator)

        #expect(abs(cost - reference.cost) <= 1e-5 * abs(reference.cost), "cost \(cost) vs \(reference.cost)")
        let fused = trainer.gradients.tensors()
        #expect(fused.count == reference.gradients.count)
        for (index, (mine, theirs)) in zip(fused, reference.gradients).enumerated() {
            let name = model.trainableVariables[index].name ?? "?"
            #expect(mine.shape == theirs.shape, "\(name) shape")
            #expect(ModelFixtures.maxAbs(theirs) > 0, "\(name): the reference gradient is zero, so the comparison proves nothing")
            let error = ModelFixtures.relativeError(mine, reference: theirs)
            #expect(error <= 1e-5, "\(name): relative error \(error)")
        }
        #expect(state.count == reference.state.count)
        for (layer, (mine, theirs)) in zip(state, reference.state).enumerated() {
            #expect(allClose(mine.c, theirs.c, rtol: 1e-5, atol: 1e-6), "layer \(layer) c")
            #expect(allClose(mine.h, theirs.h, rtol: 1e-5, atol: 1e-6), "layer \(layer) h")
        }
    }

    @Test("a second step on the same trainer gives the same answers and final state (no stale buffers); the caller's other copies of the state are untouched")
    func repeatedSteps() throws {
        let problemCase = FusedCase.all[3]
        let (model, x, y, initial) = try problemCase.problem()
        let trainer = FusedBatchStep(model: model, batchSize: problemCase.batchSize, numSteps: problemCase.numSteps, workers: 3)
        var generator = RandomGenerator(seed: 5)
        // A first batch with other ids and state, then the batch under test.
        var scratch = RandomGenerator(seed: 77)
        let otherX = try ModelFixtures.ids(rows: problemCase.batchSize, columns: problemCase.numSteps,
                                           vocabulary: problemCase.vocabularySize, generator: &scratch)
        var otherState = model.zeroState(batchSize: problemCase.batchSize)
        _ = try trainer.step(x: otherX, y: y, state: &otherState, mode: .train, generator: &generator)
        var state = initial
        // A copy that shares no storage with `initial`, which `state` shares until written.
        let before = initial.map { ($0.c.scalars.map { $0 }, $0.h.scalars.map { $0 }) }
        let cost = try trainer.step(x: x, y: y, state: &state, mode: .train, generator: &generator)
        #expect(initial.map { $0.c.scalars } == before.map(\.0) && initial.map { $0.h.scalars } == before.map(\.1))
        let reference = try ModelFixtures.autodiff(model, x: x, y: y, state: initial)
        #expect(abs(cost - reference.cost) <= 1e-5 * abs(reference.cost))
        for (layer, (mine, theirs)) in zip(state, reference.state).enumerated() {
            #expect(allClose(mine.c, theirs.c, rtol: 1e-5, atol: 1e-6), "layer \(layer) c")
            #expect(allClose(mine.h, theirs.h, rtol: 1e-5, atol: 1e-6), "layer \(layer) h")
        }
        for (index, (mine, theirs)) in zip(trainer.gradients.tensors(), reference.gradients).enumerated() {
            #expect(ModelFixtures.relativeError(mine, reference: theirs) <= 1e-5, "\(Self.variableNames[index])")
        }
    }

    /// Central differences in Double of the Float cost (about 10 nats, so rounded to ~1e-6).
    /// With eps = 1e-2 the rounding error is about 1e-4 and the truncation error about eps^2,
    /// both inside the tolerance. Weights in ±1 make every derivative large enough to test.
    static let finiteDifferenceTolerance = (absolute: 2e-4, relative: 1e-2)

    @Test("autodiff and fused gradients agree with finite differences of the whole model's cost")
    func finiteDifferences() throws {
        let problemCase = FusedCase(hiddenSizes: [6, 4], embeddingSize: 5, vocabularySize: 11, batchSize: 3, numSteps: 4,
                                    workers: 2, forgetBias: 0.5, initScale: 1, seed: 21)
        let (model, x, y, state) = try problemCase.problem()
        let analytic = try ModelFixtures.autodiff(model, x: x, y: y, state: state).gradients
        let trainer = FusedBatchStep(model: model, batchSize: problemCase.batchSize, numSteps: problemCase.numSteps, workers: 2)
        var fusedState = state
        var generator = RandomGenerator(seed: 1)
        _ = try trainer.step(x: x, y: y, state: &fusedState, mode: .train, generator: &generator)
        let fused = trainer.gradients.tensors()

        var picker = RandomGenerator(seed: 99)
        var positions = model.trainableVariables.map { variable in (0..<5).map { _ in Int(picker.next() % UInt64(variable.value.count)) } }
        // Rows the batch looks up (repeated first id included) and one it never touches.
        let width = problemCase.embeddingSize
        let used = Set(x.scalars.map(Int.init))
        let unused = try #require((0..<problemCase.vocabularySize).first { !used.contains($0) })
        positions[0] = [Int(x.scalars[0]) * width, Int(x.scalars[0]) * width + width - 1, Int(x.scalars[5]) * width + 2, unused * width + 1]
        try ModelFixtures.expectFiniteDifferences(model, names: Self.variableNames, positions: positions,
                                                  gradients: ["autodiff": analytic, "fused": fused], tolerance: Self.finiteDifferenceTolerance,
                                                  largestAtLeast: 10 * Self.finiteDifferenceTolerance.absolute) {
            try ModelFixtures.autodiffCost(model, x: x, y: y, state: state)
        }
    }

    /// With the same generator copy, each evaluation draws the same masks, so the
    /// dropout cost is a smooth function of the weights and finite differences apply.
    @Test("with dropout, the fused gradients are those of the fused cost under fixed masks")
    func dropoutFiniteDifferences() throws {
        let problemCase = FusedCase(hiddenSizes: [6, 4], embeddingSize: 5, vocabularySize: 11, batchSize: 4, numSteps: 3,
                                    workers: 2, initScale: 1, seed: 31)
        let (model, x, y, state) = try problemCase.problem(keepProb: 0.5)
        let trainer = FusedBatchStep(model: model, batchSize: problemCase.batchSize, numSteps: problemCase.numSteps, workers: 2)
        let masks = RandomGenerator(seed: 2024)
        func cost(_ generator: RandomGenerator = masks) throws -> Float {
            var generator = generator
            var scratchState = state
            return try trainer.step(x: x, y: y, state: &scratchState, mode: .train, generator: &generator)
        }
        let base = try cost()
        let analytic = trainer.gradients.tensors()

        // Dropout is really on: the cost differs from the evaluation cost and from other masks'.
        var evaluationState = state
        var unused = masks
        let evaluation = try trainer.step(x: x, y: y, state: &evaluationState, mode: .evaluate, generator: &unused)
        #expect(abs(base - evaluation) > 1e-3)
        #expect(abs(try cost(RandomGenerator(seed: 2025)) - base) > 1e-3)
        #expect(try cost() == base, "the same generator copy must repeat the masks")

        var picker = RandomGenerator(seed: 7)
        var positions = model.trainableVariables.map { variable in (0..<4).map { _ in Int(picker.next() % UInt64(variable.value.count)) } }
        positions[0] = [Int(x.scalars[0]) * problemCase.embeddingSize, Int(x.scalars[3]) * problemCase.embeddingSize + 4]
        try ModelFixtures.expectFiniteDifferences(model, names: Self.variableNames, positions: positions, gradients: ["fused": analytic],
                                                  tolerance: Self.finiteDifferenceTolerance,
                                                  largestAtLeast: 10 * Self.finiteDifferenceTolerance.absolute) {
            Double(try cost())
        }
    }

    @Test("evaluation gives the training cost without dropout and changes neither weights nor generator",
          arguments: [1, 2])
    func evaluateMode(workers: Int) throws {
        let problemCase = FusedCase.all[0]
        for keepProb: Float in [1, 0.5] {
            let (model, x, y, initial) = try problemCase.problem(keepProb: keepProb)
            let before = ModelFixtures.snapshot(model)
            let trainer = FusedBatchStep(model: model, batchSize: problemCase.batchSize, numSteps: problemCase.numSteps, workers: workers)
            var generator = RandomGenerator(seed: 3)
            var evaluationState = initial
            let evaluation = try trainer.step(x: x, y: y, state: &evaluationState, mode: .evaluate, generator: &generator)
            #expect(generator == RandomGenerator(seed: 3), "evaluation draws no dropout masks")
            #expect(ModelFixtures.snapshot(model) == before, "evaluation leaves the weights alone")

            // Evaluation never drops out, so it is the autodiff cost (which has no dropout).
            let reference = try ModelFixtures.autodiff(model, x: x, y: y, state: initial)
            #expect(abs(evaluation - reference.cost) <= 1e-5 * abs(reference.cost), "keepProb \(keepProb)")
            for (mine, theirs) in zip(evaluationState, reference.state) {
                #expect(allClose(mine.c, theirs.c, rtol: 1e-5, atol: 1e-6) && allClose(mine.h, theirs.h, rtol: 1e-5, atol: 1e-6))
            }
            if keepProb == 1 {
                var trainingState = initial
                let training = try trainer.step(x: x, y: y, state: &trainingState, mode: .train, generator: &generator)
                #expect(training == evaluation, "without dropout the two modes compute the same cost")
                #expect(trainingState == evaluationState)
                #expect(ModelFixtures.snapshot(model) == before, "a step computes gradients but does not apply them")
            }
        }
    }

    /// What a failed step must look like: a `TensorError` of the expected kind, the
    /// caller's state untouched, and the trainer still good for the next batch.
    private func expectRejected(
        _ trainer: FusedBatchStep, x: IntTensor, y: IntTensor, state: [LayerState],
        _ matches: (TensorError) -> Bool, _ comment: Comment
    ) {
        var attempted = state
        var generator = RandomGenerator(seed: 1)
        do {
            _ = try trainer.step(x: x, y: y, state: &attempted, mode: .train, generator: &generator)
            Issue.record("expected an error: \(comment)")
        } catch let error as TensorError {
            #expect(matches(error), "\(comment): got \(error)")
        } catch {
            Issue.record("\(comment): expected a TensorError, got \(error)")
        }
        #expect(attempted == state, "\(comment): the state must be left as it was")
    }

    @Test("bad batches throw instead of trapping, and the trainer still works afterwards")
    func badInputs() throws {
        let problemCase = FusedCase.all[0]
        let (model, x, y, state) = try problemCase.problem()
        let (b, t, v) = (problemCase.batchSize, problemCase.numSteps, problemCase.vocabularySize)
        let trainer = FusedBatchStep(model: model, batchSize: b, numSteps: t, workers: 2)
        var goodState = state
        var generator = RandomGenerator(seed: 1)
        let expected = try trainer.step(x: x, y: y, state: &goodState, mode: .train, generator: &generator)

        func isShapeMismatch(_ error: TensorError) -> Bool {
            if case .shapeMismatch = error { return true }
            return false
        }
        let longer = try IntTensor(shape: [b, t + 1], scalars: [Int32](repeating: 0, count: b * (t + 1)))
        let flat = try x.reshaped([b * t])
        expectRejected(trainer, x: longer, y: y, state: state, isShapeMismatch, "x of shape [B, T+1]")
        expectRejected(trainer, x: flat, y: y, state: state, isShapeMismatch, "x of rank 1")
        expectRejected(trainer, x: x, y: longer, state: state, isShapeMismatch, "y of shape [B, T+1]")

        var tooLarge = x
        tooLarge.scalars[b * t - 1] = Int32(v)
        var negative = y
        negative.scalars[0] = -1
        expectRejected(trainer, x: tooLarge, y: y, state: state, { $0 == .idOutOfRange(id: v, vocabularySize: v) }, "input id V")
        expectRejected(trainer, x: x, y: negative, state: state, { $0 == .idOutOfRange(id: -1, vocabularySize: v) }, "target id -1")

        expectRejected(trainer, x: x, y: y, state: Array(state.dropLast()), isShapeMismatch, "one state too few")
        expectRejected(trainer, x: x, y: y, state: state + [state[0]], isShapeMismatch, "one state too many")
        var wrongWidth = state
        wrongWidth[1] = LayerState(c: Tensor(zeros: [b, 5]), h: Tensor(zeros: [b, 5]))
        expectRejected(trainer, x: x, y: y, state: wrongWidth, isShapeMismatch, "layer 1 state of the wrong width")
        var wrongBatch = state
        wrongBatch[0] = LayerState(c: Tensor(zeros: [b + 1, 6]), h: Tensor(zeros: [b + 1, 6]))
        expectRejected(trainer, x: x, y: y, state: wrongBatch, isShapeMismatch, "layer 0 state of the wrong batch size")

        var againState = state
        let again = try trainer.step(x: x, y: y, state: &againState, mode: .train, generator: &generator)
        #expect(again == expected, "after the rejected batches the same batch gives the same cost")
        #expect(againState == goodState)

        // The autodiff path rejects the same ids.
        #expect(throws: TensorError.self) { try model.forward(x: tooLarge, y: y, state: state) }
        #expect(throws: TensorError.self) { try model.forward(x: x, y: negative, state: state) }
        #expect(throws: TensorError.self) { try model.forward(x: x, y: y, state: Array(state.dropLast())) }
    }

    @Test("with dropout, the masks and so the results do not depend on the number of workers", arguments: [2, 3, 5])
    func dropoutIndependentOfWorkers(workers: Int) throws {
        let config = ModelFixtures.config(hiddenSizes: [6, 4], embeddingSize: 5, vocabularySize: 11, batchSize: 5, numSteps: 3, keepProb: 0.5)
        var data = RandomGenerator(seed: 42)
        let x = try ModelFixtures.ids(rows: 5, columns: 3, vocabulary: 11, generator: &data)
        let y = try ModelFixtures.ids(rows: 5, columns: 3, vocabulary: 11, generator: &data)
        func run(_ workers: Int) throws -> (cost: Float, gradients: [Tensor]) {
            let model = try ModelFixtures.model(config)
            let trainer = FusedBatchStep(model: model, batchSize: 5, numSteps: 3, workers: workers)
            var state = model.zeroState(batchSize: 5)
            var generator = RandomGenerator(seed: 9)
            let cost = try trainer.step(x: x, y: y, state: &state, mode: .train, generator: &generator)
            return (cost, trainer.gradients.tensors())
        }
        let single = try run(1)
        let split = try run(workers)
        #expect(abs(single.cost - split.cost) <= 1e-5 * abs(single.cost))
        for (a, b) in zip(single.gradients, split.gradients) {
            #expect(allClose(b, a, rtol: 1e-4, atol: 1e-6))
        }
    }
}
