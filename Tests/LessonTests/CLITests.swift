import Engine
import Foundation
import Tensor
import TestSupport
import Testing

/// The built `lesson` executable, run as a user runs it.
enum LessonCommand {
    /// What one run printed and how it ended.
    struct Result: CustomStringConvertible {
        var status: Int32
        var reason: Process.TerminationReason
        var stdout: String
        var stderr: String

        /// Ended by `exit` (not by a signal such as a trap's SIGILL).
        var exited: Bool { reason == .exit }

        var description: String { "exit \(status) (\(reason == .exit ? "exit" : "signal"))\nstdout:\n\(stdout)\nstderr:\n\(stderr)" }
    }

    enum Failure: Error, CustomStringConvertible {
        case notBuilt(searched: [String])
        var description: String {
            switch self {
            case .notBuilt(let searched):
                return "no `lesson` executable; build it first (swift build --build-tests). Looked at:\n" + searched.joined(separator: "\n")
            }
        }
    }

    /// The executable built with this test bundle: beside the test binary (Linux:
    /// `.build/<triple>/<config>/lessonPackageTests.xctest`; macOS: the bundle's parent
    /// folder), else in the package's `.build/<config>`.
    static func executable() throws -> URL {
        var folders: [URL] = []
        if let executable = Bundle.main.executableURL { folders.append(executable.deletingLastPathComponent()) }
        folders.append(Bundle.main.bundleURL)
        folders.append(Bundle.main.bundleURL.deletingLastPathComponent())
        for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
            folders.append(bundle.bundleURL.deletingLastPathComponent())
        }
        if let first = CommandLine.arguments.first {
            folders.append(URL(fileURLWithPath: first).deletingLastPathComponent())
        }
        let build = TestPaths.packageRoot().appendingPathComponent(".build")
        folders += ["debug", "release"].map { build.appendingPathComponent($0) }
        let candidates = folders.map { $0.appendingPathComponent("lesson").standardizedFileURL }
        let fileManager = FileManager.default
        for candidate in candidates {
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
               fileManager.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        throw Failure.notBuilt(searched: candidates.map(\.path))
    }

    /// Variables the tests control: a stray value from the calling shell must not change what a test sees.
    static let controlled = ["LESSON_DATA_DIR", "LESSON_BLAS_DETECTED", "LESSON_PRETEND_BLAS_CORE", "VISUAL", "EDITOR"]

    /// Runs `lesson arguments` in `directory` with this process's environment minus
    /// `controlled`, then `environment` applied (a nil value removes the variable).
    static func run(_ arguments: [String], environment: [String: String?] = [:], in directory: URL? = nil,
                    stdin: String? = nil) throws -> Result {
        try runTool(executable().path, arguments, environment: environment, in: directory, stdin: stdin)
    }

    /// Runs any program the same way (e.g. `script`, to give `lesson` a terminal).
    static func runTool(_ path: String, _ arguments: [String], environment: [String: String?] = [:],
                        in directory: URL? = nil, stdin: String? = nil) throws -> Result {
        var variables = ProcessInfo.processInfo.environment
        for name in controlled { variables[name] = nil }
        for (name, value) in environment { variables[name] = value }

        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        // Files rather than pipes: a chatty child can never block on a full pipe.
        let out = try scratch.write(Data(), to: "stdout")
        let err = try scratch.write(Data(), to: "stderr")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = variables
        if let directory { process.currentDirectoryURL = directory }
        if let stdin {
            process.standardInput = try FileHandle(forReadingFrom: try scratch.write(Data(stdin.utf8), to: "stdin"))
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, reason: process.terminationReason,
                      stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
                      stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }
}

/// A small corpus in the PTB layout: sentences from a fixed grammar, about 35 words.
enum CLICorpus {
    static func text(words: Int, seed: UInt64) -> String {
        let parts = [["the cat", "the dog", "a bird", "my sister", "our teacher", "the old man"],
                     ["sees", "likes", "chases", "finds", "hears", "paints"],
                     ["a red ball", "the small house", "some fresh bread", "the blue river", "a tall tree", "the quiet garden"],
                     ["", "today", "again", "at night"]]
        var generator = RandomGenerator(seed: seed)
        var lines: [String] = []
        var count = 0
        while count < words {
            let sentence = parts.map { $0[Int(generator.next() % UInt64($0.count))] }.filter { !$0.isEmpty }.joined(separator: " ")
            lines.append(" \(sentence) ")
            count += sentence.split(separator: " ").count + 1
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the three files into `directory/name` and returns that folder.
    static func write(into directory: TemporaryDirectory, name: String = "corpus", trainWords: Int = 3000) throws -> URL {
        try directory.writeCorpus(train: text(words: trainWords, seed: 1), valid: text(words: 600, seed: 2),
                                  test: text(words: 600, seed: 3), in: name)
    }
}

@Suite("lesson command line")
struct CLITests {
    /// The tiny model every training run here uses.
    static let tinyModel = ["--hidden-sizes", "16", "--embedding-size", "8", "--batch-size", "4", "--num-steps", "5"]

    @Test("--help lists the subcommands")
    func help() throws {
        let result = try LessonCommand.run(["--help"])
        #expect(result.status == 0, "\(result)")
        for subcommand in ["train", "bench"] {
            #expect(result.stdout.contains("  \(subcommand) "), "\(subcommand) missing from:\n\(result.stdout)")
        }
    }

    @Test("train --help lists every hyperparameter flag")
    func trainHelp() throws {
        let result = try LessonCommand.run(["train", "--help"])
        #expect(result.status == 0, "\(result)")
        let flags = ["--init-scale", "--learning-rate", "--max-grad-norm", "--num-steps", "--hidden-sizes", "--embedding-size",
                     "--max-epoch-decay-lr", "--max-epoch", "--epochs", "--keep-prob", "--decay", "--batch-size",
                     "--forget-bias", "--seed", "--data", "--save", "--save-initial", "--trace", "--workers"]
        for flag in flags {
            #expect(result.stdout.contains("\(flag) ") || result.stdout.contains("\(flag),"), "\(flag) missing")
        }
        // The defaults shown are the tutorial's.
        #expect(result.stdout.contains("(default: 256,128)"))
        #expect(result.stdout.contains("(default: 0.1)"))
    }

    @Test("--data naming a missing directory fails and names it")
    func missingExplicitDirectory() throws {
        let result = try LessonCommand.run(["train", "--data", "/nonexistent/ptb-data"])
        #expect(result.exited && result.status != 0, "\(result)")
        #expect(result.stderr.contains("/nonexistent/ptb-data"), "\(result)")
        #expect(result.stdout.isEmpty || !result.stdout.contains("Epoch"), "no training happens")
    }

    @Test("with no data anywhere, the error lists every place looked at and how to get the files")
    func noDataAnywhere() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // A working directory whose ../shared does not exist either.
        let work = directory.url.appendingPathComponent("work", isDirectory: true)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)

        let result = try LessonCommand.run(["train"], in: work)
        #expect(result.exited && result.status == 1, "\(result)")
        let message = result.stderr
        #expect(message.contains("Looked in:"), "\(result)")
        let sandbox = directory.url.lastPathComponent
        #expect(message.contains("\(sandbox)/work/data/ptb"), "the working directory's data/ptb")
        #expect(message.contains("\(sandbox)/shared/data/ptb"), "the shared folder beside the working directory")
        #expect(message.contains(DataDirectory.downloadURL), "where to download the files")
        #expect(message.contains("--data") && message.contains("LESSON_DATA_DIR"), "how to point lesson at them")

        let withVariable = try LessonCommand.run(["train"], environment: ["LESSON_DATA_DIR": "/nonexistent/from-env"], in: work)
        #expect(withVariable.exited && withVariable.status == 1, "\(withVariable)")
        #expect(withVariable.stderr.contains("/nonexistent/from-env"), "\(withVariable)")
    }

    @Test("train on a tiny corpus prints the tutorial's log and saves a loadable checkpoint")
    func trainTinyCorpus() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let corpus = try CLICorpus.write(into: directory)
        let checkpoint = directory.url.appendingPathComponent("m.safetensors")
        let result = try LessonCommand.run(
            ["train", "--data", corpus.path, "--epochs", "2", "--workers", "2", "--save", checkpoint.path] + Self.tinyModel)
        #expect(result.status == 0, "\(result)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        for expected in ["Epoch 1: Learning rate: 1.000", "Epoch 2: Learning rate: 1.000"] {
            #expect(lines.contains(expected), "\(expected) missing:\n\(result.stdout)")
        }
        for prefix in ["Epoch 1: Train Perplexity: ", "Epoch 1: Valid Perplexity: ", "Epoch 2: Train Perplexity: ",
                       "Epoch 2: Valid Perplexity: ", "Test Perplexity: "] {
            let line = lines.first { $0.hasPrefix(prefix) }
            let value = line.flatMap { Double($0.dropFirst(prefix.count)) }
            #expect(value.map { $0 > 1 && $0 < 40 } == true, "\(prefix): \(line ?? "missing")")
        }
        // 3000 words in 4 rows of 5 steps: 149 iterations, so the tutorial's log points exist.
        let data = try PTBData(directory: corpus)
        let epochSize = try BatchIterator(ids: data.train, batchSize: 4, numSteps: 5).epochSize
        #expect(lines.contains { $0.hasPrefix("Itr 10 of \(epochSize), perplexity: ") && $0.hasSuffix(" wps") }, "\(result.stdout)")
        #expect(lines.last?.hasPrefix("Test Perplexity: ") == true)

        let config = try #require(try LanguageModel.storedConfig(at: checkpoint))
        #expect(config.hiddenSizes == [16] && config.embeddingSize == 8 && config.batchSize == 4 && config.numSteps == 5)
        #expect(config.vocabularySize == data.vocabulary.count)
        #expect(config.maxEpoch == 2)
        var generator = RandomGenerator(seed: 99)
        let model = try LanguageModel(config: config, generator: &generator)
        let fresh = model.trainableVariables.map(\.value)
        try model.load(from: checkpoint)
        #expect(model.trainableVariables.map(\.value) != fresh, "the trained weights replace the fresh ones")
        #expect(try SafeTensors.read(from: checkpoint).metadata["lesson.epoch"] == "2")
    }

    @Test("train --save-initial writes the weights before the first step; --trace one line per iteration, the first cost the forward pass's")
    func traceAndInitialWeights() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let corpus = try CLICorpus.write(into: directory)
        let initial = directory.url.appendingPathComponent("init.safetensors")
        let trace = directory.url.appendingPathComponent("trace.csv")
        let result = try LessonCommand.run(["train", "--data", corpus.path, "--epochs", "1", "--seed", "3",
                                            "--save-initial", initial.path, "--trace", trace.path] + Self.tinyModel)
        #expect(result.status == 0, "\(result)")
        let config = try #require(try LanguageModel.storedConfig(at: initial))
        var generator = RandomGenerator(seed: 3)
        let fresh = try LanguageModel(config: config, generator: &generator)
        let saved = try LanguageModel(config: config, generator: &generator)
        try saved.load(from: initial)
        #expect(saved.trainableVariables.map(\.value) == fresh.trainableVariables.map(\.value))

        let lines = try String(contentsOf: trace, encoding: .utf8).split(separator: "\n").map(String.init)
        let data = try PTBData(directory: corpus)
        var batches = try BatchIterator(ids: data.train, batchSize: 4, numSteps: 5)
        #expect(lines.first == "epoch,iteration,cost,grad_norm")
        #expect(lines.count == batches.epochSize + 1)
        let first = lines[1].split(separator: ",").map(String.init)
        #expect(first.count == 4 && first[0] == "1" && first[1] == "1")
        let next = batches.next()
        let batch = try #require(next)
        let cost = try fresh.forward(x: batch.x, y: batch.y, state: fresh.zeroState(batchSize: 4)).cost.value.scalars[0]
        let traced = try #require(Double(first[2]))
        #expect(abs(traced - Double(cost)) < 1e-4 * Double(cost), "trace \(traced), forward pass \(cost)")
        #expect((Double(first[3]) ?? 0) > 0)
    }

    /// A bad value and a phrase its message must contain.
    struct BadFlag: Sendable, CustomTestStringConvertible {
        let arguments: [String]
        let phrase: String
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let badFlags: [BadFlag] = [
        BadFlag(arguments: ["--keep-prob", "0"], phrase: "keep prob must be in (0, 1]"),
        BadFlag(arguments: ["--keep-prob", "1.5"], phrase: "keep prob must be in (0, 1]"),
        BadFlag(arguments: ["--hidden-sizes", "abc"], phrase: "--hidden-sizes takes comma-separated whole numbers"),
        BadFlag(arguments: ["--hidden-sizes", "16,0"], phrase: "hidden sizes must be positive"),
        BadFlag(arguments: ["--workers", "0"], phrase: "--workers must be at least 1"),
        BadFlag(arguments: ["--num-steps", "0"], phrase: "num steps must be at least 1"),
        BadFlag(arguments: ["--batch-size", "abc"], phrase: "'abc' is invalid for '--batch-size"),
        BadFlag(arguments: ["--learning-rate=-1"], phrase: "learning rate must be"),
        BadFlag(arguments: ["--init-scale", "nan"], phrase: "init scale must be"),
        BadFlag(arguments: ["--no-such-flag"], phrase: "Unknown option '--no-such-flag'"),
        BadFlag(arguments: ["--save", "/nonexistent-lesson-dir/m.safetensors"],
                phrase: "--save: the directory /nonexistent-lesson-dir does not exist"),
    ]

    /// ArgumentParser exits with 64 (EX_USAGE) for validation and parse errors.
    @Test("bad flag values fail with a clear message and exit code 64, never a crash", arguments: badFlags)
    func badFlag(_ bad: BadFlag) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let corpus = try CLICorpus.write(into: directory, trainWords: 400)
        let tiny = ["--data", corpus.path, "--epochs", "1"] + Self.tinyModel
        // The bad value comes last, so it overrides the tiny model's own value.
        let result = try LessonCommand.run(["train"] + tiny + bad.arguments)
        #expect(result.exited && result.status == 64, "\(result)")
        #expect(result.stderr.contains(bad.phrase), "\(result)")
        #expect(!result.stderr.contains("Fatal error"))
        #expect(!result.stdout.contains("Epoch 1: Train Perplexity"), "nothing is trained")
    }

    @Test("bench rejects bad counts the same way",
          arguments: [["--iterations", "0"], ["--warmup=-1"], ["--workers", "0"], ["--product-seconds", "0"], ["--product-seconds", "nan"],
                      ["--products", "mkl"], ["--products", "../../etc/passwd"]])
    func badBenchFlag(_ arguments: [String]) throws {
        let result = try LessonCommand.run(["bench", "--data", "/nonexistent"] + arguments)
        #expect(result.exited && result.status == 64, "\(result)")
        #expect(result.stderr.contains("must"), "\(result)")
    }

    // MARK: bench and the OpenBLAS kernel

    /// A corpus long enough for several 60 x 20 batches of the tutorial's model.
    static func benchCorpus(_ directory: TemporaryDirectory) throws -> URL {
        try CLICorpus.write(into: directory, name: "bench", trainWords: 30_000)
    }

    static func benchJSON(_ directory: URL, environment: [String: String?], iterations: Int = 1, warmup: Int = 0) throws -> [String: Any] {
        let result = try LessonCommand.run(
            ["bench", "--json", "--iterations", "\(iterations)", "--warmup", "\(warmup)", "--data", directory.path],
            environment: environment)
        #expect(result.status == 0, "\(result)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 1, "one JSON object, nothing else, on stdout:\n\(result.stdout)")
        let object = try JSONSerialization.jsonObject(with: Data((lines.first ?? "").utf8))
        return try #require(object as? [String: Any])
    }

    @Test("bench --json prints one JSON object with the speed and the compute setup")
    func benchJSON() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let json = try Self.benchJSON(try Self.benchCorpus(directory), environment: [:], iterations: 2, warmup: 1)
        #expect(((json["words_per_second"] as? Double) ?? 0) > 0, "\(json)")
        #expect(((json["blas_core"] as? String) ?? "").isEmpty == false, "\(json)")
        #expect(((json["threads"] as? Int) ?? 0) >= 1, "\(json)")
        #expect(json["iterations"] as? Int == 2 && json["warmup"] as? Int == 1)
        #expect(json["words"] as? Int == 2 * 60 * 20)
    }

    @Test("without AVX512_BF16, --precision bf16 says so and stops everywhere: train, bench and a lesson's ModelConfig")
    func bf16Refused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let corpus = try CLICorpus.write(into: directory, trainWords: 400)
        let pretend: [String: String?] = ["LESSON_PRETEND_NO_BF16": "1"]
        let phrase = "precision bf16 needs a CPU with AVX512_BF16 instructions, which this one lacks; use float32"
        let train = try LessonCommand.run(["train", "--data", corpus.path, "--epochs", "1", "--precision", "bf16"] + Self.tinyModel,
                                          environment: pretend)
        #expect(train.exited && train.status == 64 && train.stderr.contains(phrase), "\(train)")
        #expect(!train.stdout.contains("Epoch 1"), "nothing is trained")
        let bench = try LessonCommand.run(["bench", "--data", corpus.path, "--precision", "bf16"], environment: pretend)
        #expect(bench.exited && bench.status == 64 && bench.stderr.contains(phrase), "\(bench)")
        let badName = try LessonCommand.run(["bench", "--data", corpus.path, "--precision", "fp8"])
        #expect(badName.status == 64 && badName.stderr.contains("fp8"), "\(badName)")

        _ = try directory.write(Data("""
            # bf16

            ```swift
            let config = ModelConfig(precision: "bf16")
            ```
            """.utf8), to: "lesson.md")
        let lesson = try LessonCommand.run(["run", "lesson.md", "--no-cache"], environment: pretend, in: directory.url)
        #expect(lesson.stdout.contains(phrase), "the cell's error says why: \(lesson)")
        #expect(!lesson.stderr.contains("Fatal error") && !lesson.stderr.contains("Illegal instruction"), "\(lesson)")
    }

    @Test("bench --profile splits the step into phases and sets each product against itself timed alone")
    func benchProfile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let corpus = try Self.benchCorpus(directory)
        let arguments = ["bench", "--profile", "--product-seconds", "0.01", "--iterations", "2", "--warmup", "1",
                         "--workers", "2", "--data", corpus.path]
        let result = try LessonCommand.run(arguments + ["--json"])
        #expect(result.status == 0, "\(result)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let profile = try #require(object?["profile"] as? [String: Any], "\(result.stdout)")
        let phases = try #require(profile["phases"] as? [[String: Any]])
        #expect(phases.compactMap { $0["phase"] as? String }.prefix(3) == ["softmax products", "LSTM products", "softmax element-wise"])
        let shares = phases.compactMap { $0["share"] as? Double }.reduce(0, +)
        #expect(abs(shares - 1) < 0.01, "shares add up to the whole step: \(phases)")
        let products = try #require(profile["products"] as? [[String: Any]])
        #expect(products.count == 15, "three softmax products and six per layer")
        // 60 sequences over 2 workers: 30 x 20 steps = 600 rows per shard.
        let logits = try #require(products.first { $0["name"] as? String == "softmax logits" })
        #expect(logits["m"] as? Int == 600 && logits["k"] as? Int == 128, "\(logits)")
        #expect(products.allSatisfy { ($0["gflops_alone"] as? Double ?? 0) > 0 && ($0["gflops_in_step"] as? Double ?? 0) > 0 })
        #expect((profile["gemm_ceiling_words_per_second"] as? Double ?? 0) > 0)

        let text = try LessonCommand.run(arguments)
        #expect(text.status == 0, "\(text)")
        #expect(text.stdout.contains("Where a step's time goes") && text.stdout.contains("GEMM-only ceiling:"), "\(text.stdout)")
        #expect(text.stdout.contains("layer 1 recurrent") && text.stdout.contains("30x1024x256 NN"), "\(text.stdout)")
    }

    @Test("when OpenBLAS settles for a generic core, lesson restarts itself with the recommended one")
    func kernelRestart() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let json = try Self.benchJSON(try Self.benchCorpus(directory),
                                      environment: ["LESSON_PRETEND_BLAS_CORE": "Prescott", "OPENBLAS_CORETYPE": nil])
        let core = try #require(json["blas_core"] as? String)
        let detected = try #require(json["blas_detected_core"] as? String)
        if let recommended = KernelSelection.recommendedCore(currentCore: "Prescott", cpuFlags: KernelSelection.cpuFlags(), userSetting: nil) {
            #expect(detected == "Prescott", "the restarted process remembers what was detected")
            #expect(core.lowercased() == recommended.lowercased(), "\(json)")
        } else {
            // Nothing better for this CPU: no restart, so nothing but the library's own choice is reported.
            #expect(detected == core, "\(json)")
        }
    }

    @Test("a core chosen by the user with OPENBLAS_CORETYPE is respected",
          .enabled(if: ["avx2", "fma"].allSatisfy(KernelSelection.cpuFlags().contains), "Haswell kernels need AVX2 and FMA"))
    func userChosenCore() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let json = try Self.benchJSON(try Self.benchCorpus(directory),
                                      environment: ["LESSON_PRETEND_BLAS_CORE": "Prescott", "OPENBLAS_CORETYPE": "Haswell"])
        let core = try #require(json["blas_core"] as? String)
        #expect(core.lowercased() == "haswell", "\(json)")
        #expect((json["blas_detected_core"] as? String) == core, "no restart: \(json)")
    }
}
