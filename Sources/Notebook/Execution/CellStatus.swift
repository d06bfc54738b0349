import CellScript

/// How one cell of a run ended.
public enum CellStatus: Equatable, Sendable {
    /// The cell ran without raising.
    case ran
    /// The cell raised (syntax, unsupported construct, runtime fault, time limit or
    /// interrupt). Under `error: stop` later cells are `.notRun`.
    case failed([CellDiagnostic])
    /// The cell was marked `error: expected` and raised, as it should.
    case expectedFailure([CellDiagnostic])
    /// The cell was marked `error: expected` but ran without raising: the run fails.
    case missingExpectedError
    /// `eval: false`: shown, never run.
    case skipped
    /// An earlier cell stopped the run, or the run was cancelled before this cell.
    case notRun

    /// The diagnostics the cell raised, if any.
    public var diagnostics: [CellDiagnostic] {
        switch self {
        case .failed(let diagnostics), .expectedFailure(let diagnostics): return diagnostics
        case .ran, .missingExpectedError, .skipped, .notRun: return []
        }
    }
}
