import Foundation

/// The result of running a whole notebook: one outcome per cell, in order.
public struct NotebookRun: Equatable, Sendable {
    public var outcomes: [CellOutcome]
    /// The parameter values the cells saw, in declaration order (caller's overrides applied).
    public var params: [(name: String, value: String)]
    /// Problems that did not stop the run, e.g. a `--param` the notebook does not declare.
    public var warnings: [String]
    /// Diagnostics from binding the params (a value that could not be defined); they fail the run.
    public var setupErrors: [String]
    /// Whether `cancel()` stopped the run.
    public var cancelled: Bool
    public var startedAt: Date
    public var duration: TimeInterval

    /// The exit-code decision: no stopping error, no missing expected error, not cancelled.
    public var succeeded: Bool {
        !cancelled && setupErrors.isEmpty && !outcomes.contains { $0.failsRun }
    }

    public static func == (lhs: NotebookRun, rhs: NotebookRun) -> Bool {
        lhs.outcomes == rhs.outcomes
            && lhs.params.map(\.name) == rhs.params.map(\.name)
            && lhs.params.map(\.value) == rhs.params.map(\.value)
            && lhs.warnings == rhs.warnings && lhs.setupErrors == rhs.setupErrors
            && lhs.cancelled == rhs.cancelled && lhs.startedAt == rhs.startedAt
            && lhs.duration == rhs.duration
    }
}
