import Notebook

/// `e` and `E` in the stepper: a cell's code, or a student's answer, in the user's editor, and
/// back to the lesson's code.
extension StepSession {
    /// The cell `e` or `E` means: the one given (from 1), or the current one; nil (with the
    /// reason shown) for a cell not reached yet or not in the lesson.
    func cellIndex(_ parts: [String], command: String) -> Int? {
        let total = stepper.cells.count
        guard parts.count > 1 else {
            if stepper.isAtEnd {
                display.show("The lesson is over: \(command) N takes cell N (1 to \(total)).\n")
                return nil
            }
            return stepper.position
        }
        guard let number = Int(parts[1].trimmingCharacters(in: .whitespaces)), number >= 1, number <= total else {
            display.show("\(command) takes the current cell, or a cell number from 1 to \(total), e.g. \(command) 3\n")
            return nil
        }
        guard number - 1 <= stepper.position else {
            display.show("Cell \(number) is not reached yet: \(command) takes the current cell or one already "
                         + "passed (g \(number) goes there first).\n")
            return nil
        }
        return number - 1
    }

    /// `e`: the cell's code (a student's answer, for an exercise) in the editor; what comes
    /// back runs in place of the cell's: now when it is the current cell, else again in place,
    /// marking the later cells it affects stale.
    func edit(_ index: Int) {
        let exercise = stepper.isExercise(index)
        let template = exercise ? exercises.answerTemplate(index) : ""
        let start = drafts[index] ?? (exercise ? stepper.edits[index] ?? template : stepper.cell(index).source)
        let number = stepper.exerciseNumber(ofCell: index) ?? 0
        onEditing(true)
        let result = editor.edit(start, name: exercise ? "exercise-\(number).swift" : "cell-\(index + 1).swift")
        onEditing(false)
        let what = exercise ? "exercise \(number)" : "cell \(index + 1)"
        var code: String
        switch result {
        case .failed(let why):
            return display.show(why + " " + style.styled("Nothing changed: \(what) is as it was.", "33") + "\n")
        case .unchanged:
            guard let draft = drafts[index] else {
                let hint = index == stepper.position ? " (Enter runs it)" : ""
                let wait = editor.waitHint().map { " If you did change it: \($0)." } ?? ""
                return display.show("No change: \(what) is as it was\(hint).\(wait)\n")
            }
            code = draft
        case .changed(let edited):
            code = edited
        }
        guard exercise else {
            stepper.edit(index, code: code)
            return run(index)
        }
        code = ExerciseText.removing(template: template, from: code)
        guard GradingPlan.hasCode(code) else {
            return display.show("Your answer has no code yet (only comments or blank lines): exercise \(number) stays "
                                + (stepper.edits[index] == nil ? "unanswered" : "as it was") + ".\n")
        }
        if let line = AnswerFile.lineEndingCell(in: code) {
            drafts[index] = code
            return display.show(style.styled("Your answer was not taken: its line \"\(line.prefix(40))\" would end the "
                                             + "exercise's cell in the answers file.", "31")
                                + " e opens your text again to change it.\n")
        }
        if let answers {
            do throws(AnswerStore.Failure) {
                try answers.save(code, exercise: number)
                drafts[index] = nil
                display.show("Saved your answer to exercise \(number) in \(answers.name).\n")
            } catch {
                drafts[index] = code
                display.show(style.styled("Your answer was not saved: \(error.description)", "31")
                             + "\nIt runs in this session; e opens it again to save it.\n")
            }
        }
        stepper.edit(index, code: code)
        run(index)
    }

    /// `E`: the cell runs the lesson's code again (a student's answer is removed, from the
    /// answers file too, and shown so nothing is lost).
    func revert(_ index: Int) {
        drafts[index] = nil
        guard let old = stepper.edits[index] else {
            let what = stepper.isExercise(index) ? "Exercise \(stepper.exerciseNumber(ofCell: index) ?? 0) has no answer to remove"
                : "Cell \(index + 1) already runs the lesson's code"
            return display.show(what + ".\n")
        }
        if stepper.isExercise(index), let number = stepper.exerciseNumber(ofCell: index) {
            if let answers {
                do throws(AnswerStore.Failure) {
                    try answers.save(nil, exercise: number)
                } catch {
                    return display.show(style.styled("The answer was kept: \(error.description)", "31") + "\n")
                }
            }
            display.show("Removed your answer to exercise \(number)" + (answers.map { " (from \($0.name) too)" } ?? "")
                         + ". It was:\n" + old + "\n")
        } else {
            display.show("Cell \(index + 1) runs the lesson's code again.\n")
        }
        stepper.edit(index, code: nil)
        run(index)
    }

    /// Runs cell `index` after an edit: the current cell runs and the stepper moves on; a cell
    /// already passed runs again in place (stale marks). An exercise without an answer now
    /// waits at the prompt (its solution never runs in view).
    private func run(_ index: Int) {
        if index < stepper.position { return step(.runAgain(index)) }
        if stepper.isExercise(index), stepper.edits[index] == nil { return showPosition() }
        step(.run)
    }
}
