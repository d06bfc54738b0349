import Notebook

/// Jupyter-style execution counts: `In [n]` numbers the cells that ran, in run order, so a
/// skipped or never-run cell leaves no gap and shows `In [ ]`.
public enum ExecutionNumbers {
    /// One entry per outcome: its execution count, or nil when the cell did not run.
    public static func assign(to outcomes: [CellOutcome]) -> [Int?] {
        var next = 1
        return outcomes.map { outcome -> Int? in
            guard didRun(outcome.status) else { return nil }
            defer { next += 1 }
            return next
        }
    }

    /// Whether the cell was executed at all (with or without an error).
    static func didRun(_ status: CellStatus) -> Bool {
        switch status {
        case .ran, .failed, .expectedFailure, .missingExpectedError: return true
        case .skipped, .notRun: return false
        }
    }

    /// `In [3]` or `In [ ]`.
    static func inPrompt(_ number: Int?) -> String {
        number.map { "In [\($0)]" } ?? "In [ ]"
    }

    /// `Out [3]` or `Out [ ]`.
    static func outPrompt(_ number: Int?) -> String {
        number.map { "Out [\($0)]" } ?? "Out [ ]"
    }
}

/// Words for a cell's status, shared by the report and the transcript so both say the same.
enum StatusText {
    /// A short word for tables: `ran`, `failed`, `expected error`, ...
    static func word(_ status: CellStatus, policy: CellOptions.ErrorPolicy) -> String {
        switch status {
        case .ran: return "ran"
        case .failed: return policy == .allow ? "failed (allowed)" : "failed"
        case .expectedFailure: return "expected error"
        case .missingExpectedError: return "missing expected error"
        case .skipped: return "skipped"
        case .notRun: return "not run"
        }
    }

    /// The sentence shown in place of outputs for cells that did not run; nil for cells that did.
    static func notRunNote(_ status: CellStatus, cancelled: Bool) -> String? {
        switch status {
        case .skipped: return "not evaluated (eval: false)"
        case .notRun:
            return cancelled ? "not run (the run was interrupted)" : "not run (the run stopped at an earlier error)"
        case .ran, .failed, .expectedFailure, .missingExpectedError: return nil
        }
    }
}
