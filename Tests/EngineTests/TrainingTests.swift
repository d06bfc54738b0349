import Engine
import Foundation
import Tensor
import TestSupport
import Testing

/// The training loop on a small generated corpus (learning, event order,
/// determinism, cancellation, divergence), the tutorial's log points and line
/// format, and a first step on the real Penn Treebank.
@Suite("Training loop")
struct TrainingTests {
    /// A clock that advances 1 ms per reading, so speeds and durations are reproducible.
    final class FakeClock: @unchecked Sendable {
        private var now = 0.0
        func read() -> Double {
            now += 0.001
            return now
        }
    }

    /// The tiny model the corpus tests train.
    static func config(vocabularySize: Int, maxEpoch: Int = 3, seed: UInt64 = 1) -> ModelConfig {
        var config = ModelFixtures.config(hiddenSizes: [16], embeddingSize: 8, vocabularySize: vocabularySize,
                                          batchSize: 4, numSteps: 5, seed: seed)
        config.maxEpoch = maxEpoch
        config.maxEpochDecayLR = 1
        return config
    }

    static func trainer(_ config: ModelConfig, workers: Int = 1) throws -> Trainer {
        var generator = RandomGenerator(seed: config.seed)
        let model = try LanguageModel(config: config, generator: &generator)
        let clock = FakeClock()
        return Trainer(model: model, generator: generator, workers: workers, clock: { clock.read() })
    }

    /// What `train` reported, in a comparable form.
    enum Seen: Equatable {
        case started(epoch: Int, rate: Float)
        case progress(epoch: Int, iteration: Int, epochSize: Int)
        case finished(epoch: Int)
        case test
    }

    /// The events that mark the schedule (training progress, not the passes over the other
    /// splits or the log lines, which have tests of their own).
    static func seen(_ event: Trainer.Event) -> Seen? {
        switch event {
        case .epochStarted(let epoch, let rate): return .started(epoch: epoch, rate: rate)
        case .progress(let p): return p.pass == .train ? .progress(epoch: p.epoch, iteration: p.iteration, epochSize: p.epochSize) : nil
        case .epochFinished(let result): return .finished(epoch: result.epoch)
        case .testFinished: return .test
        case .log: return nil
        }
    }

    @Test("training on a small grammar drives perplexity far below the vocabulary size, with events in order")
    func learnsGrammar() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = try GrammarCorpus.write(into: directory)
        let vocabulary = data.vocabulary.count
        #expect((30...50).contains(vocabulary))
        let config = Self.config(vocabularySize: vocabulary)
        let trainer = try Self.trainer(config)
        var events: [Trainer.Event] = []
        let result = try trainer.train(data: data) { events.append($0) }

        // The order: per epoch, started, one progress per iteration, finished; the test pass last.
        let epochSize = try BatchIterator(ids: data.train, batchSize: 4, numSteps: 5).epochSize
        var expected: [Seen] = []
        for epoch in 0..<3 {
            expected.append(.started(epoch: epoch, rate: config.learningRate(epoch: epoch)))
            expected += (1...epochSize).map { .progress(epoch: epoch, iteration: $0, epochSize: epochSize) }
            expected.append(.finished(epoch: epoch))
        }
        expected.append(.test)
        #expect(events.compactMap(Self.seen) == expected)
        #expect(result.epochs.map(\.learningRate) == [1, 1, 0.5])

        // The last progress report of an epoch is that epoch's train perplexity.
        let finals = events.compactMap { event -> TrainingProgress? in
            if case .progress(let p) = event, p.pass == .train, p.iteration == epochSize { return p }
            return nil
        }
        #expect(finals.map(\.perplexity) == result.epochs.map(\.trainPerplexity))
        if case .testFinished(let perplexity) = events.last { #expect(perplexity == result.testPerplexity) }

        // The log, in the tutorial's words, from the same figures, with ten Itr lines an epoch.
        let logged = events.compactMap { event -> String? in
            if case .log(let line) = event { return line }
            return nil
        }
        var lines: [String] = []
        for epoch in result.epochs {
            lines.append(String(format: "Epoch %d: Learning rate: %.3f", epoch.epoch + 1, epoch.learningRate))
            lines.append(String(format: "Epoch %d: Train Perplexity: %.3f", epoch.epoch + 1, epoch.trainPerplexity))
            lines.append(String(format: "Epoch %d: Valid Perplexity: %.3f", epoch.epoch + 1, epoch.validPerplexity))
        }
        lines.append(String(format: "Test Perplexity: %.3f", result.testPerplexity))
        #expect(logged.filter { !$0.hasPrefix("Itr ") } == lines)
        #expect(logged.filter { $0.hasPrefix("Itr ") }.count == 3 * 10)
        let passes = events.compactMap { event -> TrainingPass? in
            if case .progress(let p) = event { return p.pass }
            return nil
        }
        #expect(passes.last == .test && passes.contains(.valid), "every pass reports its progress")

        // The grammar leaves under 1 nat per word to guess (perplexity about 2.4); a uniform guess has perplexity V.
        let first = try #require(result.epochs.first)
        let last = try #require(result.epochs.last)
        #expect(first.trainPerplexity > last.trainPerplexity)
        #expect(last.trainPerplexity < Double(vocabulary) / 4, "train perplexity \(last.trainPerplexity)")
        #expect(last.validPerplexity < Double(vocabulary) / 4, "valid perplexity \(last.validPerplexity)")
        #expect(result.testPerplexity < Double(vocabulary) / 4, "test perplexity \(result.testPerplexity)")
        #expect(result.epochs.allSatisfy { $0.wordsPerSecond > 0 && $0.seconds > 0 })
    }

    @Test("the same seed gives identical runs; 1 and 2 workers agree up to float rounding")
    func deterministic() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = try GrammarCorpus.write(into: directory)
        let config = Self.config(vocabularySize: data.vocabulary.count, maxEpoch: 2)
        let first = try Self.trainer(config).train(data: data) { _ in }
        let second = try Self.trainer(config).train(data: data) { _ in }
        #expect(first.epochs == second.epochs)
        #expect(first.testPerplexity == second.testPerplexity)

        let parallel = try Self.trainer(config, workers: 2).train(data: data) { _ in }
        for (a, b) in zip(first.epochs, parallel.epochs) {
            #expect(abs(a.trainPerplexity - b.trainPerplexity) <= 1e-3 * a.trainPerplexity)
            #expect(abs(a.validPerplexity - b.validPerplexity) <= 1e-3 * a.validPerplexity)
        }
        #expect(abs(first.testPerplexity - parallel.testPerplexity) <= 1e-3 * first.testPerplexity)

        var other = config
        other.seed = 2
        let reseeded = try Self.trainer(other).train(data: data) { _ in }
        #expect(reseeded.epochs.map(\.trainPerplexity) != first.epochs.map(\.trainPerplexity))
    }

    @Test("an evaluation pass leaves the weights alone and is repeatable")
    func evaluationPass() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = try GrammarCorpus.write(into: directory)
        let trainer = try Self.trainer(Self.config(vocabularySize: data.vocabulary.count))
        let before = ModelFixtures.snapshot(trainer.model)
        let first = try trainer.runEpoch(data.valid, epoch: 0, learningRate: nil)
        let second = try trainer.runEpoch(data.valid, epoch: 0, learningRate: nil)
        #expect(ModelFixtures.snapshot(trainer.model) == before)
        #expect(first.perplexity == second.perplexity)
        // Untrained, the model is close to a uniform guess over the vocabulary.
        let vocabulary = Double(data.vocabulary.count)
        #expect(abs(first.perplexity - vocabulary) < 0.1 * vocabulary, "perplexity \(first.perplexity)")
    }

    @Test("shouldStop ends the run with EngineError.cancelled between iterations")
    func cancellation() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = try GrammarCorpus.write(into: directory)
        let trainer = try Self.trainer(Self.config(vocabularySize: data.vocabulary.count))
        final class Counter: @unchecked Sendable { var polls = 0 }
        let counter = Counter()
        trainer.shouldStop = {
            counter.polls += 1
            return counter.polls > 5
        }
        var progress = 0
        #expect(throws: EngineError.cancelled) {
            _ = try trainer.train(data: data) { event in
                if case .progress = event { progress += 1 }
            }
        }
        #expect(progress == 5)
    }

    @Test("a huge learning rate without clipping diverges with EngineError.diverged")
    func divergence() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = try GrammarCorpus.write(into: directory)
        var config = Self.config(vocabularySize: data.vocabulary.count)
        config.learningRate = 1e30
        config.maxGradNorm = 1e30
        let trainer = try Self.trainer(config)
        do {
            _ = try trainer.train(data: data) { _ in }
            Issue.record("training with learning rate 1e30 finished without diverging")
        } catch EngineError.diverged(let epoch, let iteration, let cost) {
            #expect(epoch == 0)
            #expect(iteration >= 1, "the first cost is computed from the initial weights, so it is finite")
            #expect(!cost.isFinite)
        }
    }

    // MARK: The tutorial's log

    /// Progress reports of one training epoch of `epochSize` iterations (batch 1, 1 step, so `epochSize + 1` ids).
    static func progressReports(epochSize: Int) throws -> [TrainingProgress] {
        var config = ModelFixtures.config(hiddenSizes: [3], embeddingSize: 2, vocabularySize: 5, batchSize: 1, numSteps: 1)
        config.maxEpoch = 1
        let trainer = try Self.trainer(config)
        let ids = (0..<(epochSize + 1)).map { Int32($0 % 5) }
        var reports: [TrainingProgress] = []
        _ = try trainer.runEpoch(ids, epoch: 0, learningRate: 0.1) { reports.append($0) }
        #expect(reports.count == epochSize)
        return reports
    }

    @Test("the tutorial's log points: steps 10, 87, 164, ... of 774")
    func tutorialLogPoints() throws {
        let reports = try Self.progressReports(epochSize: 774)
        let logged = reports.filter(\.isTutorialLogPoint)
        #expect(logged.map(\.iteration) == [11, 88, 165, 242, 319, 396, 473, 550, 627, 704])
        // The steps the tutorial's listing prints for every epoch.
        let printed = [10, 87, 164, 241, 318, 395, 472, 549, 626, 703]
        #expect(logged.map { $0.logLine.components(separatedBy: ",")[0] } == printed.map { "Itr \($0) of 774" })
    }

    @Test("no log points in epochs shorter than 110 iterations", arguments: [1, 10, 50, 109])
    func shortEpochs(epochSize: Int) throws {
        #expect(try Self.progressReports(epochSize: epochSize).filter(\.isTutorialLogPoint).isEmpty)
    }

    @Test("110 iterations: every 11th from step 10")
    func shortestLoggedEpoch() throws {
        let logged = try Self.progressReports(epochSize: 110).filter(\.isTutorialLogPoint)
        #expect(logged.map { $0.iteration - 1 } == Array(stride(from: 10, through: 109, by: 11)))
    }

    @Test("the log line has the tutorial's format")
    func logLine() throws {
        var progress = try #require(try Self.progressReports(epochSize: 3).first)
        progress.iteration = 11
        progress.epochSize = 774
        progress.perplexity = 4090.238
        progress.wordsPerSecond = 2260
        #expect(progress.logLine == "Itr 10 of 774, perplexity: 4090.238 speed: 2260 wps")
        progress.iteration = 704
        progress.perplexity = 455.0801
        progress.wordsPerSecond = 2305.6
        #expect(progress.logLine == "Itr 703 of 774, perplexity: 455.080 speed: 2306 wps")
    }

    // MARK: Real data

    @Test("on the real PTB, the tutorial model's first batch costs about 20 * ln(10000)")
    func realDataFirstSteps() throws {
        let data = try PTBData(directory: TestPaths.realData)
        #expect(data.vocabulary.count == 10_000)
        let config = ModelConfig.tutorial
        let model = try ModelFixtures.model(config)
        let trainer = FusedBatchStep(model: model, batchSize: config.batchSize, numSteps: config.numSteps, workers: 2)
        var batches = try BatchIterator(ids: data.train, batchSize: config.batchSize, numSteps: config.numSteps)
        #expect(batches.epochSize == 774)
        var state = model.zeroState(batchSize: config.batchSize)
        var generator = RandomGenerator(seed: 1)
        var costs: [Float] = []
        for _ in 0..<2 {
            let next = batches.next()
            let batch = try #require(next)
            costs.append(try trainer.step(x: batch.x, y: batch.y, state: &state, mode: .train, generator: &generator))
            let norm = trainer.applyGradients(learningRate: config.learningRate, maxGradNorm: config.maxGradNorm)
            #expect(norm.isFinite && norm > 0)
        }
        // Near-uniform predictions at initialisation: 20 steps of ln(10000) = 184.2 nats.
        let uniform = Float(20 * log(10_000.0))
        #expect(abs(costs[0] - uniform) < 1, "first cost \(costs[0])")
        // One clipped SGD step already teaches the word frequencies through softmax_b.
        #expect(costs[1] < costs[0], "second cost \(costs[1])")
    }
}
