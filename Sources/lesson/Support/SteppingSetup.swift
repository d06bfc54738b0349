import ArgumentParser
import CellScript
import ModelAPI
import Engine
import Foundation
import Limits
import Notebook

/// The options of every command that runs a notebook: its params, its data and the seed.
struct NotebookInputs: ParsableArguments {
    @Option(name: .customLong("param"), parsing: .singleValue,
            help: ArgumentHelp("Set a notebook parameter, e.g. --param epochs=1 (repeatable).", valueName: "name=value"))
    var params: [String] = []

    @Option(name: .customLong("data"), help: ArgumentHelp(
        "Directory holding ptb.train.txt, ptb.valid.txt and ptb.test.txt.",
        discussion: "Without it: the notebook's `data:`, then $LESSON_DATA_DIR, ./data/ptb, ../shared/data/ptb.",
        valueName: "dir"))
    var dataDirectory: String?

    @Option(help: "Seed of the random generator behind every initialiser and dropout mask.")
    var seed: UInt64 = 1

    @Option(name: .customLong("memory-limit"), help: ArgumentHelp(
        "The most memory the lesson's cells may make the process use, e.g. 4GB or 500MB.",
        discussion: "A cell that would go past it ends with an error naming what needed the memory, and the "
            + "session goes on. Default: three quarters of physical memory, less under `ulimit -v` (2 GB below "
            + "it) or a cgroup limit (10% below it).",
        valueName: "size"))
    var memoryLimit: String?

    func validate() throws {
        _ = try ParamOption.parse(params)
        _ = try memoryBudget()
    }

    /// The budget for the session's cells: `--memory-limit`, else the default for this machine.
    func memoryBudget() throws -> MemoryBudget {
        guard let memoryLimit else { return MemoryBudget(limit: MemoryBudget.defaultLimit()) }
        guard let bytes = MemorySize.bytes(memoryLimit) else {
            throw ValidationError("--memory-limit \(memoryLimit): expected a size such as 4GB, 512MB or 1.5G")
        }
        return MemoryBudget(limit: bytes)
    }

    /// The `--param` values by name (validated already).
    func parsedParams() throws -> [String: String] {
        try ParamOption.parse(params)
    }
}

/// The options of the commands that step through a lesson in one session (`step`, `serve`).
struct SteppingOptions: ParsableArguments {
    @OptionGroup var inputs: NotebookInputs

    @Flag(name: .customLong("no-cache"), help: "Run every cell; neither read nor write the cell cache.")
    var noCache = false
}

/// A lesson loaded and ready to step through: its cells run against the model API, and cells
/// on the notebook's own path come from (and go into) the cell cache.
struct SteppingSetup {
    let notebookURL: URL
    let document: NotebookDocument
    /// The notebook file's text.
    let text: String
    let executor: NotebookExecutor
    let stepper: NotebookStepper

    /// Loads `notebook` (exit 2 with a message when it cannot be read or parsed) and prints
    /// the params' warnings and errors. `student`: step as a student (`NotebookStepper.forStudent`).
    init(notebook: String, options: SteppingOptions, student: Bool = false) throws {
        notebookURL = URL(fileURLWithPath: notebook)
        let (document, text) = try NotebookFile.load(notebook)
        self.document = document
        self.text = text
        let dataLog = DataLog()
        let library = NotebookRunning.library(document, at: notebookURL, dataDirectory: options.inputs.dataDirectory,
                                              seed: options.inputs.seed, dataLog: dataLog)
        executor = NotebookExecutor(document: document, text: text, libraries: [library])
        executor.memoryBudget = try options.inputs.memoryBudget()
        let cache = options.noCache ? nil : NotebookRunning.cache(for: notebookURL, seed: options.inputs.seed,
                                                                         dataLog: dataLog)
        stepper = NotebookStepper(document: document, executor: executor,
                                  params: try options.inputs.parsedParams(), cache: cache, student: student)
        for warning in stepper.warnings { Console.warning(warning) }
        for error in stepper.setupErrors { Console.stderr(error) }
    }
}
