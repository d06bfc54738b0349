import Engine
import Foundation
import Tensor
import Testing

/// `lesson bench --profile`'s measurements, driven by a clock the test advances by hand.
@Suite("Step profile")
struct StepProfileTests {
    /// A clock that moves 1,000 ns each time it is read (shared by the shards' threads).
    final class TickingClock: @unchecked Sendable {
        // @unchecked: the counter is guarded by the lock.
        private let lock = NSLock()
        private var now: UInt64 = 0
        func read() -> UInt64 {
            lock.lock()
            defer { lock.unlock() }
            now += 1000
            return now
        }
    }

    static let problem = FusedCase(hiddenSizes: [6, 4], embeddingSize: 5, vocabularySize: 13, batchSize: 4, numSteps: 3,
                                   workers: 2, seed: 41)

    @Test("profiling changes nothing the step computes")
    func profilingIsInvisible() throws {
        func run(profiled: Bool) throws -> (cost: Float, gradients: [[Float]], state: [[Float]]) {
            // The same seed gives the same model, batch and state each time.
            let (copy, x, y, initial) = try Self.problem.problem(keepProb: 0.7)
            let runner = FusedBatchStep(model: copy, batchSize: Self.problem.batchSize, numSteps: Self.problem.numSteps, workers: 2)
            if profiled { runner.startProfiling(clock: TickingClock().read) }
            var state = initial
            var generator = RandomGenerator(seed: 3)
            let cost = try runner.step(x: x, y: y, state: &state, mode: .train, generator: &generator)
            let gradients = runner.gradients.tensors().map(\.scalars)
            runner.applyGradients(learningRate: 1, maxGradNorm: 5)
            return (cost, gradients, state.flatMap { [$0.c.scalars, $0.h.scalars] } + copy.trainableVariables.map(\.value.scalars))
        }
        let plain = try run(profiled: false)
        let profiled = try run(profiled: true)
        #expect(plain.cost == profiled.cost)
        #expect(plain.gradients == profiled.gradients)
        #expect(plain.state == profiled.state, "final state and updated weights")
    }

    @Test("every phase and product of a training step is counted, with the products' shapes and calls")
    func phasesAndProducts() throws {
        let (model, x, y, initial) = try Self.problem.problem(keepProb: 0.7)
        let runner = FusedBatchStep(model: model, batchSize: Self.problem.batchSize, numSteps: Self.problem.numSteps, workers: 2)
        #expect(runner.measuredProfile == nil, "no profile until asked")
        runner.startProfiling(clock: TickingClock().read)
        var generator = RandomGenerator(seed: 3)
        var state = initial
        // A warm-up step, forgotten by the reset, then two measured ones.
        _ = try runner.step(x: x, y: y, state: &state, mode: .train, generator: &generator)
        runner.applyGradients(learningRate: 1, maxGradNorm: 5)
        runner.resetProfile()
        for _ in 0..<2 {
            _ = try runner.step(x: x, y: y, state: &state, mode: .train, generator: &generator)
            runner.applyGradients(learningRate: 1, maxGradNorm: 5)
        }
        let profile = try #require(runner.measuredProfile)
        #expect(profile.steps == 2)
        for phase in StepPhase.allCases {
            #expect(profile[phase] > 0, "\(phase.title) was timed")
        }
        let phaseTotal = StepPhase.allCases.reduce(UInt64(0)) { $0 + profile[$1] }
        #expect(profile.stepNanoseconds >= phaseTotal, "the step's wall time holds its (first shard's) phases")

        // Shard 1 has 2 of the 4 sequences: 6 rows of 3 steps. Per step: one input projection,
        // T recurrent products, T-1 recurrent gradient products, three weight/input gradients per
        // layer, and the softmax's three products.
        let rows = 2 * Self.problem.numSteps
        let calls = Dictionary(uniqueKeysWithValues: profile.products.map { ($0.key.name, $0.value.calls) })
        let t = Self.problem.numSteps
        let expected: [String: Int] = [
            "softmax logits": 2, "softmax d W": 2, "softmax d x": 2,
            "layer 1 input projection": 2, "layer 1 recurrent": 2 * t, "layer 1 d h (recurrent)": 2 * (t - 1),
            "layer 1 d Wx": 2, "layer 1 d Wh": 2, "layer 1 d x": 2,
            "layer 2 input projection": 2, "layer 2 recurrent": 2 * t, "layer 2 d h (recurrent)": 2 * (t - 1),
            "layer 2 d Wx": 2, "layer 2 d Wh": 2, "layer 2 d x": 2,
        ]
        #expect(calls == expected)
        let logits = try #require(profile.products.keys.first { $0.name == "softmax logits" })
        #expect((logits.m, logits.n, logits.k, logits.transposeA, logits.transposeB) == (rows, 13, 4, false, false))
        let recurrent = try #require(profile.products.keys.first { $0.name == "layer 1 recurrent" })
        #expect((recurrent.m, recurrent.n, recurrent.k, recurrent.accumulates) == (2, 24, 6, true))
        #expect(profile.products.keys.allSatisfy { $0.phase == ($0.name.hasPrefix("softmax") ? .softmaxProducts : .lstmProducts) })
    }

    @Test("the breakdown's shares, rates and GEMM-only ceiling follow from the measurements")
    func breakdownArithmetic() throws {
        let (model, x, y, initial) = try Self.problem.problem()
        let runner = FusedBatchStep(model: model, batchSize: Self.problem.batchSize, numSteps: Self.problem.numSteps, workers: 2)
        runner.startProfiling(clock: TickingClock().read)
        var generator = RandomGenerator(seed: 3)
        var state = initial
        _ = try runner.step(x: x, y: y, state: &state, mode: .train, generator: &generator)
        runner.applyGradients(learningRate: 1, maxGradNorm: 5)
        let profile = try #require(runner.measuredProfile)
        // Every product "runs alone" at 2 GFLOP/s: 2 flops a nanosecond.
        let breakdown = ProfileBreakdown(profile, wordsPerStep: 12, workers: 2, rateAlone: { _ in 2 })
        let shares = breakdown.phases.reduce(0) { $0 + $1.share }
        #expect(abs(shares - 1) < 1e-9, "the phases and 'other' make up the whole step")
        let flops = profile.products.reduce(0.0) { $0 + $1.key.flops * Double($1.value.calls) }
        #expect(abs(breakdown.ceilingMilliseconds - flops / 2 / 1e6) < 1e-12)
        #expect(abs(breakdown.ceilingWordsPerSecond - 12 / (flops / 2 / 1e9)) < 1e-6 * breakdown.ceilingWordsPerSecond)
        for product in breakdown.products {
            let tally = try #require(profile.products[product.shape])
            #expect(abs(product.gigaflopsInStep - product.shape.flops * Double(tally.calls) / Double(tally.nanoseconds)) < 1e-9)
        }
        #expect(breakdown.lines.contains { $0.contains("GEMM-only ceiling") })
        #expect(breakdown.lines.contains { $0.contains("layer 2 d h (recurrent)") && $0.contains("2x4x16 NT") })
    }

    @Test("a product timed alone reports a positive rate from the clock it is given")
    func productAlone() {
        let shape = ProductShape(name: "test", phase: .softmaxProducts, m: 8, n: 16, k: 4, transposeA: true, transposeB: false, accumulates: false)
        let clock = TickingClock()
        // Each batch reads the clock twice (1,000 ns apart), doubling until 5,000 ns have passed:
        // 1 + 2 + 4 + 8 + 16 = 31 runs in 5 batches, 5,000 ns.
        let rate = ProductBenchmark.gigaflops(shape, workers: 2, seconds: 4.5e-6, clock: clock.read)
        #expect(abs(rate - shape.flops * 31 / 5000) < 1e-9)
    }
}
