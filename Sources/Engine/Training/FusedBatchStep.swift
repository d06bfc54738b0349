import Foundation
import Tensor

// Shape legend: B = batch, T = time steps, N = T*B, V = vocabulary.

/// One batch on the fast training path (not a trainer: `Trainer` runs the schedule): the
/// language model's forward and backward pass over a batch, computing exactly what
/// `LanguageModel.forward` and autodiff compute (tests hold the two together), plus dropout
/// when `keepProb < 1`. Its buffers are made once and reused by every step.
///
/// The batch's sequences are independent within a batch, so they are split into
/// one shard per core; each shard runs the whole model on its rows with a
/// single-threaded BLAS, and the shards' gradients are summed. This keeps both
/// cores busy through the element-wise work too, where OpenBLAS's own threads
/// would sit spinning.
public final class FusedBatchStep {
    public let model: LanguageModel
    public let batchSize: Int
    public let numSteps: Int
    let shards: [TrainingShard]
    /// The sequences (rows of `x`) each shard owns.
    let shardRows: [Range<Int>]

    /// Whether a step computes gradients (and applies dropout) or only the cost.
    public enum Mode: Sendable { case train, evaluate }

    /// Buffers for batches of `batchSize` x `numSteps`, split over `workers` shards
    /// (default: one per core, at most one per sequence).
    /// `plan` chooses the library of each float32 product (this machine's measured choices by default).
    public init(model: LanguageModel, batchSize: Int, numSteps: Int, workers: Int = ProcessInfo.processInfo.activeProcessorCount,
                plan: ProductPlan = .shared) {
        precondition(batchSize > 0 && numSteps > 0, "batch shape must be positive")
        self.model = model
        self.batchSize = batchSize
        self.numSteps = numSteps
        let count = Swift.max(1, Swift.min(workers, batchSize))
        shardRows = (0..<count).map { s in (s * batchSize / count)..<((s + 1) * batchSize / count) }
        shards = shardRows.map { TrainingShard(model: model, batchSize: $0.count, numSteps: numSteps, firstSequence: $0.lowerBound, plan: plan) }
    }

    /// How many shards (one per worker thread) a batch is split into.
    public var shardCount: Int { shards.count }

    /// Gradients of the last training step, in `trainableVariables` order.
    public var gradients: ModelGradients { shards[0].gradients }

    /// Runs one batch. `x`, `y`: `[B, T]` ids; `state` is read and replaced by the final state.
    /// In `.train` mode the gradients of the cost are left in `gradients`.
    /// - Returns: the cost, the sum over steps of the batch-mean cross-entropy.
    /// - Throws: `TensorError` for shapes that do not fit or ids outside the vocabulary.
    public func step(x: IntTensor, y: IntTensor, state: inout [LayerState], mode: Mode,
                     generator: inout RandomGenerator) throws -> Float {
        try check(x: x, y: y, state: state)
        let started = profile?.clock()
        defer {
            if let profile, let started {
                profile.steps += 1
                profile.stepNanoseconds &+= profile.clock() &- started
            }
        }
        let training = mode == .train
        // One draw per batch seeds every dropout mask (see `TrainingShard.applyDropout`).
        let dropoutSeed = training && model.config.keepProb < 1 ? generator.next() : 0
        var totals = [Double](repeating: 0, count: shards.count)
        let scale: Float? = training ? 1 / Float(batchSize) : nil
        // Each shard's ids and state rows go straight into its own buffers (ids time-major):
        // nothing is allocated per step.
        for (shard, rows) in zip(shards, shardRows) {
            Self.writeTimeMajor(x, rows: rows, steps: numSteps, into: shard.ids.pointer)
            Self.writeTimeMajor(y, rows: rows, steps: numSteps, into: shard.targets.pointer)
            for (layer, buffers) in zip(state, shard.states) {
                let offset = rows.lowerBound * (buffers.c.count / rows.count)
                layer.c.withPointer { buffers.c.pointer.update(from: $0 + offset, count: buffers.c.count) }
                layer.h.withPointer { buffers.h.pointer.update(from: $0 + offset, count: buffers.h.count) }
            }
        }
        BLAS.singleThreaded {
            totals.withUnsafeMutableBufferPointer { sums in
                Parallel.forEach(shards.count) { s in
                    sums[s] = shards[s].run(gradientScale: scale, dropoutSeed: dropoutSeed)
                }
            }
        }
        for (shard, rows) in zip(shards, shardRows) {
            for l in state.indices {
                let buffers = shard.states[l]
                let offset = rows.lowerBound * (buffers.c.count / rows.count)
                _ = state[l].c.withMutablePointer { ($0 + offset).update(from: buffers.c.pointer, count: buffers.c.count) }
                _ = state[l].h.withMutablePointer { ($0 + offset).update(from: buffers.h.pointer, count: buffers.h.count) }
            }
        }
        if training {
            measure(.combine) {
                for shard in shards.dropFirst() { shards[0].gradients.add(shard.gradients) }
            }
        }
        return Float(totals.reduce(0, +) / Double(batchSize))
    }

    // MARK: Profiling

    /// The step's own profile (its serial phases and wall time), when profiling.
    private(set) var profile: StepProfile?

    /// Starts timing every phase and product of the following steps (`lesson bench --profile`).
    /// Each shard gets its own profile from `clock`, since shards run on different threads.
    public func startProfiling(clock: @escaping () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }) {
        profile = StepProfile(clock: clock)
        for shard in shards { shard.products.profile = StepProfile(clock: clock) }
    }

    /// Forgets what was measured so far (warm-up steps), keeps profiling.
    public func resetProfile() {
        profile?.reset()
        for shard in shards { shard.products.profile?.reset() }
    }

    /// What the steps since `startProfiling` (or the last reset) measured: the first shard's
    /// phases and products (every shard runs the same work at the same time), the step's
    /// serial phases, and its wall time. Nil when not profiling.
    public var measuredProfile: StepProfile? {
        guard let profile, let first = shards[0].products.profile else { return nil }
        let merged = StepProfile(clock: profile.clock)
        merged.absorb(first, phases: StepPhase.allCases.filter(\.isPerShard))
        merged.absorb(profile, phases: StepPhase.allCases.filter { !$0.isPerShard })
        merged.steps = profile.steps
        merged.stepNanoseconds = profile.stepNanoseconds &+ profile[.clipAndUpdate]
        return merged
    }

    /// Runs serial work `body`, timed under `phase` when profiling.
    func measure<R>(_ phase: StepPhase, _ body: () -> R) -> R {
        guard let profile else { return body() }
        return profile.measure(phase, body)
    }

    /// Shapes and ids must fit the model before any buffer is touched.
    private func check(x: IntTensor, y: IntTensor, state: [LayerState]) throws {
        let expected = [batchSize, numSteps]
        guard x.shape == expected else { throw TensorError.shapeMismatch(operation: "model input x", lhs: expected, rhs: x.shape) }
        guard y.shape == expected else { throw TensorError.shapeMismatch(operation: "model targets y", lhs: expected, rhs: y.shape) }
        let units = model.config.hiddenSizes
        guard state.count == units.count else {
            throw TensorError.shapeMismatch(operation: "model state (one per layer)", lhs: [units.count], rhs: [state.count])
        }
        for (layer, h) in zip(state, units) where layer.c.shape != [batchSize, h] || layer.h.shape != [batchSize, h] {
            throw TensorError.shapeMismatch(operation: "model state", lhs: [batchSize, h], rhs: layer.c.shape)
        }
        let vocabulary = Int32(model.config.vocabularySize)
        for ids in [x.scalars, y.scalars] {
            for id in ids where id < 0 || id >= vocabulary {
                throw TensorError.idOutOfRange(id: Int(id), vocabularySize: Int(vocabulary))
            }
        }
    }

    /// Writes rows `rows` of a `[B, T]` id matrix to `out` time-major: element t * rows.count + b.
    static func writeTimeMajor(_ ids: IntTensor, rows: Range<Int>, steps: Int, into out: UnsafeMutablePointer<Int32>) {
        ids.scalars.withUnsafeBufferPointer { scalars in
            for (b, row) in rows.enumerated() {
                for t in 0..<steps { out[t * rows.count + b] = scalars[row * steps + t] }
            }
        }
    }
}
