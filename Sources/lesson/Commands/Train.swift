import ArgumentParser
import Engine
import Foundation
import Tensor

/// `lesson train`: the tutorial's whole training run, with its log lines.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train the PTB language model and report perplexities.",
        discussion: """
            Prints the tutorial's log: each epoch's learning rate, progress lines \
            (Itr 10 of 774, perplexity: ... speed: ... wps), train and valid perplexity, then the \
            test perplexity. On a terminal a live progress bar with ETA is drawn on standard error. \
            Ctrl-C stops after the current iteration; with --save, the weights of the last finished \
            epoch are kept.

            For numerical comparisons with another framework, --save-initial writes the weights \
            before the first step and --trace writes one CSV line per training iteration: \
            epoch, iteration, cost (the sum over steps of the batch-mean cross-entropy) and the \
            global gradient norm before clipping (Reference/tf-compare uses both).
            """)

    @OptionGroup var data: DataOptions
    @OptionGroup(title: "Hyperparameters (defaults: the tutorial's)") var model: ModelOptions
    @Option(help: ArgumentHelp("Save the weights as safetensors after every epoch (written atomically).", valueName: "file"))
    var save: String?
    @Option(help: ArgumentHelp("Save the initial weights as safetensors before training.", valueName: "file"))
    var saveInitial: String?
    @Option(help: ArgumentHelp("Write each training iteration's cost and gradient norm to a CSV file.", valueName: "file"))
    var trace: String?
    @Option(help: "Worker threads (default: one per core).")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1") }
        // Check the hyperparameters before any data is read (the vocabulary size comes later).
        _ = try model.config(vocabularySize: ModelConfig.tutorial.vocabularySize)
        // A checkpoint that cannot be written should stop the run now, not after half an hour.
        for (option, path) in [("--save", save), ("--save-initial", saveInitial), ("--trace", trace)] {
            guard let path else { continue }
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("\(option): the directory \(directory) does not exist")
            }
            guard FileManager.default.isWritableFile(atPath: directory) else {
                throw ValidationError("\(option): the directory \(directory) is not writable")
            }
        }
    }

    func run() throws {
        let corpus = try data.load()
        let config = try model.config(vocabularySize: corpus.vocabulary.count)
        var generator = RandomGenerator(seed: config.seed)
        let languageModel = try LanguageModel(config: config, generator: &generator)
        if let saveInitial {
            try languageModel.save(to: URL(fileURLWithPath: saveInitial),
                                   metadata: ["lesson.epoch": "0", "lesson.engine": EngineVersion.string])
        }
        let traceLog = try trace.map { try TraceLog(path: $0) }
        let trainer = Trainer(model: languageModel, generator: generator, workers: workers)
        let interrupt = Interrupt()
        trainer.shouldStop = { interrupt.isRequested }
        printHeader(corpus: corpus, config: config)
        let bar = ProgressBar()
        let saveURL = save.map { URL(fileURLWithPath: $0) }
        do {
            _ = try trainer.train(data: corpus) { event in
                report(event, bar: bar, epochs: config.maxEpoch, model: languageModel, saveURL: saveURL)
                if case .progress(let progress) = event, progress.pass == .train { traceLog?.write(progress) }
            }
        } catch EngineError.cancelled {
            bar.clear()
            Console.line("Interrupted." + (saveURL.map { " The last finished epoch's weights are in \($0.path)." } ?? ""))
            throw ExitCode(130)
        } catch {
            bar.clear()
            throw error
        }
    }

    private func printHeader(corpus: PTBData, config: ModelConfig) {
        Console.line("Data: \(corpus.directory.path) (\(corpus.train.count) / \(corpus.valid.count) / \(corpus.test.count) ids, \(corpus.vocabulary.count) words)")
        Console.line("Model: embedding \(config.embeddingSize), LSTM \(config.hiddenSizes.map(String.init).joined(separator: " + ")), batch \(config.batchSize) x \(config.numSteps) steps, keep prob \(config.keepProb), seed \(config.seed)")
        Console.line("Compute: " + KernelSelectionAtLaunch.computeSummary(precision: config.precision, plan: .shared, workers: workers))
    }

    /// The log's lines as they come (the engine writes them, as it does for cells), the bar
    /// during training, a checkpoint after every epoch.
    private func report(_ event: Trainer.Event, bar: ProgressBar, epochs: Int, model: LanguageModel, saveURL: URL?) {
        switch event {
        case .log(let line):
            bar.clear()
            Console.line(line)
        case .progress(let progress):
            if progress.pass == .train { bar.update(progress, epochs: epochs) }
        case .epochFinished(let result):
            bar.clear()
            if let saveURL { saveCheckpoint(model: model, to: saveURL, epoch: result.epoch) }
        case .epochStarted, .testFinished:
            break
        }
    }

    private func saveCheckpoint(model: LanguageModel, to url: URL, epoch: Int) {
        do {
            try model.save(to: url, metadata: ["lesson.epoch": String(epoch + 1), "lesson.engine": EngineVersion.string])
        } catch {
            // Training goes on: losing a checkpoint is better than losing the run.
            Console.warning("could not save the checkpoint: \(error)")
        }
    }
}

/// `lesson train --trace`: one CSV line per training iteration, written as it happens.
private final class TraceLog {
    private let handle: FileHandle

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data("epoch,iteration,cost,grad_norm\n".utf8)) else {
            throw ValidationError("--trace: cannot create \(path)")
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
    }

    func write(_ progress: TrainingProgress) {
        let norm = progress.gradientNorm.map { String(format: "%.6f", $0) } ?? ""
        let line = String(format: "%d,%d,%.6f,", progress.epoch + 1, progress.iteration, progress.cost) + norm + "\n"
        try? handle.write(contentsOf: Data(line.utf8))
    }

    deinit { try? handle.close() }
}
