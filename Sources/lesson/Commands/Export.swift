import ArgumentParser
import Foundation
import ModelAPI
import Notebook
import Render

/// `lesson export`: a lesson as a Jupyter notebook, with the outputs of its last run.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export a lesson as a Jupyter notebook (.ipynb), with its outputs.",
        discussion: """
            Writes NOTEBOOK as an nbformat 4.5 notebook: the prose as Markdown cells, each cell as \
            a code cell with its source, execution count and outputs (printed text, values as \
            numpy-style text, figures as SVG, errors, the checks as ✓/✗ lines), the cell options \
            in its metadata. The outputs come from the cell cache like `lesson run`: cells whose \
            results are cached are not run again, the others run now. --student writes the \
            student's notebook: each solution as its exercise, no solution code or outputs.
            """)

    @ArgumentParser.Argument(help: ArgumentHelp("The lesson (a Markdown file).", valueName: "notebook"))
    var notebook: String

    @Option(name: .customLong("to"), help: ArgumentHelp("The format: ipynb.", valueName: "format"))
    var format = "ipynb"

    @Option(name: [.customShort("o"), .customLong("output")],
            help: ArgumentHelp("Where to write it (default: Output/<name>.ipynb).", valueName: "file"))
    var output: String?

    @OptionGroup var inputs: NotebookInputs

    @Flag(help: "Export the student's notebook (exercises in place of solutions).")
    var student = false

    @Flag(name: .customLong("no-cache"), help: "Run every cell; neither read nor write the cell cache.")
    var noCache = false

    func validate() throws {
        guard format == "ipynb" else { throw ValidationError("--to \(format): the one format is ipynb") }
    }

    func run() throws {
        let url = URL(fileURLWithPath: notebook)
        let (document, text) = try NotebookFile.load(notebook)
        let dataLog = DataLog()
        let library = NotebookRunning.library(document, at: url, dataDirectory: inputs.dataDirectory, seed: inputs.seed,
                                              dataLog: dataLog)
        let executor = NotebookExecutor(document: document, text: text, libraries: [library])
        executor.memoryBudget = try inputs.memoryBudget()
        let display = RunDisplay(cellCount: document.cells.count, transcript: false, liveStatus: isatty(STDERR_FILENO) == 1)
        executor.onCellStart = { display.cellStarted($0) }
        executor.onCellProgress = { _, report in display.cellProgressed(report) }
        let cache = noCache ? nil : NotebookRunning.cache(for: url, seed: inputs.seed, dataLog: dataLog)
        let result = executor.run(params: try inputs.parsedParams(), cache: cache)
        display.finish()
        for warning in result.warnings { Console.warning(warning) }
        let json = IpynbExport.notebook(document: document, outcomes: result.outcomes,
                                        audience: student ? .student : .instructor)
        let destination = output.map { URL(fileURLWithPath: $0) } ?? NotebookRunning.defaultReportFolder
            .appendingPathComponent(url.deletingPathExtension().lastPathComponent + (student ? ".student" : "") + ".ipynb")
        do {
            try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            try AtomicFile.write(json, to: destination)
        } catch {
            Console.error("cannot write \(destination.path): \(error.localizedDescription)")
            throw ExitCode(2)
        }
        let ran = result.outcomes.filter { !$0.fromCache && $0.status != .notRun && $0.status != .skipped }.count
        Console.line("Wrote \(destination.path): \(document.cells.count) cells (\(ran) ran now, the rest from the cache).")
        if !result.succeeded { throw ExitCode(1) }
    }
}

/// `lesson import`: a Jupyter notebook as a lesson.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Turn a Jupyter notebook (.ipynb) into a lesson (Markdown).",
        discussion: """
            Markdown cells become prose, code cells ```swift cells (the options `lesson export` \
            kept in their metadata come back as //| lines). Code cells of another language (a \
            Python notebook's) are kept as `eval: false` cells with a note. A ```swift block \
            inside a Markdown cell stays an example (```swift-example), never a cell. A file that \
            is not an nbformat 4 notebook is refused with the reason. Never overwrites a file \
            unless --force.
            """)

    @ArgumentParser.Argument(help: ArgumentHelp("The Jupyter notebook.", valueName: "notebook.ipynb"))
    var source: String

    @Option(name: [.customShort("o"), .customLong("output")],
            help: ArgumentHelp("The lesson to write (default: the notebook's name with .md, beside it).", valueName: "file"))
    var output: String?

    @Flag(help: "Replace the output file if it exists.")
    var force = false

    func run() throws {
        let url = URL(fileURLWithPath: source)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            Console.error("\(source): error: cannot read it: \(error.localizedDescription)")
            throw ExitCode(2)
        }
        let markdown: String
        do {
            markdown = try IpynbImport.markdown(from: data)
        } catch {
            Console.error("\(source): error: \(error.description)")
            throw ExitCode(2)
        }
        let destination = output.map { URL(fileURLWithPath: $0) } ?? url.deletingPathExtension().appendingPathExtension("md")
        if !force, FileManager.default.fileExists(atPath: destination.path) {
            Console.error("\(destination.path) exists: nothing written (--force replaces it, -o writes elsewhere)")
            throw ExitCode(2)
        }
        do {
            try AtomicFile.write(markdown, to: destination)
        } catch {
            Console.error("cannot write \(destination.path): \(error.localizedDescription)")
            throw ExitCode(2)
        }
        let document = NotebookParser.parse(text: markdown, file: destination.path)
        Console.line("Wrote \(destination.path): \(document.cells.count) cells.")
    }
}
