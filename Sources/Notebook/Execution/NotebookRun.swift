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
    /// The prose's inline expressions that were evaluated (or taken from the cache), by place.
    public var inlineValues: [InlineKey: InlineResult]

    public init(outcomes: [CellOutcome], params: [(name: String, value: String)], warnings: [String],
                setupErrors: [String], cancelled: Bool, startedAt: Date, duration: TimeInterval,
                inlineValues: [InlineKey: InlineResult] = [:]) {
        self.outcomes = outcomes
        self.params = params
        self.warnings = warnings
        self.setupErrors = setupErrors
        self.cancelled = cancelled
        self.startedAt = startedAt
        self.duration = duration
        self.inlineValues = inlineValues
    }

    /// The inline expressions that failed, rendered compiler-style, in document order.
    public var inlineErrors: [String] {
        inlineValues.sorted { ($0.key.blockLine, $0.key.ordinal) < ($1.key.blockLine, $1.key.ordinal) }
            .compactMap { if case .failed(_, let rendered) = $0.value { return rendered } else { return nil } }
    }

    /// The exit-code decision: no stopping error, no missing expected error, no failed inline
    /// value, not cancelled.
    public var succeeded: Bool {
        !cancelled && setupErrors.isEmpty && !outcomes.contains { $0.failsRun } && inlineErrors.isEmpty
    }

    public static func == (lhs: NotebookRun, rhs: NotebookRun) -> Bool {
        lhs.outcomes == rhs.outcomes
            && lhs.params.map(\.name) == rhs.params.map(\.name)
            && lhs.params.map(\.value) == rhs.params.map(\.value)
            && lhs.warnings == rhs.warnings && lhs.setupErrors == rhs.setupErrors
            && lhs.cancelled == rhs.cancelled && lhs.startedAt == rhs.startedAt
            && lhs.duration == rhs.duration && lhs.inlineValues == rhs.inlineValues
    }
}
