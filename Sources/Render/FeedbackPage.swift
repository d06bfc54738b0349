import Foundation
import Notebook

/// A student's feedback after grading: for each exercise, their code, what it printed and
/// showed, each check passed or failed (hidden checks only counted, never shown), and the
/// points. Self-contained like the report: inline style, nothing loaded, everything escaped
/// (the code and outputs are the student's).
public enum FeedbackPage {
    /// One exercise as graded: its answer's outcome (nil when not attempted) and its grade.
    public struct Item {
        public var exercise: Exercise
        public var outcome: CellOutcome?
        public var grade: ExerciseGrade

        public init(exercise: Exercise, outcome: CellOutcome?, grade: ExerciseGrade) {
            self.exercise = exercise
            self.outcome = outcome
            self.grade = grade
        }
    }

    public static func render(lesson: NotebookDocument, student: String, items: [Item]) -> String {
        let title = "Feedback: \(student) — \(HTMLReport.pageTitle(lesson))"
        var html = HTMLReport.head(title: title, css: ReportStyle.css + "\n" + css)
        html += "<body>\n<main>\n<header class=\"report-header\"><h1>\(HTML.escape(title))</h1>\n"
        let earned = items.map(\.grade.points).reduce(0, +)
        let total = items.map(\.grade.maxPoints).reduce(0, +)
        html += "<p class=\"feedback-total\">\(points(earned)) of \(points(total)) points</p>\n</header>\n"
        for item in items {
            html += "<section class=\"cell exercise feedback result-\(item.grade.result.rawValue.replacingOccurrences(of: " ", with: "-"))\">\n"
            html += "<h2>\(HTML.escape(item.exercise.title))</h2>\n"
            html += "<p class=\"feedback-grade\"><strong>\(HTML.escape(item.grade.result.rawValue))</strong> · "
            html += "\(points(item.grade.points)) of \(points(item.grade.maxPoints)) points</p>\n"
            guard let outcome = item.outcome else {
                html += "<p class=\"cell-note\">No answer: the cell still held the exercise's placeholder.</p>\n</section>\n"
                continue
            }
            html += CellHTML.source(outcome.cell.source)
            html += LessonPage.outputs(outcome, number: nil, figurePrefix: "f\(item.exercise.number)_", forStudents: true)
            let hidden = zip(outcome.cell.options.checks, outcome.checks).filter { $0.0.hidden }
            if !hidden.isEmpty {
                let passed = hidden.filter { $0.1.passed }.count
                html += "<p class=\"hidden-checks\">Hidden checks: \(passed) of \(hidden.count) passed.</p>\n"
            }
            html += "</section>\n"
        }
        html += "</main>\n</body>\n</html>\n"
        return html
    }

    /// The page of a submission that could not be graded: why.
    public static func notGraded(lesson: NotebookDocument, student: String, reason: String) -> String {
        let title = "Feedback: \(student) — \(HTMLReport.pageTitle(lesson))"
        return HTMLReport.head(title: title, css: ReportStyle.css + "\n" + css)
            + "<body>\n<main>\n<header class=\"report-header\"><h1>\(HTML.escape(title))</h1></header>\n"
            + "<p class=\"error\">Your submission was not graded: \(HTML.escape(reason))</p>\n</main>\n</body>\n</html>\n"
    }

    /// `2`, `1.5`: points as people write them.
    public static func points(_ value: Double) -> String {
        if let whole = Int(exactly: value) { return String(whole) }
        guard value.isFinite else { return value.isNaN ? "?" : (value < 0 ? "-∞" : "∞") }
        var text = String(format: "%.2f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    static let css = """
        .feedback-total { font-size: 1.2rem; font-weight: 600; }
        .feedback-grade { margin: 0.2rem 0 0.5rem; }
        .feedback.result-passed { border-left: 4px solid #2e7d32; }
        .feedback.result-failed, .feedback.result-error { border-left: 4px solid var(--error-fg); }
        .hidden-checks { color: var(--muted); }
        """
}
