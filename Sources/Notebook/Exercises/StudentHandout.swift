/// The student's copy of a lesson: the same Markdown, with each solution cell's code replaced by
/// a placeholder the student writes over.
///
/// Only the solution cells' lines change, and any `hidden-check` line elsewhere goes; every other
/// byte of the file (front matter, prose, other cells) is copied as it is. A solution cell keeps its option lines (label, checks,
/// timeout, ...) except `solution:`, and gains `//| exercise: N` so `lesson grade` can match the
/// student's answer to the lesson's exercise.
public enum StudentHandout {
    /// - Parameters:
    ///   - document: the lesson, parsed from `text`.
    ///   - text: the lesson file's text.
    ///   - answers: code to put in exercises' cells in place of the placeholder, by exercise number
    ///     (a student's answers file); the caller makes sure no line of it closes a fence.
    /// - Returns: the handout's Markdown.
    public static func text(of document: NotebookDocument, text: String, answers: [Int: String] = [:]) -> String {
        var lines = NotebookDocument.lines(of: text).map(String.init)
        let original = NotebookDocument.lines(of: text)
        // From the last cell up, so replacing one cell's lines never moves the ones still to do;
        // a cell's lines end where the next exercise's fence starts at the latest, so the
        // ranges never overlap whatever the file holds.
        var end = original.count
        let numbers = document.exerciseNumbers
        for cell in document.cells.sorted(by: { $0.fenceLine > $1.fenceLine }) {
            let at = CellLines(cell: cell, lines: original)
            let start = min(at.options.lowerBound, end)
            let number = numbers[cell.index]
            // Another cell keeps its code; only a stray `hidden-check` line goes (the parser ignores it).
            let stop = number == nil ? min(max(at.options.upperBound, start), end) : min(max(at.code.upperBound, start), end)
            let kept = original[start..<min(at.options.upperBound, stop)].filter { line in
                let key = CellLines.optionKey(line)
                return key != "solution" && key != "exercise" && key != "hidden-check"
            }
            if let number {
                let code = answers[number].map(CellRewrite.tidy) ?? placeholder(number)
                lines.replaceSubrange(start..<stop, with: ["//| exercise: \(number)"] + kept.map(String.init) + [code])
            } else {
                lines.replaceSubrange(start..<stop, with: kept.map(String.init))
            }
            end = max(min(cell.fenceLine - 1, start), 0)
        }
        return lines.joined(separator: "\n")
    }

    /// The code a handout's exercise cell starts with.
    public static func placeholder(_ number: Int) -> String {
        "// Exercise \(number): write your code here."
    }
}
