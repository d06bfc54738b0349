import ArgumentParser
import CellScript
import Dispatch
import Engine
import Foundation
import Notebook
import Render
import Synchronization

/// `lesson step`: a lesson one cell at a time in the terminal.
struct Step: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Step through a notebook cell by cell.",
        discussion: """
            Shows the prose that leads to each cell, then the cell, then waits for a command:

              Enter, n   run this cell and move on      s       skip this cell
              r          run the previous cell again    b       go back one cell (undoing it)
              g N        go to cell N                   p NAME  show a value
              l          list the cells                 q       quit        ?  help
              a N        run cell N again now (later cells it changes are marked stale)
              u          run every stale cell again, in order

            Going back restores the session as it was before that cell (from memory, nothing \
            is re-run); going forward runs the cells in between. Ctrl-C stops a running cell, \
            not the stepper. Inline values in the prose (`{swift} expr`) are shown as the session \
            stands when the stepper reaches them. With standard input not a terminal, commands are read line by line \
            (so `printf 'n\\nn\\nq\\n' | lesson step lesson.md` works) and the end of input quits. \
            Colour is used on a terminal unless NO_COLOR is set.
            """)

    @ArgumentParser.Argument(help: ArgumentHelp("The notebook (a Markdown file).", valueName: "notebook"))
    var notebook: String

    @OptionGroup var session: SteppingOptions

    @Option(help: "Wrap prose to this many columns (default: the terminal's width, else 80).")
    var width: Int?

    func validate() throws {
        if let width, width < 20 { throw ValidationError("--width must be at least 20") }
    }

    func run() throws {
        let setup = try SteppingSetup(notebook: notebook, options: session)
        let (document, executor, stepper) = (setup.document, setup.executor, setup.stepper)
        let interactive = isatty(STDIN_FILENO) == 1
        let colour = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        let style = TerminalStyle(width: width ?? Self.terminalWidth(), colour: colour)

        let display = RunDisplay(cellCount: document.cells.count, transcript: true,
                                 liveStatus: isatty(STDERR_FILENO) == 1, printsHeaders: false)
        executor.onCellOutput = { cell, text in display.cellWrote(cell, text) }
        executor.onCellFigure = { cell, figure in display.cellDisplayed(cell, figure) }
        executor.onCellProgress = { _, report in display.cellProgressed(report) }

        let session = StepSession(document: document, stepper: stepper, display: display, style: style,
                                  echoCommands: !interactive)
        let interrupts = CellInterrupts(stepper: stepper)
        session.onRunning = { interrupts.running = $0 }
        session.loop()
        withExtendedLifetime(interrupts) {}
    }

    static func terminalWidth() -> Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return min(Int(size.ws_col), 100) }
        return 80
    }
}

/// Ctrl-C while a cell runs interrupts that cell; at the prompt it only says how to quit.
private final class CellInterrupts: @unchecked Sendable {
    // @unchecked: `source` is set once, in `init`, and only kept alive after; `isRunning` is atomic.
    private let isRunning = Atomic<Bool>(false)
    private var source: DispatchSourceSignal?

    var running: Bool {
        get { isRunning.load(ordering: .sequentiallyConsistent) }
        set { isRunning.store(newValue, ordering: .sequentiallyConsistent) }
    }

    init(stepper: NotebookStepper) {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [self] in
            if running {
                FileHandle.standardError.write(Data("\ninterrupt: stopping this cell\n".utf8))
                stepper.interruptRunningCell()
            } else {
                FileHandle.standardError.write(Data("\n(q and Enter quit the stepper)\n".utf8))
            }
        }
        source.resume()
        self.source = source
    }
}
