import ArgumentParser
import Engine
import Foundation
import Tensor

/// `lesson bench`: training throughput on the tutorial's configuration and real data.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure training speed (words per second) on the tutorial's model.",
        discussion: """
            Runs --warmup training iterations (forward, backward, clipping, SGD) on real PTB \
            batches, then times --iterations more. Build with `swift build -c release` (or \
            `make bench`) for meaningful numbers.
            """)

    @OptionGroup var data: DataOptions
    @Option(help: "Timed iterations.") var iterations: Int = 50
    @Option(help: "Untimed iterations first.") var warmup: Int = 5
    @Option(help: "Worker threads (default: one per core).")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount
    @Flag(help: "Print one JSON object instead of text.") var json = false

    func validate() throws {
        guard iterations >= 1 else { throw ValidationError("--iterations must be at least 1") }
        guard warmup >= 0 else { throw ValidationError("--warmup must not be negative") }
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1") }
    }

    func run() throws {
        let corpus = try data.load()
        var config = ModelConfig.tutorial
        config.vocabularySize = corpus.vocabulary.count
        var generator = RandomGenerator(seed: config.seed)
        let model = try LanguageModel(config: config, generator: &generator)
        let runner = FusedBatchStep(model: model, batchSize: config.batchSize, numSteps: config.numSteps, workers: workers)
        var batches = try BatchIterator(ids: corpus.train, batchSize: config.batchSize, numSteps: config.numSteps)
        var state = model.zeroState(batchSize: config.batchSize)
        func iterate(_ count: Int) throws {
            for _ in 0..<count {
                // Past the end of the data, start a new epoch (every counted iteration runs a step).
                var next = batches.next()
                if next == nil {
                    batches = try BatchIterator(ids: corpus.train, batchSize: config.batchSize, numSteps: config.numSteps)
                    state = model.zeroState(batchSize: config.batchSize)
                    next = batches.next()
                }
                guard let batch = next else { throw EngineError.emptyEpoch(idCount: corpus.train.count, batchSize: config.batchSize, numSteps: config.numSteps) }
                _ = try runner.step(x: batch.x, y: batch.y, state: &state, mode: .train, generator: &generator)
                runner.applyGradients(learningRate: config.learningRate, maxGradNorm: config.maxGradNorm)
            }
        }
        try iterate(warmup)
        let start = ProcessInfo.processInfo.systemUptime
        try iterate(iterations)
        let seconds = ProcessInfo.processInfo.systemUptime - start
        let words = iterations * config.batchSize * config.numSteps
        let wordsPerSecond = Double(words) / seconds
        if json {
            printJSON(wordsPerSecond: wordsPerSecond, seconds: seconds, words: words)
        } else {
            Console.line("Model: the tutorial's (embedding 200, LSTM 256 + 128, vocabulary \(config.vocabularySize), batch 60 x 20 steps)")
            Console.line("Compute: \(KernelSelectionAtLaunch.summary); \(workers) worker thread\(workers == 1 ? "" : "s"), each with single-threaded BLAS")
            Console.line("Timed: \(iterations) iterations after \(warmup) warm-up, \(words) words in \(String(format: "%.2f", seconds)) s")
            Console.line(String(format: "Words per second: %.0f", wordsPerSecond))
        }
    }

    private func printJSON(wordsPerSecond: Double, seconds: Double, words: Int) {
        let object: [String: Any] = [
            "words_per_second": (wordsPerSecond * 10).rounded() / 10,
            "blas_core": BLAS.coreName,
            "threads": workers,
            "blas_threads_per_worker": 1,
            "blas_detected_core": ProcessInfo.processInfo.environment[KernelSelectionAtLaunch.detectedVariable] ?? BLAS.coreName,
            "iterations": iterations,
            "warmup": warmup,
            "words": words,
            "seconds": (seconds * 1000).rounded() / 1000,
            "engine_version": EngineVersion.string,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        Console.line(String(decoding: data, as: UTF8.self))
    }
}
