import CellScript

/// Stepping as a student (`forStudent`): which cells are exercises, how an answer is judged, and
/// what is kept of a solution that runs unseen.
extension NotebookStepper {
    /// Whether the session before cell `index` (one reached) is what the lesson's own cells
    /// give: none skipped, edited or run again before it. Only then is a student's answer there
    /// judged on the session grading judges it on.
    public func followsLesson(before index: Int) -> Bool {
        index >= firstPosition && index <= position && onPath[index]
    }

    /// Whether cell `index` is an exercise for a student stepping (a solution cell).
    public func isExercise(_ index: Int) -> Bool {
        forStudent && cells.indices.contains(index) && cells[index].options.solution
    }

    /// Whether cell `index`, run now, runs the lesson's solution unseen: an exercise without an
    /// answer, or one the student skips.
    public func runsUnseen(_ index: Int) -> Bool {
        isExercise(index) && (edits[index] == nil || skipping == index)
    }

    /// The exercise number (from 1) of cell `index`, if it is a solution cell.
    public func exerciseNumber(ofCell index: Int) -> Int? {
        exerciseNumbers[index]
    }

    /// Runs a student's answer to exercise `index` in the session as it stands and judges it as
    /// grading does (`runAnswer`: the solution cell's options, under `error: allow`, without
    /// its hidden checks), then puts the session back as it was: grading sets every answer
    /// aside for the lesson's solution, so the cells after it run as the lesson teaches them
    /// (and on the cache's path), and the next exercise is judged where grading judges it.
    /// - Parameter before: the session as it stands (taken by the caller, who keeps it).
    func judgeAnswer(_ index: Int, from before: SessionSnapshot) -> CellOutcome {
        defer { executor.restore(before) }
        var answer = cell(index)
        answer.options.checks.removeAll(where: \.hidden)
        answer.options.error = .allow
        answer.options.timeoutSeconds = cells[index].options.timeoutSeconds ?? answerTimeLimit
        let name = "exercise \(exerciseNumber(ofCell: index) ?? 0) (your answer)"
        return executor.runAnswer(answer, inPlaceOf: cells[index], file: name, source: answer.source, before: before)
    }

    /// Whether a cell ran to its end (its checks aside).
    static func ranThrough(_ outcome: CellOutcome) -> Bool {
        switch outcome.status {
        case .ran, .expectedFailure: return true
        case .failed, .missingExpectedError, .skipped, .notRun: return false
        }
    }

    /// What a student may learn of a solution that ran unseen: whether it ran, and its errors
    /// (a solution that raises is the lesson's fault), never what it printed, showed or made.
    static func unseen(_ outcome: CellOutcome) -> CellOutcome {
        var kept = outcome
        kept.output = ""
        kept.pieces = []
        kept.displayedValue = nil
        kept.checks = []
        return kept
    }

    /// A student runs their answer to the current exercise: it is judged; when it passes, the
    /// lesson's solution takes its place (`runCurrent`) and the stepper moves on; when it does not,
    /// the stepper stays at the exercise with the session as it was, to try again (its outcome
    /// is kept for the listing). False when it did not pass.
    func answerCurrent(willRun: (Cell) -> Void, onOutcome: (CellOutcome) -> Void) -> Bool {
        guard let cell = current else { return true }
        willRun(cell)
        let before = executor.snapshot()
        let judged = judgeAnswer(position, from: before)
        guard judged.passesAsAnswer else {
            executionCount += 1
            states[position] = .ran(judged)
            onOutcome(judged)
            return false
        }
        guard let outcome = runCurrent(judged: (judged, before)) else { return true }
        onOutcome(outcome)
        return true
    }
}
