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
        /// An earlier cell stopped the run before this exercise.
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
    /// The combined run's outcomes with every location pointing into the file the code came
    /// from: an answer's errors into the student's file, everything else (and all checks,
    /// which are the lesson's) into the lesson.
    /// - Parameters:
    ///   - outcomes: the outcomes of running `document`.
    ///   - lesson: the lesson's name in messages and its text.
    ///   - student: the student's file name and text.
    public func relocate(_ outcomes: [CellOutcome], lesson: (file: String, text: String),
                         student: (file: String, text: String)) -> [CellOutcome] {
        outcomes.map { outcome in
            let index = outcome.cell.index
            guard let lessonCell = lessonCells.first(where: { $0.index == index }) else { return outcome }
            var target = outcome.cell
            target.fenceLine = lessonCell.fenceLine
            if let answer = slots.first(where: { $0.combinedCell.index == index })?.answer {
                target.firstLine = answer.firstLine
                return outcome.relocated(to: target, file: student.file, source: student.text)
            }
            target.firstLine = lessonCell.firstLine
            return outcome.relocated(to: target, file: lesson.file, source: lesson.text)
        }
    }

    /// One grade per exercise, in order, from the outcomes of running `document` (relocated or not).
    public func grades(_ outcomes: [CellOutcome]) -> [ExerciseGrade] {
        slots.map { slot in
            let outcome = outcomes.first { $0.cell.index == slot.combinedCell.index }
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
            case .skipped?, .notRun?, nil:
                grade.result = .notRun
                grade.detail = "not run (an earlier cell failed)"
            }
            return grade
        }
    }
}
