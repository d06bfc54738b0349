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
    /// The points earned, and what the exercise is worth (`ExercisePoints`).
    public var points: Double = 0
    public var maxPoints: Double = 1
}

/// What an exercise is worth and how its checks share it: the solution cell's `points:`
/// (default 1); a check with `points: N` is worth N of them; the checks without share what is
/// left equally (hidden checks too). When the weighted checks ask for more than the exercise's
/// points, the exercise is worth their sum. An exercise without checks is worth its points when
/// its answer runs without an error.
public struct ExercisePoints: Equatable, Sendable {
    /// Each check's share, in the order of the cell's checks.
    public let shares: [Double]
    public let total: Double

    public init(_ cell: Cell) {
        let checks = cell.options.checks
        let weighted = checks.compactMap(\.points).reduce(0, +)
        let unweighted = checks.filter { $0.points == nil }.count
        let declared = cell.options.points ?? 1
        total = max(declared, weighted)
        let each = unweighted == 0 ? 0 : max(total - weighted, 0) / Double(unweighted)
        shares = checks.map { $0.points ?? each }
    }

    /// The points earned by an answer that ran with these check results (nil: it did not run).
    public func earned(_ results: [CheckResult]?) -> Double {
        guard let results else { return 0 }
        guard !shares.isEmpty else { return total }
        return zip(shares, results).filter { $0.1.passed }.map(\.0).reduce(0, +)
    }
}

extension GradingPlan {
    /// One grade per exercise, in order, from the outcomes of the graded run (`executor()`).
    public func grades(_ outcomes: [CellOutcome]) -> [ExerciseGrade] {
        slots.map { slot in
            let outcome = outcomes.first { $0.cell.index == slot.exercise.cell.index }
            var grade = ExerciseGrade(number: slot.exercise.number, label: slot.exercise.cell.options.label,
                                      result: .passed, detail: nil, checks: outcome?.checks ?? [])
            let worth = ExercisePoints(slot.exercise.cell)
            grade.maxPoints = worth.total
            guard slot.answer != nil else {
                grade.result = .notAttempted
                return grade
            }
            if case .ran? = outcome?.status { grade.points = worth.earned(outcome?.checks) }
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
