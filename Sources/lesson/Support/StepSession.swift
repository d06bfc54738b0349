import CellScript
import Foundation
import Notebook
import Render

/// The stepper's conversation: show what leads to the current cell, read a command, act.
final class StepSession {
    private let document: NotebookDocument
    private let stepper: NotebookStepper
    private let display: RunDisplay
    private let style: TerminalStyle
    private let echoCommands: Bool
    /// For each cell (by position), the prose blocks between the previous cell and it;
    /// the last entry is the prose after the last cell.
    private let proseBefore: [[ProseBlock]]
    /// Called with true while a cell runs, false after.
    var onRunning: (Bool) -> Void = { _ in }
    /// How many of the stepper's cache warnings have been shown.
    private var cacheWarningsShown = 0

    init(document: NotebookDocument, stepper: NotebookStepper, display: RunDisplay, style: TerminalStyle,
         echoCommands: Bool) {
        self.document = document
        self.stepper = stepper
        self.display = display
        self.style = style
        self.echoCommands = echoCommands
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
                return
            }
            if echoCommands { display.show(line + "\n") }
            let command = line.trimmingCharacters(in: .whitespaces)
            if command == "q" || command == "quit" { return }
            perform(command)
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
    private func step(_ command: StepCommand) {
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
            default:
                break
            }
            showPosition()
        } catch {
            display.show(Self.explain(error, of: command))
        }
    }

    /// A refusal in the stepper's words, with the keys that help.
    private static func explain(_ refusal: StepRefusal, of command: StepCommand) -> String {
        switch (refusal, command) {
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

    private func didRun(_ outcome: CellOutcome) {
        onRunning(false)
        display.cellFinished(outcome, cancelled: false)
        for warning in stepper.cacheWarnings.dropFirst(cacheWarningsShown) { Console.warning(warning) }
        cacheWarningsShown = stepper.cacheWarnings.count
    }

    /// The prose that leads to the current cell, then the cell itself.
    private func showPosition() {
        var text = ""
        let values = stepper.inlineValues(before: stepper.position)
        for block in proseBefore[min(stepper.position, proseBefore.count - 1)] {
            let rendered = TerminalMarkdown.render(block.substitutingInline(values), style: style)
            if !rendered.isEmpty { text += "\n" + rendered }
        }
        if let cell = stepper.current {
            let number = "cell \(cell.index)/\(stepper.cells.count)"
            let label = cell.options.label.map { " · \($0)" } ?? ""
            let note = cell.options.eval ? "" : " · eval: false (n runs it anyway)"
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
            case .ran(let outcome):
                switch outcome.status {
                case .ran, .expectedFailure: mark = "✓"
                default: mark = "✗"
                }
            }
            let pointer = index == stepper.position ? "→" : " "
            let firstLine = cell.source.split(separator: "\n").first.map(String.init) ?? ""
            let title = cell.options.label ?? String(firstLine.prefix(50))
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
        l          list the cells (✓ ran, ✗ failed, - skipped, → next, ~ stale)
        q          quit
        ?          this help

        """
}
