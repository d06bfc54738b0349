import ArgumentParser
import Foundation

/// `lesson-fuzz`: a structure-aware fuzzer for lessons, run by hand as a benchmark (not in CI).
@main
struct LessonFuzz: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson-fuzz",
        abstract: "Generate lessons and student answers, run them through lesson's libraries, report crashes, hangs and escapes.",
        discussion: """
            Input INDEX of run SEED is always the same: a notebook generated from a grammar of \
            front matter, prose, fences, cell options and cell code (with model API calls of \
            hostile sizes and paths), or a mutation of the case files and Notebooks/*.md, or a \
            lesson with exercises and a student's answer file to grade. Each input is parsed, \
            checked, highlighted, run (2 s per cell, 2 GB memory budget), rendered (report, \
            student report, served page, transcript, handout) and graded when it has a student \
            file, in a fresh sandbox next to a canary folder.

            Findings: crash (a worker died: a Swift trap or a signal), hang (no input finished \
            for --hang-seconds), escape (a file outside the sandbox changed, or canary bytes \
            came out), invariant (a <script>/<pre> tag from cell code, output or answers reached \
            HTML as markup; solution code shown to students; a report that is not UTF-8). Each \
            is saved under OUT/<kind>/SEED-INDEX/ with its input and reproduced with \
            --replay SEED:INDEX or --replay-dir. Progress goes to stderr; OUT/summary.json at the \
            end. Exit status 0 without findings, 1 with, 130 when stopped early (Ctrl-C) \
            without any.
            """)

    @Option(help: "How many inputs to run.") var count = 1_000
    @Option(help: "The run's seed.") var seed: UInt64 = 1
    @Option(help: "The first input index.") var start = 0
    @Option(help: "The output folder.") var out = "fuzz-out"
    @Option(help: "Worker processes running at once.") var jobs = 2
    @Option(help: "Inputs per worker process before a fresh one starts.") var chunk = 250
    @Option(help: "The repository whose case files and notebooks are mutated (default: found from here).") var corpus: String?
    @Option(help: "Seconds a cell may run.") var cellSeconds: Double = 1
    @Option(help: "Seconds an input may run before it is cancelled.") var inputSeconds: Double = 20
    @Option(help: "Seconds without a finished input before a worker counts as hung.") var hangSeconds: Double = 120
    @Option(help: "The session's memory budget in GB.") var memoryGB: Double = 2
    @Option(help: ArgumentHelp("Run one input here, SEED:INDEX, and print its findings.", valueName: "seed:index")) var replay: String?
    @Option(help: ArgumentHelp("Run the input saved in this folder and print its findings.", valueName: "folder")) var replayDir: String?
    @Option(help: ArgumentHelp("Print input SEED:INDEX (lesson, then student file) and stop.", valueName: "seed:index")) var print: String?

    @Option(help: ArgumentHelp("Shrink the finding saved in this folder into FOLDER/shrunk/.", valueName: "folder")) var shrink: String?
    @Option(help: "With --shrink: seconds a replay may take before it counts as a hang.") var shrinkTimeout: Double = 30
    @Option(help: "With --replay or --replay-dir: the address space cap in GB (0 for none).") var addressSpaceGB: Double = 10
    @Flag(help: "Do not run inputs that match a known, reported problem (see KnownIssues.swift); count them.") var skipKnown = false
    @Flag(help: "With --replay or --replay-dir: also list the lesson's blocks as the parser sees them.") var blocks = false
    @Flag(help: .hidden) var worker = false
    @Option(help: .hidden) var from = 0
    @Option(help: .hidden) var to = 0
    @Option(help: .hidden) var workerDir: String?

    var limits: RunLimits {
        RunLimits(cellSeconds: cellSeconds, inputSeconds: inputSeconds, memoryBytes: Int(memoryGB * Double(1 << 30)),
                  hangSeconds: hangSeconds)
    }

    func run() throws {
        let outFolder = URL(fileURLWithPath: out).standardizedFileURL
        let corpus = Corpus(root: Corpus.findRoot(explicit: corpus))
        let generator = InputGenerator(corpus: corpus)
        if let print { return try printInput(print, generator: generator) }
        if let replay { return try replayOne(replay, generator: generator, out: outFolder) }
        if let shrink {
            let limits = ["--cell-seconds", String(cellSeconds), "--input-seconds", String(inputSeconds), "--memory-gb", String(memoryGB)]
            return try Shrinker(folder: URL(fileURLWithPath: shrink), timeout: shrinkTimeout, arguments: limits).run()
        }
        if let replayDir {
            guard let input = FuzzInput.load(from: URL(fileURLWithPath: replayDir)) else {
                throw ValidationError("\(replayDir) holds no lesson.md")
            }
            return try replayInput(input, index: 0, out: outFolder)
        }
        if worker {
            let store = FindingStore(root: outFolder, seed: seed)
            let folder = URL(fileURLWithPath: workerDir ?? outFolder.appendingPathComponent("work/w0").path)
            return try Worker(generator: generator, store: store, folder: folder, limits: limits, skipKnown: skipKnown)
                .run(from: from, to: to)
        }
        try supervise(corpus: corpus, out: outFolder)
    }

    private func supervise(corpus: Corpus, out: URL) throws {
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        var arguments = ["--seed", String(seed), "--out", out.path, "--cell-seconds", String(cellSeconds),
                         "--input-seconds", String(inputSeconds), "--memory-gb", String(memoryGB)]
        if let root = corpus.root { arguments += ["--corpus", root] }
        if skipKnown { arguments.append("--skip-known") }
        let settings = Supervisor.Settings(start: start, count: count, jobs: jobs, chunk: max(chunk, 1), limits: limits,
                                           workerArguments: arguments)
        Console.say("lesson-fuzz: \(count) inputs from index \(start), seed \(seed), \(jobs) workers, "
                    + "\(SummaryFile.buildConfiguration) build, corpus \(corpus.cells.count) cells + \(corpus.notebooks.count) notebooks")
        let tally = Supervisor(settings: settings, store: FindingStore(root: out, seed: seed)).run()
        try SummaryFile.write(tally, settings: settings, seed: seed, corpus: corpus, to: out)
        Console.say(tally.progressLine(total: count))
        Console.say("summary: \(out.appendingPathComponent("summary.json").path)")
        if !tally.findings.isEmpty { throw ExitCode(1) }
        if tally.interrupted { throw ExitCode(130) }
    }

    private func replayOne(_ text: String, generator: InputGenerator, out: URL) throws {
        let (seed, index) = try Self.seedAndIndex(text)
        try replayInput(generator.input(seed: seed, index: index), index: index, out: out)
    }

    /// Runs `input` in this process (a crash here shows its stack directly). Its address space
    /// is capped, so an input that makes memory run away ends in an allocation failure (a crash)
    /// instead of taking the machine's memory, as the supervisor's watch would stop it.
    private func replayInput(_ input: FuzzInput, index: Int, out: URL) throws {
        var cap = rlimit(rlim_cur: rlim_t(addressSpaceGB * Double(1 << 30)), rlim_max: rlim_t.max)
        if addressSpaceGB > 0 { _ = setrlimit(Int32(RLIMIT_AS.rawValue), &cap) }
        let folder = out.appendingPathComponent("replay")
        let sandbox = try Sandbox(folder: folder)
        _ = FileManager.default.changeCurrentDirectoryPath(folder.path)
        let runner = InputRunner(sandbox: sandbox, watch: EscapeWatch(sandbox: sandbox, outputFolder: out), limits: limits)
        if blocks { BlockListing.print(input) }
        let started = Date()
        let findings = runner.run(input, index: index)
        Console.say("ran \(input.origin) in \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
        Console.say("cells: " + runner.lastStatuses.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        for finding in findings { Console.say("\(finding.kind.rawValue): \(finding.message)") }
        if !findings.isEmpty { throw ExitCode(1) }
    }

    private func printInput(_ text: String, generator: InputGenerator) throws {
        let (seed, index) = try Self.seedAndIndex(text)
        let input = generator.input(seed: seed, index: index)
        FileHandle.standardOutput.write(Data(input.lesson))
        if let student = input.student {
            FileHandle.standardOutput.write(Data("\n======== student.md ========\n".utf8) + Data(student))
        }
        Console.say("origin: \(input.origin)")
    }

    static func seedAndIndex(_ text: String) throws -> (UInt64, Int) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let seed = UInt64(parts[0]), let index = Int(parts[1]) else {
            throw ValidationError("expected SEED:INDEX, e.g. 1:4711, got \(text)")
        }
        return (seed, index)
    }
}
