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

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard !host.isEmpty else { throw ValidationError("--host must name an address, e.g. 127.0.0.1") }
    }

    func run() throws {
        let setup = try SteppingSetup(notebook: notebook, options: session)
        let (document, notebookURL) = (setup.document, setup.notebookURL)
        for warning in document.warnings { Console.warning(warning.description) }

        let page = LessonPage.render(document: document, audience: student ? .student : .instructor)
        let hidden = student ? Set(document.exercises.map { $0.cell.index - 1 }) : []
        let room = LessonRoom(stepper: setup.stepper, executor: setup.executor, slideCount: page.slides,
                              hiddenCells: hidden)
        let token = LessonServer.makeToken()
        let files = LessonFiles(document: document, notebook: notebookURL)
        // Links to Markdown (other lessons) are expected not to load; anything else is worth a word.
        for skipped in files.skipped where skipped.reason != .markdown {
            Console.warning("the lesson links '\(skipped.link)', which is not served: \(skipped.reason)")
        }
        let settings = LessonServer.Settings(host: host, port: port, token: token)
        let server = LessonServer(room: room, page: page.html, files: files, settings: settings)
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

/// What the server's task ended with, read after it signalled.
private final class ServeOutcome: Sendable {
    private let stored = Mutex<(any Error)?>(nil)

    var error: (any Error)? {
        get { stored.withLock { $0 } }
        set { stored.withLock { $0 = newValue } }
    }
}
