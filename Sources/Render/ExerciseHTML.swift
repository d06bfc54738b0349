import Notebook

/// The parts of the report that belong to exercises: the list of checks and the student's
/// placeholder. A solution's own source and outputs are rendered by `CellHTML` inside a
/// collapsed `<details class="solution">`, for instructors only.
enum ExerciseHTML {
    /// `Solution (exercise 2: word counts)`, escaped.
    static func solutionSummary(number: Int, label: String?) -> String {
        "Solution (exercise \(number)" + (label.map { ": " + HTML.escape($0) } ?? "") + ")"
    }

    /// The checks with ✓ or ✗ and why a failed one failed. Checks that were not evaluated
    /// (the cell raised or did not run) are listed without a mark. Hidden checks are listed
    /// (marked) only for instructors: students never see them.
    static func checkList(cell: Cell, results: [CheckResult], showingHidden: Bool = true, into html: inout String) {
        guard cell.options.checks.contains(where: { showingHidden || !$0.hidden }) else { return }
        html += "<ul class=\"checks\">\n"
        for (position, check) in cell.options.checks.enumerated() where showingHidden || !check.hidden {
            let result = results.indices.contains(position) ? results[position] : nil
            let (cssClass, mark) = result.map { $0.passed ? ("check-passed", "✓") : ("check-failed", "✗") }
                ?? ("check-not-evaluated", "–")
            html += "<li class=\"\(cssClass)\"><span class=\"mark\">\(mark)</span> "
            html += "<code>\(HTML.escape(check.expression))</code>"
            if check.hidden { html += " <span class=\"check-hidden\">(hidden from students)</span>" }
            if let result, !result.passed {
                html += " <span class=\"check-message\">\(HTML.escape(result.message ?? "not true"))</span>"
            } else if result == nil {
                html += " <span class=\"check-message\">not evaluated</span>"
            }
            html += "</li>\n"
        }
        html += "</ul>\n"
    }

    /// The student's exercise in place of a solution cell: no source, no outputs, no results.
    static func placeholder(cell: Cell, number: Int, into html: inout String) {
        html += "<section class=\"cell exercise\" id=\"\(CellHTML.anchor(cell.index))\">\n"
        placeholderBody(cell: cell, number: number, into: &html)
        html += "</section>\n"
    }

    /// The exercise's title, what its code must achieve (the checks) and an empty code area.
    static func placeholderBody(cell: Cell, number: Int, into html: inout String) {
        html += "<p class=\"exercise-title\"><strong>Exercise \(number)</strong>"
        if let label = cell.options.label, !label.isEmpty { html += ": \(HTML.escape(label))" }
        html += "</p>\n"
        let shown = cell.options.checks.filter { !$0.hidden }
        if !shown.isEmpty {
            html += "<p>Write the code so that:</p>\n<ul class=\"checks\">\n"
            for check in shown {
                html += "<li><code>\(HTML.escape(check.expression))</code></li>\n"
            }
            html += "</ul>\n"
        } else {
            html += "<p>Write the code for this step.</p>\n"
        }
        html += "<pre class=\"source exercise-area\"><code class=\"language-swift\">"
        html += HTML.escape(StudentHandout.placeholder(number))
        html += "\n\n\n</code></pre>\n"
    }
}
