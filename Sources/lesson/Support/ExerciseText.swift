import CellScript
import Notebook
import Render

/// What a student stepping through a lesson reads about an exercise (`lesson step --student`):
/// its heading and checks, the template their editor opens, the verdict on an answer. Never a
/// line of the lesson's solution.
struct ExerciseText {
    let stepper: NotebookStepper
    let style: TerminalStyle

    /// What the editor opens for an exercise with no answer yet: its title and the checks
    /// an answer must pass, as comments (taken out again when they come back as they were).
    func answerTemplate(_ index: Int) -> String {
        let cell = stepper.cells[index]
        let number = stepper.exerciseNumber(ofCell: index) ?? 0
        var lines = ["// Exercise \(number)" + (cell.options.label.map { ": \($0)" } ?? "")]
        let checks = cell.options.checks.filter { !$0.hidden }
        if !checks.isEmpty {
            lines.append("// Your answer must make these true:")
            lines += checks.map { "//   \($0.expression)" }
        }
        lines.append("// (These comment lines are not kept. Write your code below.)")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `code` without the template's lines at its start, when they are still there as written.
    static func removing(template: String, from code: String) -> String {
        let header = CellEditor.tidy(template).split(separator: "\n", omittingEmptySubsequences: false)
        var lines = code.split(separator: "\n", omittingEmptySubsequences: false)
        guard !header.isEmpty, lines.starts(with: header) else { return code }
        lines.removeFirst(header.count)
        while let first = lines.first, first.allSatisfy(\.isWhitespace) { lines.removeFirst() }
        return lines.joined(separator: "\n")
    }

    /// One line under an answer's checks: passed, or what is left to do.
    func verdict(_ outcome: CellOutcome) -> String {
        let number = stepper.exerciseNumber(ofCell: outcome.cell.index - 1) ?? 0
        let checks = outcome.checks.count
        switch outcome.status {
        case .ran where outcome.failedChecks.isEmpty:
            let passed = checks == 0 ? "ran without an error (it has no checks to show)"
                : checks == 1 ? "passes its check" : "passes its \(checks) checks"
            return style.styled("✓ Exercise \(number) \(passed).", "32") + "\n"
        case .ran:
            let passing = checks - outcome.failedChecks.count
            return style.styled("✗ Exercise \(number): \(passing) of \(checks) checks pass.", "31") + "\n"
        default:
            return style.styled("✗ Exercise \(number): your answer raised an error, so its checks did not run.", "31") + "\n"
        }
    }

    /// An exercise as a student sees it: its number, label and checks, then their answer or
    /// what to do; never the solution.
    func heading(_ index: Int) -> String {
        let cell = stepper.cells[index]
        let number = stepper.exerciseNumber(ofCell: index) ?? 0
        let label = cell.options.label.map { " · \($0)" } ?? ""
        let answer = stepper.edits[index]
        var text = "\n" + style.styled("── Exercise \(number) · cell \(cell.index)/\(stepper.cells.count)\(label)"
                                       + (answer == nil ? "" : " · your answer") + " ──", "1") + "\n"
        if let answer { text += SwiftHighlighter.ansi(for: answer, colour: style.colour) + "\n" }
        let checks = cell.options.checks.filter { !$0.hidden }
        if !checks.isEmpty {
            text += "It must make " + (checks.count == 1 ? "this" : "these") + " true:\n"
            text += checks.map { "  • \($0.expression)\n" }.joined()
        }
        text += answer == nil
            ? "No answer yet: e writes one in your editor; s moves on without it (the lesson's solution then runs unseen).\n"
            : "Enter runs your answer and its checks · e edits it · E removes it · s moves on without it\n"
        return text
    }
}
