import ArgumentParser
import CellScript
import Classroom
import Engine
import Foundation
import Notebook
import Render
import Synchronization

/// `lesson serve`: teach a lesson from the browser, one session shared by the class.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Teach a lesson in the browser: step through it live, or present it as slides.",
        discussion: """
            Starts a local web server for NOTEBOOK and prints two addresses. The presenter's \
            address carries a secret token: that page has the controls (Run, Skip, Back, Reset, \
            Stop, and Run to here on every cell), with the same meaning as in `lesson step`. \
            Every other page that opens the plain address follows the presenter's session \
            read-only: outputs, the training bar and a live perplexity chart arrive as cells run. \
            P (or the Present button) switches to presentation mode: a slide at each # and ## \
            heading and at each cell marked `//| slide: true`, arrows to move; followers see the \
            presenter's slide.

            Students are not only watching: "Try it from here" on a follower's page gives that \
            page a private copy of the session as it stands (trained model included), in a \
            process of its own, where the student edits cells (Edit, Shift+Enter runs), runs \
            them, and downloads the lesson with their edits. At most --max-running cells run at \
            once: the presenter's never wait, the copies' share the rest in a queue whose place \
            each page shows. A copy's crash, endless loop or memory bomb ends that copy only. \
            The presenter edits cells live too, and can save an edited cell into the notebook file.

            The page loads nothing from the network. The server listens on 127.0.0.1 unless \
            --host says otherwise, serves only the files the lesson's prose links (never a \
            Markdown file, so not the solutions), and goes on \
            running a cell when a page closes; reopening the page shows everything so far. \
            Cells come from the cell cache like `lesson step` (--no-cache to run them all). \
            Ctrl-C stops the server.
            """)

    @ArgumentParser.Argument(help: ArgumentHelp("The notebook (a Markdown file).", valueName: "notebook"))
    var notebook: String

    @Option(help: "Port to listen on (0: any free port).")
    var port: Int = 8000

    @Option(help: ArgumentHelp(
        "Address to listen on.",
        discussion: "127.0.0.1 (the default) admits this machine only; 0.0.0.0 lets a class on the same "
            + "network follow (only the token's holder can run cells)."))
    var host = "127.0.0.1"

    @OptionGroup var session: SteppingOptions

    @Flag(help: ArgumentHelp(
        "Show the exercises as students see them.",
        discussion: "Each `//| solution: true` cell shows as its exercise (what the code must achieve) and no page "
            + "sees its code or outputs, only whether its checks passed; the presenter still runs it."))
    var student = false

    @Option(name: .customLong("max-forks"), help: ArgumentHelp(
        "The most private copies of the session students may open at once (0: none).",
        discussion: "A student's page has \"Try it from here\": a copy of the session as it stands, in a process of its "
            + "own, where they edit and run cells without touching the class. Past this number the page says the class is full."))
    var maxForks = 40

    @Option(name: .customLong("forks-per-address"), help: ArgumentHelp(
        "The most copies one machine (one address) may have open at once (0: no limit).",
        discussion: "So that one student cannot take the class's copies. This machine's own requests (loopback) are "
            + "not counted. Behind a proxy every student has the proxy's address: raise it or set 0 there."))
    var forksPerAddress = 3

    @Option(name: .customLong("pages-per-address"), help: ArgumentHelp(
        "The most live pages (event streams) one machine may hold open at once (0: no limit).",
        discussion: "Each open page of the lesson holds one (a page in its own copy, two); past this the page is "
            + "refused, so a script cannot wear the server down with thousands. Loopback is not counted."))
    var pagesPerAddress = 16

    /// Counts this machine's requests against the per-address limits too (tests drive a class from loopback).
    @Flag(name: .customLong("limit-loopback"), help: .hidden)
    var limitLoopback = false

    @Option(name: .customLong("fork-idle"), help: ArgumentHelp(
        "Minutes a copy may go unused before it is closed and its memory freed.", valueName: "minutes"))
    var forkIdle: Double = 20

    @Option(name: .customLong("fork-memory"), help: ArgumentHelp(
        "Memory each copy's cells may add to the session they started from, e.g. 1GB.", valueName: "size"))
    var forkMemory = "1GB"

    @Option(name: .customLong("fork-time-limit"), help: ArgumentHelp(
        "Seconds a cell in a copy may run, unless the cell sets its own timeout.", valueName: "seconds"))
    var forkTimeLimit: Double = 60

    @Option(name: .customLong("max-running"), help: ArgumentHelp(
        "Cells that may run at once, the presenter's included (default: the number of cores).",
        discussion: "One is kept for the presenter, whose cells never wait; students' cells share the rest in "
            + "a first-come queue, and each waiting page shows its place in line."))
    var maxRunning = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard maxForks >= 0 else { throw ValidationError("--max-forks must be 0 or more") }
        guard forksPerAddress >= 0 else { throw ValidationError("--forks-per-address must be 0 or more") }
        guard pagesPerAddress >= 0 else { throw ValidationError("--pages-per-address must be 0 or more") }
        guard forkIdle > 0 else { throw ValidationError("--fork-idle must be more than 0 minutes") }
        guard forkTimeLimit > 0 else { throw ValidationError("--fork-time-limit must be more than 0 seconds") }
        guard maxRunning >= 1 else { throw ValidationError("--max-running must be 1 or more") }
        guard MemorySize.bytes(forkMemory) != nil else {
            throw ValidationError("--fork-memory \(forkMemory): expected a size such as 1GB or 500MB")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard !host.isEmpty else { throw ValidationError("--host must name an address, e.g. 127.0.0.1") }
    }

    func run() throws {
        let setup = try SteppingSetup(notebook: notebook, options: session)
        let (document, notebookURL) = (setup.document, setup.notebookURL)
        for warning in document.warnings { Console.warning(warning.description) }

        let page = LessonPage.render(document: document, audience: student ? .student : .instructor,
                                     editor: CodeEditorAssets.load())
        let hidden = student ? Set(document.exercises.map { $0.cell.index - 1 }) : []
        let room = LessonRoom(stepper: setup.stepper, executor: setup.executor, slideCount: page.slides,
                              hiddenCells: hidden)
        let token = LessonServer.makeToken()
        let files = LessonFiles(document: document, notebook: notebookURL)
        // Links to Markdown (other lessons) are expected not to load; anything else is worth a word.
        for skipped in files.skipped where skipped.reason != .markdown {
            Console.warning("the lesson links '\(skipped.link)', which is not served: \(skipped.reason)")
        }
        let settings = LessonServer.Settings(host: host, port: port, token: token, streamsPerAddress: pagesPerAddress,
                                             limitsLoopback: limitLoopback)
        let folder = try PrivateFolder(prefix: "lesson-serve")
        defer { folder.remove() }
        let forks = maxForks == 0 ? nil : ForkManager(room: room, settings: ForkManager.Settings(
            launch: workerLaunch(notebook: notebookURL, folder: folder.url), folder: folder.url, maxForks: maxForks,
            idleSeconds: forkIdle * 60, maxRunning: maxRunning, forksPerAddress: forksPerAddress))
        let text = (try? String(contentsOf: notebookURL, encoding: .utf8)) ?? ""
        let server = LessonServer(room: room, page: page.html, files: files, settings: settings, forks: forks,
                                  notebook: ServedNotebook(url: notebookURL, text: text, student: student))
        let name = notebookURL.lastPathComponent
        let shownHost = host.contains(":") ? "[\(host)]" : (host == "0.0.0.0" ? "127.0.0.1" : host)
        let outcome = ServeOutcome()
        let finished = DispatchSemaphore(value: 0)
        Task {
            do {
                try await server.run { boundPort in
                    let base = "http://\(shownHost):\(boundPort)/"
                    // On every interface, the class follows at this machine's network addresses.
                    let everywhere = host == "0.0.0.0"
                    let followers = everywhere ? NetworkAddresses.ipv4().map { "http://\($0):\(boundPort)/" } : []
                    Console.line("""
                        Serving \(name): \(document.cells.count) cells, \(page.slides) slides.
                          Presenter (runs cells): \(base)?token=\(token)
                          Followers (read-only):  \(([base] + followers).joined(separator: "  "))
                        Ctrl-C stops the server.
                        """)
                    if !LoopbackHost.isLoopback(address: host) {
                        Console.warning("listening on \(host): anyone who can reach this machine can follow the lesson")
                    }
                }
            } catch {
                outcome.error = error
            }
            finished.signal()
        }
        finished.wait()
        if let error = outcome.error {
            Console.stderr("lesson serve: \(error)")
            throw ExitCode(2)
        }
        Console.line("Stopped.")
    }
}

extension Serve {
    /// `lesson worker` with this lesson's options: how the server starts a host of forks.
    func workerLaunch(notebook: URL, folder: URL) -> WorkerLaunch {
        let executable = SelfExecutable.path
        var arguments = ["worker", notebook.path, "--seed", String(session.inputs.seed), "--scratch", folder.path,
                         "--fork-memory", forkMemory, "--time-limit", String(forkTimeLimit)]
        for param in session.inputs.params { arguments += ["--param", param] }
        if let data = session.inputs.dataDirectory { arguments += ["--data", data] }
        if student { arguments.append("--student") }
        return WorkerLaunch(executable: executable, arguments: arguments)
    }
}

/// What the server's task ended with, read after it signalled.
private final class ServeOutcome: Sendable {
    private let stored = Mutex<(any Error)?>(nil)

    var error: (any Error)? {
        get { stored.withLock { $0 } }
        set { stored.withLock { $0 = newValue } }
    }
}
