import Figures
import Foundation
import Notebook

/// The page `lesson serve` shows: the whole lesson with every cell waiting to run, controls
/// for the presenter, and slides for presentation mode. Outputs arrive later as fragments
/// (`LessonPage.outputs`, `.figure`), drawn exactly as the report draws them.
///
/// Like the report, the page loads nothing from elsewhere: its style and script are inline,
/// remote images show as alt text, and every text is escaped. Local images keep their
/// relative addresses, which the server answers from the lesson's folder.
///
/// Slides: the page is cut into `<section class="slide">` at every `#`/`##` heading and
/// before every cell with `//| slide: true`; in normal mode they simply follow each other.
public enum LessonPage {
    /// The tooltip of a prose value the lesson has not reached (no quotes: the page script holds it too).
    static let pendingInlineNote = "shown when the lesson reaches this point"

    /// Renders the page.
    /// With the `.student` audience, each exercise's solution shows as the exercise (what the
    /// code must achieve, an empty code area), as in the student report.
    /// - Returns: the page, and how many slides it has.
    /// - Parameter editor: CodeMirror, inlined for editing cells; nil for a plain text area.
    public static func render(document: NotebookDocument, audience: ReportAudience = .instructor,
                              editor: CodeEditorAssets? = nil) -> (html: String, slides: Int) {
        var reserved: Set<String> = []
        for cell in document.cells { reserved.insert(CellHTML.anchor(cell.index)) }
        let anchors = HeadingAnchors(document: document, reserved: reserved)
        let titleHeading = HTMLReport.leadingTitleHeading(document)
        let title = HTMLReport.pageTitle(document)

        var html = HTMLReport.head(title: title, css: ReportStyle.css + "\n" + LessonPageStyle.css
                                   + (editor.map { "\n" + $0.style } ?? ""))
        html += "<body class=\"lesson-page\">\n"
        html += toolbar(title: title, cellCount: document.cells.count)
        html += "<main id=\"lesson\">\n"
        var slides = SlideCutter()
        html += slides.open()
        html += "<header class=\"report-header slide-title\">\n<h1>\(HTML.escape(title))</h1>\n"
        if let author = document.author, !author.isEmpty {
            html += "<p class=\"author\">\(HTML.escape(author))</p>\n"
        }
        html += "</header>\n"
        var prose = MarkdownHTML(allowRawHTML: document.allowRawHTML, headingIDs: anchors.ids,
                                 pendingNote: Self.pendingInlineNote)
        let exercises = document.exerciseNumbers
        for (position, block) in document.blocks.enumerated() {
            switch block {
            case .prose(let block):
                prose.render(block, skippingTitle: position == 0 && titleHeading != nil, into: &html) { node in
                    if case .heading(let level) = node.kind, level <= 2 { return slides.cut() }
                    return ""
                }
            case .cell(let cell):
                if cell.options.slide { html += slides.cut() }
                html += cellHTML(cell, exercise: exercises[cell.index], audience: audience)
            }
        }
        html += slides.close()
        html += "</main>\n"
        if let editor { html += "<script>\n\(editor.script)\n</script>\n" }
        html += "<script>\n\(LessonPageScript.source)\n</script>\n</body>\n</html>\n"
        return (html, slides.count)
    }

    /// A finished cell's outputs as the report shows them (text, figures, value, errors, and
    /// its checks marked); empty when there is nothing to show. `figurePrefix` keeps SVG ids
    /// unique on the page.
    /// `forStudents` leaves out hidden checks.
    public static func outputs(_ outcome: CellOutcome, number: Int?, figurePrefix: String, forStudents: Bool = false)
        -> String {
        var cells = CellHTML(cancelled: false, figurePrefix: figurePrefix)
        var html = cells.outputsBody(outcome, number: number)
        ExerciseHTML.checkList(cell: outcome.cell, results: outcome.checks, showingHidden: !forStudents, into: &html)
        return html
    }

    /// A finished exercise's checks, marked, without its outputs (what students see of a
    /// solution; hidden checks left out).
    public static func checks(_ outcome: CellOutcome) -> String {
        var html = ""
        ExerciseHTML.checkList(cell: outcome.cell, results: outcome.checks, showingHidden: false, into: &html)
        return html
    }

    /// What a still-running cell has shown so far: its text as it streamed (one growing
    /// `pre.live-stream` per run of text, which the page's script appends to) and its figures.
    public static func liveOutputs(_ pieces: [OutputPiece], figurePrefix: String) -> String {
        var html = ""
        var figures = 0
        for piece in pieces {
            switch piece {
            case .text(let text):
                html += "<pre class=\"stream live-stream\">\(HTML.escape(text))</pre>"
            case .figure(let figure):
                figures += 1
                html += FigureSVG.html(figure, id: "\(figurePrefix)\(figures)")
            }
        }
        return html
    }

    /// A solution's code, highlighted, to put in place of its exercise's empty code area.
    public static func solutionSource(_ cell: Cell) -> String {
        CellHTML.source(cell.source, extraClass: "revealed")
    }

    /// Edited code, highlighted as the page shows a cell's source (`edited` marks it).
    public static func editedSource(_ code: String, edited: Bool) -> String {
        CellHTML.source(code, extraClass: edited ? "edited" : nil)
    }

    /// One figure as inline SVG, as the report draws it.
    public static func figure(_ figure: Figure, id: String) -> String {
        FigureSVG.html(figure, id: id)
    }

    /// `In [n]` (or `In [ ]` before the cell has run).
    public static func inPrompt(_ number: Int?) -> String {
        ExecutionNumbers.inPrompt(number)
    }

    /// The `status-…` class a finished cell gets, as in the report.
    public static func statusClass(_ status: CellStatus) -> String {
        CellHTML.statusClass(status)
    }

    /// The bar at the top: title, connection and role, the presenter's controls.
    private static func toolbar(title: String, cellCount: Int) -> String {
        """
        <nav class="toolbar" aria-label="Lesson controls">
        <span class="toolbar-title">\(HTML.escape(title))</span>
        <span class="position" id="position" aria-live="polite">cell 1 of \(cellCount)</span>
        <span class="controls driver-only">
        <button type="button" data-action="run" title="Run the current cell and move on (Shift+Enter)">Run</button>
        <button type="button" data-action="skip" title="Move on without running the current cell">Skip</button>
        <button type="button" data-action="back" title="Go back one cell; the session is as it was before it">Back</button>
        <button type="button" data-action="reset" title="Back to the first cell with a fresh session">Reset</button>
        <button type="button" data-action="update" title="Run every stale cell again, in order">Update stale</button>
        <button type="button" data-action="interrupt" class="stop" title="Stop the running cell">Stop</button>
        </span>
        <button type="button" id="fork" class="follower-only" title="Your own copy of the session as it stands now: edit and run cells without changing the class's">Try it from here</button>
        <span class="fork-only fork-status" id="fork-status" aria-live="polite"></span>
        <button type="button" id="download" class="fork-only" title="Download the lesson with your edits, as Markdown">Download</button>
        <button type="button" id="unfork" class="fork-only" title="Close your copy and follow the presenter again">Follow the class</button>
        <span class="presenter-only class-count" id="class-count" aria-live="polite"></span>
        <button type="button" id="present" title="Presentation mode (P); arrows move between slides">Present</button>
        <span class="role" id="role">connecting…</span>
        <span class="connection" id="connection" role="status">offline</span>
        </nav>
        <p class="notice" id="notice" role="alert" hidden></p>

        """
    }

    /// A cell waiting to run: its prompt, source, a place for live progress and the outputs.
    /// An exercise's solution is collapsed, so the class sees it only when the presenter opens it.
    private static func cellHTML(_ cell: Cell, exercise: Int?, audience: ReportAudience) -> String {
        let position = cell.index - 1
        let kind = exercise != nil && audience == .student ? "cell exercise" : "cell"
        var html = "<section class=\"\(kind) status-pending\" id=\"\(CellHTML.anchor(cell.index))\" data-cell=\"\(position)\">\n"
        html += "<div class=\"cell-head\"><span class=\"prompt\">\(ExecutionNumbers.inPrompt(nil)):</span>"
        if let label = cell.options.label, !label.isEmpty {
            html += " <span class=\"cell-label\">\(HTML.escape(label))</span>"
        }
        html += " <span class=\"cell-state\"></span>"
        html += " <span class=\"stale-mark\" hidden></span>"
        html += " <button type=\"button\" class=\"edit driver-only\" data-cell=\"\(position)\""
        html += " title=\"Edit this cell's code, then run it (Shift+Enter)\">Edit</button>"
        html += " <button type=\"button\" class=\"run-again driver-only\" data-action=\"run-again\" data-cell=\"\(position)\""
        html += " title=\"Run this cell again now, in the session as it stands; later cells it changes turn stale\">Run again</button>"
        html += " <button type=\"button\" class=\"run-to driver-only\" data-action=\"run-to\" data-cell=\"\(position)\""
        html += " title=\"Run every cell up to and including this one\">Run to here</button>"
        html += "</div>\n<div class=\"source-area\">"
        let hidesCode = exercise != nil && audience == .student
        if let exercise, audience == .student {
            ExerciseHTML.placeholderBody(cell: cell, number: exercise, into: &html)
            html += "<p class=\"presenter-only\"><button type=\"button\" class=\"reveal\" data-action=\"reveal\""
            html += " data-cell=\"\(position)\" title=\"Show this solution's code and outputs on every page\">"
            html += "Show the solution</button></p>\n"
        } else if cell.options.echo {
            if let exercise {
                html += "<details class=\"solution\"><summary>"
                html += ExerciseHTML.solutionSummary(number: exercise, label: cell.options.label)
                html += "</summary>\n"
            }
            html += CellHTML.source(cell.source)
            if exercise != nil { html += "</details>\n" }
        } else {
            html += "<p class=\"cell-note\">(source hidden)</p>\n"
        }
        html += "</div>\n"
        // The code as typed, for the editor (never a hidden solution's).
        html += "<textarea class=\"cell-code\" hidden aria-hidden=\"true\">\(hidesCode || !cell.options.echo ? "" : HTML.escape(cell.source))</textarea>\n"
        if !cell.options.eval {
            html += "<p class=\"cell-note\">not evaluated (eval: false)</p>\n"
        }
        html += "<div class=\"live\" hidden><div class=\"progress\"><div class=\"progress-bar\"></div></div>"
        html += "<span class=\"progress-text\"></span><div class=\"live-chart\"></div></div>\n"
        html += "<div class=\"outputs\"></div>\n"
        html += "</section>\n"
        return html
    }
}

/// Opens and closes the page's slide sections, numbering them from 0 (the title slide).
private struct SlideCutter {
    private(set) var count = 0

    mutating func open() -> String {
        count += 1
        return "<section class=\"slide\" data-slide=\"\(count - 1)\">\n"
    }

    /// Closes the current slide and opens the next one.
    mutating func cut() -> String {
        "</section>\n" + open()
    }

    func close() -> String {
        "</section>\n"
    }
}
