import CellScript
import Foundation
import Notebook
import Render

/// The stepper's conversation: show what leads to the current cell, read a command, act.
final class StepSession {
    private let document: NotebookDocument
    let stepper: NotebookStepper
    let display: RunDisplay
    let style: TerminalStyle
    private let echoCommands: Bool
    /// Opens a cell's code in the user's editor (`e`).
    let editor: CellEditor
    /// Where a student's answers go (`--student`); nil when not stepping as a student.
    let answers: AnswerStore?
    /// Code that an edit brought back but that could not be taken (a fence in an answer, an
    /// answers file that could not be written): the next `e` of that cell opens it again.
    var drafts: [Int: String] = [:]
    /// How exercises read for a student.
    let exercises: ExerciseText
    /// Whether the running cell is a lesson's solution running unseen.
    private var runningUnseen = false
    /// For each cell (by position), the prose blocks between the previous cell and it;
    /// the last entry is the prose after the last cell.
    private let proseBefore: [[ProseBlock]]
    /// Called with true while a cell runs, false after.
    var onRunning: (Bool) -> Void = { _ in }
    /// Called with true while the editor runs, false after.
    var onEditing: (Bool) -> Void = { _ in }
    /// How many of the stepper's cache warnings have been shown.
    private var cacheWarningsShown = 0

    init(document: NotebookDocument, stepper: NotebookStepper, display: RunDisplay, style: TerminalStyle,
         echoCommands: Bool, editor: CellEditor, answers: AnswerStore?) {
        self.document = document
        self.stepper = stepper
        self.display = display
        self.style = style
        self.echoCommands = echoCommands
        self.editor = editor
        self.answers = answers
        exercises = ExerciseText(stepper: stepper, style: style)
        var groups: [[ProseBlock]] = [[]]
        for block in document.blocks {
            switch block {
            case .prose(let prose): groups[groups.count - 1].append(prose)
            case .cell: groups.append([])
            }
        }
        proseBefore = groups
    }

    /// Reads commands until `q` or the end of input.
    func loop() {
        showPosition()
        while true {
            display.show(prompt())
            guard let line = readLine(strippingNewline: true) else {
                display.show("\n")
                return farewell()
            }
            if echoCommands { display.show(line + "\n") }
            let command = line.trimmingCharacters(in: .whitespaces)
            if command == "q" || command == "quit" { return farewell() }
            perform(command)
        }
    }

    /// What stays of the session: where the answers are, or which edits go with it.
    private func farewell() {
        if let answers {
            let answered = stepper.edits.keys.filter(stepper.isExercise).count
            let total = document.exercises.count
            guard answered > 0 else { return }
            display.show("Your answers (\(answered) of \(total) exercise\(total == 1 ? "" : "s")) are in \(answers.name); "
                         + "lesson step --student opens them again.\n")
            return
        }
        let edited = stepper.edits.keys.sorted().map { String($0 + 1) }
        if !edited.isEmpty {
            let cells = edited.count == 1 ? "edit of cell \(edited[0]) was" : "edits of cells \(edited.joined(separator: ", ")) were"
            display.show("The \(cells) for this session only: the notebook file is unchanged.\n")
        }
    }

    private func prompt() -> String {
        let total = stepper.cells.count
        return stepper.isAtEnd ? "[end] > " : "[\(stepper.position + 1)/\(total)] > "
    }

    private func perform(_ command: String) {
        let parts = command.split(separator: " ", maxSplits: 1).map(String.init)
        switch parts.first ?? "" {
        case "", "n", "next":
            step(.run)
        case "s", "skip":
            step(.skip)
        case "r", "rerun":
            step(.rerun)
        case "b", "back":
            step(.back)
        case "g", "go":
            guard let number = Int((parts.count > 1 ? parts[1] : "").trimmingCharacters(in: .whitespaces)),
                  number >= 1, number <= stepper.cells.count + 1 else {
                return display.show("g needs a cell number from 1 to \(stepper.cells.count), e.g. g 3\n")
            }
            step(.goTo(number - 1))
        case "a", "again":
            guard let number = Int((parts.count > 1 ? parts[1] : "").trimmingCharacters(in: .whitespaces)),
                  number >= 1, number <= stepper.cells.count else {
                return display.show("a needs a cell number from 1 to \(stepper.cells.count), e.g. a 3\n")
            }
            step(.runAgain(number - 1))
        case "u", "update":
            step(.runStale)
        case "e", "edit":
            if let index = cellIndex(parts, command: "e") { edit(index) }
        case "E", "revert":
            if let index = cellIndex(parts, command: "E") { revert(index) }
        case "p", "print":
            let name = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
            guard !name.isEmpty else { return display.show("p needs a name, e.g. p model\n") }
            display.show((stepper.displayValue(of: name) ?? "no value named '\(name)' (has its cell run?)") + "\n")
        case "l", "list":
            display.show(listing())
        case "?", "h", "help":
            display.show(Self.help)
        default:
            display.show("unknown command '\(command)'; ? lists the commands\n")
        }
    }

    /// Carries out a move by the stepper's rules, showing each cell it runs, then where it stands.
    func step(_ command: StepCommand) {
        let before = stepper.position
        // Going forward over several cells, each gets a header as it starts.
        let headed: Bool
        switch command {
        case .goTo(let target): headed = target > before
        case .runAgain, .runStale: headed = true
        default: headed = false
        }
        do {
            let reached = try stepper.perform(command, willRun: { [self] cell in
                if stepper.runsUnseen(cell.index - 1) { return willRunUnseen(cell) }
                if headed {
                    display.show(Transcript.cellHeader(cell, number: stepper.executionCount + 1, total: stepper.cells.count) + "\n")
                }
                willRun(cell)
            }, onOutcome: { [self] outcome in didRun(outcome) })
            switch command {
            case .back:
                display.show("Back to cell \(stepper.position + 1); the session is as it was before it.\n")
            case .goTo(let target) where target < before:
                display.show("Back to cell \(target + 1); the session is as it was before it.\n")
            case .goTo where !reached:
                display.show("Stopped at cell \(stepper.position): it failed.\n")
            case .runAgain, .runStale:
                display.show(staleSummary())
                return
            case .run where stepper.isExercise(before) && stepper.position == before:
                // An answer that does not pass keeps the student at the exercise.
                let number = stepper.exerciseNumber(ofCell: before) ?? 0
                display.show("Still on exercise \(number): e edits your answer, Enter runs it again, "
                             + "s moves on without it (the lesson's solution then runs unseen).\n")
                return
            default:
                break
            }
            showPosition()
        } catch {
            display.show(explain(error, of: command))
        }
    }

    /// A refusal in the stepper's words, with the keys that help.
    private func explain(_ refusal: StepRefusal, of command: StepCommand) -> String {
        switch (refusal, command) {
        case (.unanswered(let index), _):
            let number = stepper.exerciseNumber(ofCell: index) ?? 0
            return "Exercise \(number) has no answer yet: e writes one in your editor, s moves on without it "
                + "(the lesson's solution then runs unseen, so later cells work).\n"
        case (.atEnd, .skip): return "Nothing left to skip.\n"
        case (.atEnd, _): return "The lesson is over: b goes back, g N goes to a cell, q quits.\n"
        default: return refusal.description + "\n"
        }
    }

    /// Which cells are stale and why, after a cell ran again in place.
    private func staleSummary() -> String {
        guard !stepper.stale.isEmpty else { return "No cell is stale: every output shown still holds.\n" }
        let items = stepper.stale.sorted { $0.key < $1.key }.map { index, names in
            "cell \(index + 1) (\(names.sorted().map(CellDataFlow.readableName).joined(separator: ", ")) changed)"
        }
        return style.styled("Stale: " + items.joined(separator: ", "), "33") + ". u runs them again.\n"
    }

    private func willRun(_ cell: Cell) {
        display.cellStarted(cell, number: stepper.executionCount + 1)
        onRunning(true)
    }

    /// A student moving on without an answer: the lesson's solution runs, nothing of it shown.
    private func willRunUnseen(_ cell: Cell) {
        runningUnseen = true
        let number = stepper.exerciseNumber(ofCell: cell.index - 1) ?? 0
        display.show(style.styled("Exercise \(number): the lesson's solution runs unseen, so later cells work.", "2") + "\n")
        onRunning(true)
    }

    private func didRun(_ outcome: CellOutcome) {
        onRunning(false)
        if runningUnseen {
            runningUnseen = false
            if outcome.failsRun || !outcome.renderedDiagnostics.isEmpty {
                display.show(style.styled("The lesson's own solution raised an error there: later cells may fail "
                                          + "(tell your teacher).", "31") + "\n")
            }
        } else {
            display.cellFinished(outcome, cancelled: false)
            let index = outcome.cell.index - 1
            if stepper.isExercise(index), stepper.edits[index] != nil {
                display.show(exercises.verdict(outcome))
                if stepper.unseenFailure == index {
                    display.show(style.styled("The lesson's own solution, run after your answer so that later cells "
                                              + "work, did not run through: later cells may fail (b, then Enter, runs it again).", "31") + "\n")
                }
                if !stepper.followsLesson(before: index) {
                    display.show(style.styled("(Cells before it were edited, skipped or run again, so this session is "
                                              + "not the lesson's: grading, which runs the lesson's own cells, may judge "
                                              + "the answer differently.)", "2") + "\n")
                }
            }
        }
        for warning in stepper.cacheWarnings.dropFirst(cacheWarningsShown) { Console.warning(warning) }
        cacheWarningsShown = stepper.cacheWarnings.count
    }

    /// The prose that leads to the current cell, then the cell itself.
    func showPosition() {
        var text = ""
        let values = stepper.inlineValues(before: stepper.position)
        for block in proseBefore[min(stepper.position, proseBefore.count - 1)] {
            let rendered = TerminalMarkdown.render(block.substitutingInline(values), style: style)
            if !rendered.isEmpty { text += "\n" + rendered }
        }
        if stepper.isExercise(stepper.position) {
            text += exercises.heading(stepper.position)
        } else if let cell = stepper.current {
            let number = "cell \(cell.index)/\(stepper.cells.count)"
            let label = cell.options.label.map { " · \($0)" } ?? ""
            let note = (cell.options.eval ? "" : " · eval: false (n runs it anyway)")
                + (stepper.edits[stepper.position] == nil ? "" : " · edited (E goes back to the lesson's code)")
            text += "\n" + style.styled("── In [ ] · \(number)\(label)\(note) ──", "2") + "\n"
            text += SwiftHighlighter.ansi(for: cell.source, colour: style.colour) + "\n"
        } else {
            text += "\nEnd of the lesson: \(stepper.cells.count) cells. b goes back, q quits.\n"
        }
        display.show(text)
    }

    private func listing() -> String {
        var lines: [String] = []
        for (index, cell) in stepper.cells.enumerated() {
            let mark: String
            switch stepper.states[index] {
            case .pending: mark = " "
            case .skipped: mark = "-"
            case .ran where stepper.solvedUnseen.contains(index):
                mark = "s"
            case .ran(let outcome):
                switch outcome.status {
                case .ran where !outcome.failedChecks.isEmpty: mark = "✗"
                case .ran, .expectedFailure: mark = "✓"
                default: mark = "✗"
                }
            }
            let pointer = index == stepper.position ? "→" : " "
            let firstLine = stepper.cell(index).source.split(separator: "\n").first.map(String.init) ?? ""
            var title = cell.options.label ?? String(firstLine.prefix(50))
            if let number = stepper.exerciseNumber(ofCell: index), stepper.isExercise(index) {
                // Never a line of the solution.
                title = "Exercise \(number)" + (cell.options.label.map { ": \($0)" } ?? "")
                    + (stepper.edits[index] == nil ? "" : " (answered)")
            } else if stepper.edits[index] != nil {
                title += " (edited)"
            }
            let staleNote = stepper.stale[index].map { names in
                style.styled("  ~ stale: " + names.sorted().map(CellDataFlow.readableName).joined(separator: ", ") + " changed", "33")
            } ?? ""
            lines.append("\(pointer) \(mark) \(String(format: "%3d", index + 1))  \(title)\(staleNote)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static let help = """
        Enter, n   run this cell and move on
        s          skip this cell
        r          run the previous cell again (from the state before it)
        b          go back one cell (the session returns to how it was before it)
        g N        go to cell N (running the cells in between)
        a N        run cell N again now, in the session as it stands; later cells that
                   read what it changes are marked stale
        u          run every stale cell again, in order
        p NAME     show a value
        e, e N     edit this cell (or cell N, already passed) in $VISUAL or $EDITOR, then
                   run what you saved in its place; in --student mode, answer an exercise
        E, E N     back to the lesson's code (--student: remove your answer)
        l          list the cells (✓ ran, ✗ failed, - skipped, s solution ran unseen,
                   → next, ~ stale)
        q          quit
        ?          this help

        """
}
