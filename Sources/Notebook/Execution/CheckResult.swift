/// How one `//| check:` of a cell came out, evaluated after the cell ran without error.
public struct CheckResult: Equatable, Sendable {
    /// The expression as written in the option.
    public var expression: String
    /// Notebook-file line and column of the expression.
    public var line: Int
    public var column: Int
    /// True only when the expression's value was the Bool `true`.
    public var passed: Bool
    /// Why it failed, as a sentence fragment a student can read ("is false", "is 3, not true or
    /// false", "raised an error: ..."); nil when it passed.
    public var message: String?

    public init(expression: String, line: Int, column: Int, passed: Bool, message: String? = nil) {
        self.expression = expression
        self.line = line
        self.column = column
        self.passed = passed
        self.message = message
    }

    /// `check `total == 10` failed: is false`, or `... passed`.
    public var summary: String {
        "check `\(expression)` " + (passed ? "passed" : "failed: \(message ?? "not true")")
    }
}
