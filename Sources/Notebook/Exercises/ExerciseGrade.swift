/// How one exercise of a graded run came out.
public struct ExerciseGrade: Equatable, Sendable {
    public enum Result: String, Equatable, Sendable {
        /// The answer ran and every check passed.
        case passed
        /// The answer ran but a check failed.
        case failed
        /// No answer: the student's file has no `//| exercise: N` cell with code.
        case notAttempted = "not attempted"
        /// The answer raised an error (syntax, unsupported Swift, or at run time).
        case error
        /// An earlier cell stopped the run before this exercise (or the lesson does not run
        /// its cell: `eval: false`).
        case notRun = "not run"
    }

    public var number: Int
    public var label: String?
    public var result: Result
    /// What to look at: the first failing check, the error (located in the student's file) or
    /// why the exercise did not run; nil when it passed or was not attempted.
    public var detail: String?
    /// Every check of the exercise as it came out.
    public var checks: [CheckResult]
}

extension GradingPlan {
    /// One grade per exercise, in order, from the outcomes of the graded run (`executor()`).
    public func grades(_ outcomes: [CellOutcome]) -> [ExerciseGrade] {
        slots.map { slot in
            let outcome = outcomes.first { $0.cell.index == slot.exercise.cell.index }
            var grade = ExerciseGrade(number: slot.exercise.number, label: slot.exercise.cell.options.label,
                                      result: .passed, detail: nil, checks: outcome?.checks ?? [])
            guard slot.answer != nil else {
                grade.result = .notAttempted
                return grade
            }
            switch outcome?.status {
            case .ran?, .missingExpectedError?:
                let failed = outcome?.failedChecks ?? []
                if !failed.isEmpty {
                    grade.result = .failed
                    grade.detail = failed.map(\.summary).joined(separator: "; ")
                }
            case .failed?, .expectedFailure?:
                grade.result = .error
                grade.detail = outcome?.renderedDiagnostics.first ?? "the answer raised an error"
            case .skipped?:
                grade.result = .notRun
                grade.detail = "not run (the lesson's cell is marked `eval: false`)"
            case .notRun?, nil:
                grade.result = .notRun
                grade.detail = "not run (an earlier cell failed)"
            }
            return grade
        }
    }
}
