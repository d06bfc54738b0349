import Foundation
import Notebook

/// What the report's footer says about a run: facts only the caller (the CLI) knows, injected so
/// that a report rendered twice from the same run is byte-for-byte the same.
public struct ReportFacts: Sendable {
    /// A parameter value the cells saw.
    public struct Param: Equatable, Sendable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// A data file the run read, with its SHA-256 as lowercase hex, so a reader can tell
    /// which corpus produced the numbers.
    public struct DataFile: Equatable, Sendable {
        public var name: String
        public var sha256: String

        public init(name: String, sha256: String) {
            self.name = name
            self.sha256 = sha256
        }
    }

    /// When the run started; shown as ISO 8601 in UTC.
    public var date: Date
    /// Seconds the whole run took.
    public var duration: TimeInterval
    /// The `lesson` version that ran the cells.
    public var engineVersion: String
    /// Parameter values in declaration order (overrides applied).
    public var params: [Param]
    /// The random seed, when the run set one.
    public var seed: UInt64?
    public var dataFiles: [DataFile]
    /// The command line that produced the report, when known.
    public var command: String?
    /// The run's exit-code decision (`NotebookRun.succeeded`).
    public var succeeded: Bool
    /// Whether the user interrupted the run.
    public var cancelled: Bool
    /// Non-fatal problems (an undeclared `--param`, parser warnings).
    public var warnings: [String]
    /// Problems that failed the run before any cell ran (a param that could not be bound).
    public var setupErrors: [String]

    public init(date: Date = Date(timeIntervalSince1970: 0), duration: TimeInterval = 0, engineVersion: String = "",
                params: [Param] = [], seed: UInt64? = nil, dataFiles: [DataFile] = [], command: String? = nil,
                succeeded: Bool = true, cancelled: Bool = false, warnings: [String] = [],
                setupErrors: [String] = []) {
        self.date = date
        self.duration = duration
        self.engineVersion = engineVersion
        self.params = params
        self.seed = seed
        self.dataFiles = dataFiles
        self.command = command
        self.succeeded = succeeded
        self.cancelled = cancelled
        self.warnings = warnings
        self.setupErrors = setupErrors
    }

    /// One word for the run's end: `succeeded`, `failed` or `interrupted`.
    public var resultText: String {
        if cancelled { return "interrupted" }
        return succeeded ? "succeeded" : "failed"
    }
}

extension ReportFacts {
    /// The facts a finished run already knows (start, duration, params, result, warnings,
    /// setup errors); the caller adds what only it knows.
    /// - Parameters:
    ///   - warnings: more warnings to list after the run's own (the notebook parser's, say).
    public init(run: NotebookRun, engineVersion: String, seed: UInt64? = nil, dataFiles: [DataFile] = [],
                command: String? = nil, warnings: [String] = []) {
        self.init(date: run.startedAt, duration: run.duration, engineVersion: engineVersion,
                  params: run.params.map { Param(name: $0.name, value: $0.value) }, seed: seed,
                  dataFiles: dataFiles, command: command, succeeded: run.succeeded, cancelled: run.cancelled,
                  warnings: run.warnings + warnings, setupErrors: run.setupErrors)
    }
}
