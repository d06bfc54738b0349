import Foundation
import Tensor

/// Which pass over which split an iteration belongs to.
public enum TrainingPass: Sendable, Equatable {
    case train, valid, test
}

/// Where training stands after an iteration, for progress bars and logs.
public struct TrainingProgress: Sendable {
    /// Epoch, counted from 0 (the test pass counts as the epoch after the last).
    public var epoch: Int
    public var pass: TrainingPass = .train
    /// Iterations done in this epoch (1-based after the first).
    public var iteration: Int
    public var epochSize: Int
    /// exp(cost so far / steps so far).
    public var perplexity: Double
    public var wordsPerSecond: Double
    public var elapsedSeconds: Double
    /// This iteration's cost: the sum over its steps of the batch-mean cross-entropy.
    public var cost: Double = 0
    /// A training iteration's global gradient norm before clipping; nil when evaluating.
    public var gradientNorm: Float?

    /// Whether the tutorial prints a log line here: `step % (epochSize // 10) == 10` with
    /// step counted from 0 (so epochs under 110 iterations print none).
    public var isTutorialLogPoint: Bool {
        let every = epochSize / 10
        return every > 0 && (iteration - 1) % every == 10
    }

    /// The tutorial's log line: `Itr 10 of 774, perplexity: 4090.238 speed: 2260 wps`.
    public var logLine: String {
        String(format: "Itr %d of %d, perplexity: %.3f speed: %.0f wps", iteration - 1, epochSize, perplexity, wordsPerSecond)
    }
}

/// The tutorial's log lines, written in one place: `lesson train` prints them and the cells'
/// `train(...)` writes them, from the same events.
public enum TrainingLog {
    public static func learningRate(epoch: Int, _ rate: Float) -> String {
        String(format: "Epoch %d: Learning rate: %.3f", epoch + 1, rate)
    }

    public static func trainPerplexity(epoch: Int, _ perplexity: Double) -> String {
        String(format: "Epoch %d: Train Perplexity: %.3f", epoch + 1, perplexity)
    }

    public static func validPerplexity(epoch: Int, _ perplexity: Double) -> String {
        String(format: "Epoch %d: Valid Perplexity: %.3f", epoch + 1, perplexity)
    }

    public static func testPerplexity(_ perplexity: Double) -> String {
        String(format: "Test Perplexity: %.3f", perplexity)
    }
}

/// The three splits a training run reads, as word ids.
public struct TrainingSplits: Sendable {
    public var train: [Int32]
    public var valid: [Int32]
    public var test: [Int32]

    public init(train: [Int32], valid: [Int32], test: [Int32]) {
        self.train = train
        self.valid = valid
        self.test = test
    }

    public init(_ data: PTBData) {
        self.init(train: data.train, valid: data.valid, test: data.test)
    }
}

/// One epoch's figures.
public struct EpochResult: Sendable, Codable, Equatable {
    /// Counted from 0.
    public var epoch: Int
    public var learningRate: Float
    public var trainPerplexity: Double
    public var validPerplexity: Double
    public var wordsPerSecond: Double
    public var seconds: Double
}

/// Runs the tutorial's training loop on the fast path: epochs over the training
/// ids with the decay schedule, a validation pass after each, the test pass at
/// the end. The RNN state is carried from batch to batch and reset to zeros at
/// the start of every pass.
public final class Trainer {
    public let model: LanguageModel
    public var config: ModelConfig { model.config }
    let runner: FusedBatchStep
    /// Draws dropout masks.
    public var generator: RandomGenerator
    /// Seconds on a monotonic clock; injectable so tests are deterministic.
    let clock: () -> Double
    /// Polled between iterations; returning true ends the run with `EngineError.cancelled`.
    public var shouldStop: () -> Bool = { false }

    public init(model: LanguageModel, generator: RandomGenerator, workers: Int = ProcessInfo.processInfo.activeProcessorCount,
                clock: @escaping () -> Double = { ProcessInfo.processInfo.systemUptime }) {
        self.model = model
        self.generator = generator
        self.clock = clock
        runner = FusedBatchStep(model: model, batchSize: model.config.batchSize, numSteps: model.config.numSteps, workers: workers)
    }

    /// One pass over `ids`: training (SGD at `learningRate`) when given one, else evaluation.
    /// - Returns: the pass's perplexity, exp(total cost / total steps).
    /// - Throws: `EngineError.emptyEpoch` when `ids` is too short, `.diverged` on a NaN or
    ///   infinite cost, `.cancelled` when `shouldStop` says so.
    public func runEpoch(_ ids: [Int32], epoch: Int, learningRate: Float?, pass: TrainingPass? = nil,
                         onProgress: (TrainingProgress) -> Void = { _ in }) throws -> (perplexity: Double, wordsPerSecond: Double) {
        let pass = pass ?? (learningRate == nil ? .valid : .train)
        let batches = try BatchIterator(ids: ids, batchSize: config.batchSize, numSteps: config.numSteps)
        var state = model.zeroState(batchSize: config.batchSize)
        var costs = 0.0
        var steps = 0
        let start = clock()
        var wordsPerSecond = 0.0
        for (index, batch) in batches.enumerated() {
            if shouldStop() { throw EngineError.cancelled }
            let mode: FusedBatchStep.Mode = learningRate == nil ? .evaluate : .train
            let cost = try runner.step(x: batch.x, y: batch.y, state: &state, mode: mode, generator: &generator)
            guard cost.isFinite else { throw EngineError.diverged(epoch: epoch, iteration: index, cost: cost) }
            let norm = learningRate.map { runner.applyGradients(learningRate: $0, maxGradNorm: config.maxGradNorm) }
            costs += Double(cost)
            steps += config.numSteps
            let elapsed = clock() - start
            wordsPerSecond = elapsed > 0 ? Double(steps * config.batchSize) / elapsed : 0
            onProgress(TrainingProgress(epoch: epoch, pass: pass, iteration: index + 1, epochSize: batches.epochSize,
                                        perplexity: Foundation.exp(costs / Double(steps)), wordsPerSecond: wordsPerSecond, elapsedSeconds: elapsed,
                                        cost: Double(cost), gradientNorm: norm))
        }
        return (Foundation.exp(costs / Double(Swift.max(steps, 1))), wordsPerSecond)
    }

    /// What `train` reports as it goes, in order: per epoch `epochStarted`, the learning-rate
    /// line, the training pass's progress (with the tutorial's `Itr` lines at its log points),
    /// the train line, the validation pass's progress, the valid line, `epochFinished`; then
    /// the test pass's progress, the test line and `testFinished`.
    public enum Event: Sendable {
        case epochStarted(epoch: Int, learningRate: Float)
        case progress(TrainingProgress)
        case epochFinished(EpochResult)
        case testFinished(perplexity: Double)
        /// A line of the tutorial's log (`TrainingLog`, `TrainingProgress.logLine`).
        case log(String)
    }

    /// The whole schedule: `epochs` (default `config.maxEpoch`) epochs of training with the
    /// decay schedule and a validation pass after each, then the test pass. `logIterations`
    /// adds the tutorial's `Itr` lines during training.
    /// - Returns: every epoch's figures and the test perplexity.
    public func train(_ splits: TrainingSplits, epochs: Int? = nil, logIterations: Bool = true,
                      onEvent: (Event) -> Void) throws -> (epochs: [EpochResult], testPerplexity: Double) {
        let count = epochs ?? config.maxEpoch
        var results: [EpochResult] = []
        for epoch in 0..<count {
            let rate = config.learningRate(epoch: epoch)
            onEvent(.epochStarted(epoch: epoch, learningRate: rate))
            onEvent(.log(TrainingLog.learningRate(epoch: epoch, rate)))
            let start = clock()
            let train = try runEpoch(splits.train, epoch: epoch, learningRate: rate, pass: .train) { progress in
                onEvent(.progress(progress))
                if logIterations, progress.isTutorialLogPoint { onEvent(.log(progress.logLine)) }
            }
            onEvent(.log(TrainingLog.trainPerplexity(epoch: epoch, train.perplexity)))
            let valid = try runEpoch(splits.valid, epoch: epoch, learningRate: nil, pass: .valid) { onEvent(.progress($0)) }
            onEvent(.log(TrainingLog.validPerplexity(epoch: epoch, valid.perplexity)))
            let result = EpochResult(epoch: epoch, learningRate: rate, trainPerplexity: train.perplexity, validPerplexity: valid.perplexity,
                                     wordsPerSecond: train.wordsPerSecond, seconds: clock() - start)
            results.append(result)
            onEvent(.epochFinished(result))
        }
        let test = try runEpoch(splits.test, epoch: count, learningRate: nil, pass: .test) { onEvent(.progress($0)) }.perplexity
        onEvent(.log(TrainingLog.testPerplexity(test)))
        onEvent(.testFinished(perplexity: test))
        return (results, test)
    }

    /// `train` over a corpus read from disk.
    public func train(data: PTBData, epochs: Int? = nil, onEvent: (Event) -> Void) throws -> (epochs: [EpochResult], testPerplexity: Double) {
        try train(TrainingSplits(data), epochs: epochs, onEvent: onEvent)
    }
}
