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

            --profile also splits a step's time into its phases (the softmax and LSTM \
            products, their element-wise work, the embedding, summing the shards' \
            gradients, clipping and the update) and times every matrix product of the step \
            again by itself, on all workers at once, to give its rate inside the step \
            against its rate alone and the GEMM-only ceiling: the words per second the \
            step would reach if its products ran at their rates alone and nothing else took \
            any time.
            """)

    @OptionGroup var data: DataOptions
    @Option(help: "Timed iterations.") var iterations: Int = 50
    @Option(help: "Untimed iterations first.") var warmup: Int = 5
    @Option(help: "Worker threads (default: one per core).")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount
    @Flag(help: "Print one JSON object instead of text.") var json = false
    @Option(help: "Matrix products in float32 or bf16 (bfloat16 inputs, float32 sums; needs AVX512_BF16).")
    var precision: Precision = .float32
    @Option(help: ArgumentHelp("Library of the float32 products: plan (each shape on the library this machine measured faster), openblas or onednn.",
                               valueName: "plan|openblas|onednn"))
    var products: String = "plan"
    @Flag(help: "Split the step's time into phases and time each matrix product alone (adds a few seconds).")
    var profile = false
    @Option(help: "With --profile: seconds to time each product alone (longer is steadier).")
    var productSeconds: Double = 0.25

    func validate() throws {
        guard iterations >= 1 else { throw ValidationError("--iterations must be at least 1") }
        guard warmup >= 0 else { throw ValidationError("--warmup must not be negative") }
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1") }
        if let reason = precision.unavailableReason { throw ValidationError(reason) }
        guard products == "plan" || ProductLibrary(rawValue: products) != nil else {
            throw ValidationError("--products must be plan, openblas or onednn (got \(products))")
        }
        guard productSeconds > 0, productSeconds <= 60 else { throw ValidationError("--product-seconds must be more than 0 and at most 60") }
    }

    func run() throws {
        let corpus = try data.load()
        var config = ModelConfig.tutorial
        config.vocabularySize = corpus.vocabulary.count
        config.precision = precision
        var generator = RandomGenerator(seed: config.seed)
        let model = try LanguageModel(config: config, generator: &generator)
        let plan = self.plan
        let runner = FusedBatchStep(model: model, batchSize: config.batchSize, numSteps: config.numSteps, workers: workers, plan: plan)
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
        if profile { runner.startProfiling() }
        try iterate(warmup)
        runner.resetProfile()
        let start = ProcessInfo.processInfo.systemUptime
        try iterate(iterations)
        let seconds = ProcessInfo.processInfo.systemUptime - start
        let words = iterations * config.batchSize * config.numSteps
        let wordsPerSecond = Double(words) / seconds
        let breakdown = runner.measuredProfile.map {
            ProfileBreakdown($0, wordsPerStep: config.batchSize * config.numSteps, workers: runner.shardCount,
                             rateAlone: { [productSeconds, runner, precision] in
                                 ProductBenchmark.gigaflops($0, workers: runner.shardCount, precision: precision, plan: plan, seconds: productSeconds)
                             })
        }
        if json {
            printJSON(wordsPerSecond: wordsPerSecond, seconds: seconds, words: words, profile: breakdown)
        } else {
            Console.line("Model: the tutorial's (embedding 200, LSTM 256 + 128, vocabulary \(config.vocabularySize), batch 60 x 20 steps)")
            Console.line("Compute: " + KernelSelectionAtLaunch.computeSummary(precision: precision, plan: plan, workers: workers))
            Console.line("Timed: \(iterations) iterations after \(warmup) warm-up, \(words) words in \(String(format: "%.2f", seconds)) s")
            Console.line(String(format: "Words per second: %.0f", wordsPerSecond))
            if let breakdown {
                Console.line("")
                for line in breakdown.lines { Console.line(line) }
            }
        }
    }

    /// The machine's plan, or one library for every product (`--products`).
    private var plan: ProductPlan {
        guard let library = ProductLibrary(rawValue: products) else { return .shared }
        return ProductPlan(file: nil, fingerprint: "", forced: library)
    }

    private func printJSON(wordsPerSecond: Double, seconds: Double, words: Int, profile: ProfileBreakdown?) {
        var object: [String: Any] = [
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
            "precision": precision.rawValue,
            "products": products,
            "onednn_version": OneDNN.version,
            "elementwise_kernels": Kernels.current.name,
        ]
        if let profile { object["profile"] = profile.jsonObject }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        Console.line(String(decoding: data, as: UTF8.self))
    }
}
