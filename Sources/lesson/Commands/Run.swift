import ArgumentParser
import CellScript
import ModelAPI
import Digests
import Engine
import Foundation
import Notebook
import Render

/// `lesson run`: runs a notebook's cells in order in one session and writes its HTML report.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a notebook and write its HTML report.",
        discussion: """
            Runs every ```swift cell of NOTEBOOK in order in one session, then writes a \
            self-contained HTML report (prose, In/Out, outputs, charts, errors in place) to \
            Output/<name>.html, or to -o. The report is replaced all at once and only by a run \
            that finished: a run stopped with Ctrl-C leaves the previous report as it was and \
            writes what it did to <name>.interrupted.html.

            On a terminal you see one line per cell and a live status line (the cell, and for \
            training its bar with perplexity, words per second and ETA). When standard output is \
            not a terminal (or with --transcript) every cell's outputs are printed as they come, \
            in the report's text form.

            With --student the lesson runs the same way (solutions included, so the cells after \
            them work) but the report is the student's: each `//| solution: true` cell is \
            replaced by its exercise (number, label, the `//| check:` conditions to meet, an \
            empty code area), and none of its code or outputs appear. It goes to \
            Output/<name>.student.html (or -o), with the student's notebook beside it \
            (Output/<name>.student.md, or -o's name with .md): the same Markdown with each \
            solution's code replaced by `//| exercise: N` and a placeholder, ready for \
            `lesson grade`.

            Exit status: 0 when every cell ran as its options say and every check passed, 1 when a \
            cell failed (or an `error: expected` cell did not fail, or a check failed), 2 when the \
            notebook or an option is unusable or the report could not be written where asked (it \
            is then saved in a private temporary folder, named on standard error), 130 when interrupted.
            """)

    @ArgumentParser.Argument(help: ArgumentHelp("The notebook (a Markdown file).", valueName: "notebook"))
    var notebook: String

    @Option(name: [.customShort("o"), .customLong("output")],
            help: ArgumentHelp("Where to write the report (default: Output/<name>.html).", valueName: "file"))
    var output: String?

    @OptionGroup var inputs: NotebookInputs

    @Option(name: .customLong("cell-timeout"),
            help: ArgumentHelp("Seconds a cell may run when it sets no `//| timeout:` (default: no limit).",
                               valueName: "seconds"))
    var cellTimeout: Double?

    @Flag(help: ArgumentHelp(
        "Write the student report and handout instead of the instructor report.",
        discussion: "Solution cells still run; their code and outputs are left out of both files."))
    var student = false

    @Flag(help: ArgumentHelp(
        "Also print the report (or with --student the student's report) to PDF beside it, with headless Chromium.",
        discussion: "Code wraps inside the margins and figures stay on one page; a student's PDF has no solutions."))
    var pdf = false

    @Flag(help: "Print every cell's outputs even on a terminal.")
    var transcript = false

    @Flag(name: .customLong("no-cache"), help: ArgumentHelp(
        "Run every cell; neither read nor write the cell cache.",
        discussion: "By default cells whose source, options, params, earlier cells and data files are unchanged "
            + "come from .lesson-cache/ beside the notebook, and running resumes at the first changed cell."))
    var noCache = false

    @Option(name: .customLong("cache-state-after"), help: ArgumentHelp(
        "Cells that take at least this many seconds also cache the session state they leave (0: every cell).",
        discussion: "A later run resumes after the last such cell that is unchanged; quicker cells after it are run "
            + "again. The state can be large (a trained model, big tensors).", valueName: "seconds"))
    var cacheStateAfter: Double = 1

    func validate() throws {
        if let cellTimeout, !(cellTimeout > 0) {
            throw ValidationError("--cell-timeout must be a positive number of seconds")
        }
        guard cacheStateAfter >= 0, cacheStateAfter.isFinite else {
            throw ValidationError("--cache-state-after must be 0 or more seconds")
        }
    }

    func run() throws {
        let notebookURL = URL(fileURLWithPath: notebook)
        let (document, text) = try NotebookFile.load(notebook)
        let destination = try ReportDestination(notebook: notebookURL, output: output,
                                                suffix: student ? ".student" : "", handout: student)
        if student, document.exercises.isEmpty {
            Console.warning("\(notebook) has no `//| solution: true` cells: the student build is the whole lesson")
        }

        let dataLog = DataLog()
        let library = NotebookRunning.library(document, at: notebookURL, dataDirectory: inputs.dataDirectory,
                                              seed: inputs.seed, dataLog: dataLog,
                                              reportFolder: destination.url.deletingLastPathComponent())
        let executor = NotebookExecutor(document: document, text: text, libraries: [library])
        executor.defaultTimeLimit = cellTimeout
        executor.memoryBudget = try inputs.memoryBudget()
        let display = RunDisplay(cellCount: document.cells.count,
                                 transcript: transcript || isatty(STDOUT_FILENO) != 1,
                                 liveStatus: isatty(STDERR_FILENO) == 1)
        executor.onCellStart = { display.cellStarted($0) }
        executor.onCellOutput = { cell, text in display.cellWrote(cell, text) }
        executor.onCellFigure = { cell, figure in display.cellDisplayed(cell, figure) }
        executor.onCellProgress = { _, report in display.cellProgressed(report) }
        let interrupt = Interrupt(message: "interrupt: stopping the running cell (Ctrl-C again to quit at once)") {
            executor.cancel()
        }
        executor.onCellComplete = { _, outcome in display.cellFinished(outcome, cancelled: interrupt.isRequested) }

        let cache = noCache ? nil
            : NotebookRunning.cache(for: notebookURL, seed: inputs.seed, dataLog: dataLog, stateThreshold: cacheStateAfter)
        let result = executor.run(params: try inputs.parsedParams(), cache: cache)
        display.finish()
        _ = interrupt
        for warning in result.warnings { Console.warning(warning) }
        for error in result.setupErrors { Console.stderr(error) }
        for error in result.inlineErrors { Console.stderr(error) }

        let facts = ReportFacts(run: result, engineVersion: EngineVersion.string, seed: inputs.seed,
                                dataFiles: DataChecksums.files(in: dataLog.directories), command: commandLine(),
                                warnings: document.warnings.map(\.description))
        let html = HTMLReport.render(document: document, outcomes: result.outcomes, facts: facts,
                                     audience: student ? .student : .instructor, inlineValues: result.inlineValues)
        let written = try destination.write(html, interrupted: result.cancelled)
        var fellBack = written.isFallback
        if student, !result.cancelled {
            let handout = try destination.writeHandout(StudentHandout.text(of: document, text: text))
            fellBack = fellBack || handout.isFallback
            Console.line("Student notebook: \(handout.url.relativePath(from: FileManager.default.currentDirectoryPath))")
        }
        Console.line(summary(result, report: written.url))
        if pdf, !result.cancelled, !written.isFallback {
            let file = written.url.deletingPathExtension().appendingPathExtension("pdf")
            do {
                try PDFPrinter.print(written.url, to: file)
                Console.line("PDF: \(file.relativePath(from: FileManager.default.currentDirectoryPath))")
            } catch {
                Console.error("\(error)")
                fellBack = true
            }
        }
        if result.cancelled { throw ExitCode(130) }
        if fellBack { throw ExitCode(2) }
        if !result.succeeded { throw ExitCode(1) }
    }

    private func commandLine() -> String {
        (["lesson"] + CommandLine.arguments.dropFirst()).map { argument in
            argument.contains(where: { $0 == " " || $0 == "\"" || $0 == "'" }) ? "'\(argument)'" : argument
        }.joined(separator: " ")
    }

    private func summary(_ run: NotebookRun, report: URL) -> String {
        let ran = run.outcomes.filter { $0.startedAt != nil && !$0.fromCache }.count
        let cached = run.outcomes.filter(\.fromCache).count
        let failed = run.outcomes.filter { if case .failed = $0.status { return true }; return false }.count
        var parts = ["\(run.outcomes.count) cell\(run.outcomes.count == 1 ? "" : "s")", "\(ran) ran"]
        if cached > 0 { parts.append("\(cached) from the cache") }
        if failed > 0 { parts.append("\(failed) failed") }
        let missing = run.outcomes.filter { $0.status == .missingExpectedError }.count
        if missing > 0 { parts.append("\(missing) did not raise their expected error") }
        let checks = run.outcomes.reduce(0) { $0 + $1.failedChecks.count }
        if checks > 0 { parts.append("\(checks) check\(checks == 1 ? "" : "s") failed") }
        let inline = run.inlineErrors.count
        if inline > 0 { parts.append("\(inline) inline value\(inline == 1 ? "" : "s") failed") }
        let state = run.cancelled ? "Interrupted" : run.succeeded ? "Done" : "Failed"
        return "\(state) in \(RunDisplay.seconds(run.duration)) (\(parts.joined(separator: ", "))). "
            + "Report: \(report.relativePath(from: FileManager.default.currentDirectoryPath))"
    }
}

/// SHA-256 of the data files cells read, for the report's footer.
enum DataChecksums {
    static func files(in directories: [URL]) -> [ReportFacts.DataFile] {
        urls(in: directories).compactMap { url in
            (try? SHA256.hex(contentsOf: url)).map { ReportFacts.DataFile(name: url.path, sha256: $0) }
        }
    }

    /// The corpus files in each directory read.
    static func urls(in directories: [URL]) -> [URL] {
        directories.flatMap { directory in
            DataDirectory.fileNames.map { directory.appendingPathComponent($0) }
        }
    }
}

extension URL {
    /// This file's path relative to `directory` when it lies inside it, else the full path.
    func relativePath(from directory: String) -> String {
        let path = standardizedFileURL.path
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
    }
}
