/// A student's answer to one exercise, as it runs in place of the lesson's solution cell.
public struct GradedAnswer: Equatable, Sendable {
    /// The lesson's solution cell (index, fence, options, checks) with the student's code as its
    /// source, `firstLine` the line that code starts on in the student's file, `error: allow`,
    /// and the answer time limit when the lesson sets no `timeout:`.
    public var cell: Cell
    /// The student's file as messages name it, and its text: the answer's diagnostics are
    /// located and quoted there.
    public var file: String
    public var text: String

    init(cell answer: Cell, from sheet: AnswerSheet, replacing solution: Cell, timeLimit: Double?) {
        var cell = solution
        cell.source = answer.source
        cell.firstLine = answer.firstLine
        cell.options.error = .allow
        cell.options.timeoutSeconds = solution.options.timeoutSeconds ?? timeLimit
        self.cell = cell
        file = sheet.file
        text = sheet.text
    }
}
