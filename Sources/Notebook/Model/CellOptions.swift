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
    /// `solution: true`: the cell is an exercise's solution. Student builds hide it and show an
    /// exercise in its place; `lesson grade` replaces it with a student's answer.
    public var solution: Bool = false
    /// `exercise: N`: in a student handout, the cell that holds the answer to exercise N.
    public var exercise: Int?
    /// `slide: true`: presentation mode starts a new slide at this cell.
    public var slide: Bool = false
    /// `check: EXPR` (and `hidden-check: EXPR`) lines, in order: what must be true after the cell ran.
    public var checks: [CellCheck] = []
    /// `alt: TEXT`: what the cell's figures show, for readers who cannot see them (instead of
    /// the summary the report writes itself).
    public var alt: String?
    /// `points: N` on a solution cell: what the exercise is worth in grading (default 1).
    public var points: Double?
    public var unknown: [UnknownOption] = []

    public init() {}
}

/// One `//| check: EXPR` option: a Swift expression over the session's globals that must be the
/// Bool `true` after its cell ran without error, e.g. `vocabulary.count == 10000`.
public struct CellCheck: Equatable, Sendable {
    /// The expression as written after `check:`.
    public var expression: String
    /// Notebook-file line of the option.
    public var line: Int
    /// 1-based column where the expression starts on that line.
    public var column: Int
    /// `check: EXPR, points: N`: this check's share of the exercise's points; nil for an equal
    /// share of what the weighted checks leave.
    public var points: Double?
    /// `hidden-check: EXPR`: run when grading (and in the instructor's runs), never shown to
    /// students: not in the student build, the handout, or a student page.
    public var hidden = false

    public init(expression: String, line: Int, column: Int, points: Double? = nil, hidden: Bool = false) {
        self.expression = expression
        self.line = line
        self.column = column
        self.points = points
        self.hidden = hidden
    }
}
