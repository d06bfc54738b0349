/// The options a cell sets in its leading `//| key: value` lines.
public struct CellOptions: Equatable, Sendable {
    /// What a raised error means for the run.
    public enum ErrorPolicy: String, Equatable, Sendable {
        /// The default: the failing cell shows its error and later cells do not run.
        case stop
        /// `error: allow`: the error is recorded and the run goes on.
        case allow
        /// `error: expected`: the cell must raise; a cell that does not fails the run.
        case expected
    }

    /// An option key the parser does not know, kept so tools can report it.
    public struct UnknownOption: Equatable, Sendable {
        public var key: String
        public var value: String
        public var line: Int
    }

    public var label: String?
    /// Show the cell's source in the report.
    public var echo: Bool = true
    /// Run the cell at all.
    public var eval: Bool = true
    /// Show the cell's outputs in the report.
    public var output: Bool = true
    public var error: ErrorPolicy = .stop
    /// Wall-clock limit in seconds; nil means the runner's default.
    public var timeoutSeconds: Double?
    public var unknown: [UnknownOption] = []

    public init() {}
}
