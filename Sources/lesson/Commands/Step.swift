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

              Enter, n   run this cell and move on
              s          skip this cell
              r          run the previous cell again
              b          go back one cell (undoing it)
              g N        go to cell N
              a N        run cell N again now (later cells it changes are stale)
              u          run every stale cell again, in order
              e, e N     edit this cell (or cell N, already passed) and run it
              E, E N     back to the lesson's code
              p NAME     show a value
              l          list the cells
              q          quit (? lists the commands)

            `e` opens the cell's code in $VISUAL, else $EDITOR (a command line: `code --wait` works), \
            else the first of editor, nano, vim, vi; what you save runs in place of the cell's code \
            for this session (the notebook file is not changed). An editor that fails, or saves \
            nothing, leaves the cell as it was.

            With --student, each exercise (a `//| solution: true` cell) shows its number, label and \
            checks, never the lesson's solution. `e` writes your answer; it runs at once and its \
            checks print ✓ or ✗ as `lesson grade` judges them (hidden checks are not run here). An \
            answer that does not pass keeps you at the exercise. Once judged, an answer is set aside \
            and the lesson's solution runs unseen in its place, as grading does, so the rest of the \
            lesson runs as taught (from the cache when it can): print in your answer what you want \
            to see of it. Moving on without an answer (s, or g past it) runs the lesson's solution \
            unseen too. Every answer is saved \
            at once to <lesson>.answers.md beside the lesson (or --answers FILE), the file \
            `lesson grade` takes, and loaded again the next time. The lesson file itself holds the \
            solutions: student mode hides them from view, it does not lock them away.

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

    @Flag(help: "Step as a student: exercises instead of solutions, answers checked and saved.")
    var student = false

    @Option(help: ArgumentHelp("With --student: keep the answers in this file (default: <lesson>.answers.md "
                               + "beside the lesson).", valueName: "file"))
    var answers: String?

    func validate() throws {
        if let width, width < 20 { throw ValidationError("--width must be at least 20") }
        if answers != nil, !student { throw ValidationError("--answers goes with --student") }
    }

    func run() throws {
        let setup = try SteppingSetup(notebook: notebook, options: session, student: student)
        let (document, executor, stepper) = (setup.document, setup.executor, setup.stepper)
        let store = student ? try loadAnswers(setup) : nil
        let interactive = isatty(STDIN_FILENO) == 1
        let colour = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        let style = TerminalStyle(width: width ?? Self.terminalWidth(), colour: colour)

        let display = RunDisplay(cellCount: document.cells.count, transcript: true,
                                 liveStatus: isatty(STDERR_FILENO) == 1, printsHeaders: false)
        executor.onCellOutput = { cell, text in display.cellWrote(cell, text) }
        executor.onCellFigure = { cell, figure in display.cellDisplayed(cell, figure) }
        executor.onCellProgress = { _, report in display.cellProgressed(report) }

        let editor = CellEditor(environment: ProcessInfo.processInfo.environment, terminal: interactive)
        let session = StepSession(document: document, stepper: stepper, display: display, style: style,
                                  echoCommands: !interactive, editor: editor, answers: store)
        let interrupts = CellInterrupts(stepper: stepper)
        session.onRunning = { interrupts.running = $0 }
        session.onEditing = { interrupts.editing = $0 }
        session.loop()
        withExtendedLifetime(interrupts) {}
    }

    /// The student's answers file, with the answers saved so far put in place of their
    /// exercises' solutions. Exit 2 when it cannot be read as answers: it is never written over.
    private func loadAnswers(_ setup: SteppingSetup) throws -> AnswerStore {
        let path = answers ?? AnswerStore.defaultPath(for: notebook)
        let store = AnswerStore(url: URL(fileURLWithPath: path), name: path, lesson: setup.document, lessonText: setup.text)
        let exercises = setup.document.exercises
        if exercises.isEmpty {
            Console.warning("\(notebook) has no exercises (no `//| solution: true` cell): nothing to answer.")
        }
        let saved: [Int: String]
        do throws(AnswerStore.Failure) {
            saved = try store.load()
        } catch {
            Console.stderr("error: \(error.description)")
            throw ExitCode(2)
        }
        for exercise in exercises {
            if let code = saved[exercise.number] { setup.stepper.edit(exercise.cell.index - 1, code: code) }
        }
        if !saved.isEmpty {
            let numbers = saved.keys.sorted().map(String.init).joined(separator: ", ")
            Console.stderr("Your answers to exercise\(saved.count == 1 ? "" : "s") \(numbers) are back from \(path).")
        }
        return store
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
    private let isEditing = Atomic<Bool>(false)
    private var source: DispatchSourceSignal?

    var running: Bool {
        get { isRunning.load(ordering: .sequentiallyConsistent) }
        set { isRunning.store(newValue, ordering: .sequentiallyConsistent) }
    }

    /// While the editor runs, Ctrl-C is the editor's business.
    var editing: Bool {
        get { isEditing.load(ordering: .sequentiallyConsistent) }
        set { isEditing.store(newValue, ordering: .sequentiallyConsistent) }
    }

    init(stepper: NotebookStepper) {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [self] in
            if editing { return }
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
