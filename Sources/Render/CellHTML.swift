import Figures
import Notebook

/// One cell of the report: prompt, highlighted source, outputs in the order they were written,
/// the displayed value, and errors in place.
struct CellHTML {
    /// True when the run was interrupted, so not-run cells say why.
    let cancelled: Bool
    let audience: ReportAudience
    /// Exercise numbers of the solution cells, by cell index.
    let exerciseNumbers: [Int: Int]
    /// Numbers the page's figures so SVG ids (gradients) are unique.
    private(set) var figureCount = 0
    /// Starts every figure's SVG id, so fragments rendered apart stay unique on one page.
    private let figurePrefix: String

    init(cancelled: Bool, audience: ReportAudience = .instructor, exerciseNumbers: [Int: Int] = [:],
         figurePrefix: String = "svg_") {
        self.cancelled = cancelled
        self.audience = audience
        self.exerciseNumbers = exerciseNumbers
        self.figurePrefix = figurePrefix
    }

    /// A cell's code, highlighted, in its `pre.source` box (`extraClass` added to the box's classes).
    static func source(_ code: String, extraClass: String? = nil) -> String {
        let classes = extraClass.map { "source \($0)" } ?? "source"
        return "<pre class=\"\(classes)\" tabindex=\"0\"><code class=\"language-swift\">" + SwiftHighlighter.html(for: code)
            + "</code></pre>\n"
    }

    /// The anchor of the cell at 1-based position `index`.
    static func anchor(_ index: Int) -> String { "cell-\(index)" }

    /// Appends the cell's `<section>`. `outcome` is nil when the run never reached the cell.
    /// `echo: false` hides the source; `output: false` hides what the cell wrote and its value,
    /// but not the error of a cell that failed the run, so the report never hides why it stopped.
    /// A solution cell (`solution: true`) is an exercise placeholder for students, and for
    /// instructors the usual cell with its source and outputs collapsed and its checks marked.
    mutating func render(cell: Cell, outcome: CellOutcome?, number: Int?, into html: inout String) {
        let exercise = exerciseNumbers[cell.index]
        if let exercise, audience == .student {
            ExerciseHTML.placeholder(cell: cell, number: exercise, into: &html)
            return
        }
        let status = outcome?.status ?? .notRun
        let checksClass = outcome?.failedChecks.isEmpty == false ? " checks-failed" : ""
        html += "<section class=\"cell status-\(Self.statusClass(status))\(checksClass)\" id=\"\(Self.anchor(cell.index))\">\n"
        html += "<div class=\"cell-head\"><span class=\"prompt\">\(ExecutionNumbers.inPrompt(number)):</span>"
        if let label = cell.options.label, !label.isEmpty {
            html += " <span class=\"cell-label\">\(HTML.escape(label))</span>"
        }
        if let outcome, ExecutionNumbers.didRun(outcome.status) {
            html += " <span class=\"duration\">\(NumberText.duration(outcome.duration))</span>"
        }
        if let outcome, outcome.fromCache {
            let when = outcome.startedAt.map { " · ran " + NumberText.isoDate($0) } ?? ""
            html += " <span class=\"cached\">from the cache\(HTML.escape(when))</span>"
        }
        html += "</div>\n"
        if let exercise {
            html += "<details class=\"solution\"><summary>"
            html += ExerciseHTML.solutionSummary(number: exercise, label: cell.options.label)
            html += "</summary>\n"
        }
        if cell.options.echo { html += Self.source(cell.source) }
        if let note = outcome == nil ? "not run" : StatusText.notRunNote(status, cancelled: cancelled) {
            html += "<p class=\"cell-note\">\(HTML.escape(note))</p>\n"
        }
        if let outcome {
            renderOutputs(outcome, number: number, into: &html)
        }
        if exercise != nil { html += "</details>\n" }
        ExerciseHTML.checkList(cell: cell, results: outcome?.checks ?? [], into: &html)
        html += "</section>\n"
    }

    private mutating func renderOutputs(_ outcome: CellOutcome, number: Int?, into html: inout String) {
        let body = outputsBody(outcome, number: number)
        guard !body.isEmpty else { return }
        html += "<div class=\"outputs\">\n"
        html += body
        html += "</div>\n"
    }

    /// What the cell wrote, its figures, its value and its errors, as the report shows them
    /// inside the cell's outputs box; empty when there is nothing to show.
    mutating func outputsBody(_ outcome: CellOutcome, number: Int?) -> String {
        let showOutput = outcome.cell.options.output
        var body = ""
        if showOutput {
            for piece in outcome.pieces {
                switch piece {
                case .text(let text):
                    OutputHTML.pre(text, cssClass: "stream", into: &body)
                case .figure(let figure):
                    figureCount += 1
                    body += FigureSVG.html(figure, id: "\(figurePrefix)\(figureCount)", alt: outcome.cell.options.alt)
                }
            }
            if let value = outcome.displayedValue {
                body += "<div class=\"out\"><span class=\"prompt\">\(ExecutionNumbers.outPrompt(number)):</span>\n"
                OutputHTML.pre(value, cssClass: "value", into: &body)
                body += "</div>\n"
            }
        }
        renderErrors(outcome, showOutput: showOutput, into: &body)
        return body
    }

    private func renderErrors(_ outcome: CellOutcome, showOutput: Bool, into html: inout String) {
        let diagnostics = outcome.renderedDiagnostics
        switch outcome.status {
        case .failed:
            let label = outcome.cell.options.error == .allow ? "Error (allowed: the run went on)" : "Error"
            html += "<p class=\"error-label\">\(label)</p>\n"
            let texts = diagnostics.isEmpty ? ["the cell raised an error"] : diagnostics
            for text in texts { OutputHTML.pre(text, cssClass: "error", into: &html) }
        case .expectedFailure:
            guard showOutput else { return }
            html += "<p class=\"error-label expected\">Expected error</p>\n"
            for text in diagnostics { OutputHTML.pre(text, cssClass: "error expected", into: &html) }
        case .missingExpectedError:
            html += "<p class=\"error-label\">Missing expected error</p>\n"
            let texts = diagnostics.isEmpty
                ? ["this cell is marked `error: expected` but ran without raising an error"] : diagnostics
            for text in texts { OutputHTML.pre(text, cssClass: "error", into: &html) }
        case .ran, .skipped, .notRun:
            return
        }
    }

    /// The `status-…` class suffix the stylesheet colours.
    static func statusClass(_ status: CellStatus) -> String {
        switch status {
        case .ran: return "ran"  // a failed check adds `checks-failed` beside it
        case .failed: return "failed"
        case .expectedFailure: return "expected-failure"
        case .missingExpectedError: return "missing-expected-error"
        case .skipped: return "skipped"
        case .notRun: return "not-run"
        }
    }
}
