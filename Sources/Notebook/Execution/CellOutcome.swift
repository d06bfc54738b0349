import CellScript
import Figures
import Foundation

/// What running one cell produced: the engine's result, never markup. Renderers and
/// the transcript decide how to show it.
public struct CellOutcome: Equatable, Sendable {
    public var cell: Cell
    public var status: CellStatus
    /// Everything the cell printed, in order (also given live to `onCellOutput`).
    public var output: String
    /// What the cell wrote with its figures (`plot`, `heatmap`) in place, in order. Its text
    /// pieces joined are `output`.
    public var pieces: [OutputPiece]
    /// The REPL-style text of the cell's value (`Out [n]`); nil when the last statement
    /// has no value or the cell did not finish.
    public var displayedValue: String?
    /// Each diagnostic as compiler-style text (`file:line:column: error: ...`, the file's
    /// line and a caret), located in the notebook file. For `.missingExpectedError` this
    /// holds one message saying the cell should have raised.
    public var renderedDiagnostics: [String]
    /// When the cell started; nil for cells that did not run.
    public var startedAt: Date?
    /// Seconds the cell took by the injected clock; 0 for cells that did not run.
    public var duration: TimeInterval
    /// True when this outcome was taken from the cell cache instead of running the cell;
    /// `startedAt` and `duration` are then from the run that computed it.
    public var fromCache = false
    /// The cell's `//| check:` results, in option order; empty when it has none or did not
    /// run to the end without an error (checks are then not evaluated).
    public var checks: [CheckResult] = []
    /// What the cell read and wrote of the session as it ran (kept in the cache with it); nil
    /// for a cell that did not run.
    public var dataFlow: CellDataFlow?

    public init(cell: Cell, status: CellStatus, output: String = "", pieces: [OutputPiece]? = nil,
                displayedValue: String? = nil, renderedDiagnostics: [String] = [], startedAt: Date? = nil,
                duration: TimeInterval = 0) {
        self.cell = cell
        self.status = status
        self.output = output
        self.pieces = pieces ?? (output.isEmpty ? [] : [.text(output)])
        self.displayedValue = displayedValue
        self.renderedDiagnostics = renderedDiagnostics
        self.startedAt = startedAt
        self.duration = duration
    }

    /// The checks that did not pass.
    public var failedChecks: [CheckResult] { checks.filter { !$0.passed } }

    /// Whether, as a student's answer, it passes as grading judges it: it ran without an error
    /// and every check it was given passed.
    public var passesAsAnswer: Bool {
        guard case .ran = status else { return false }
        return failedChecks.isEmpty
    }

    /// Whether this cell makes the run fail (an unplanned error under `error: stop`, an
    /// expected error that never came, or a failed check whatever the error policy).
    public var failsRun: Bool {
        if !failedChecks.isEmpty { return true }
        switch status {
        case .failed: return cell.options.error == .stop
        case .missingExpectedError: return true
        case .ran, .expectedFailure, .skipped, .notRun: return false
        }
    }
}
