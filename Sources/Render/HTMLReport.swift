import Foundation
import Notebook

/// A notebook and its run as one self-contained HTML5 page: prose, cells with `In [n]` /
/// `Out [n]`, outputs, figures as inline SVG, errors in place, and a footer of run facts.
///
/// The page references nothing outside itself: no fonts, stylesheets or scripts by URL, no
/// remote images (their alt text stands in), and external links shown as text. It reads the
/// same in light and dark themes, and prints cleanly.
public enum HTMLReport {
    /// Renders the report.
    /// - Parameters:
    ///   - document: the parsed notebook; its blocks give the page's order.
    ///   - outcomes: one per cell that the run reached, matched to cells by `Cell.index`; cells
    ///     without one are shown as not run.
    ///   - facts: what the footer says about the run.
    ///   - audience: `.instructor` (everything, solutions collapsed) or `.student` (solutions
    ///     replaced by exercises; see `ReportAudience`).
    /// - Returns: the whole HTML file.
    ///   - inlineValues: the values of the prose's `{swift} expr` spans (`NotebookRun.inlineValues`);
    ///     a span without one shows as its code, marked not evaluated.
    public static func render(document: NotebookDocument, outcomes: [CellOutcome], facts: ReportFacts,
                              audience: ReportAudience = .instructor,
                              inlineValues: [InlineKey: InlineResult] = [:]) -> String {
        let rows = cellRows(document: document, outcomes: outcomes)
        var reserved: Set<String> = [ReportFooter.anchor]
        for row in rows { reserved.insert(CellHTML.anchor(row.cell.index)) }
        let anchors = HeadingAnchors(document: document, reserved: reserved)
        let titleHeading = leadingTitleHeading(document)
        let title = pageTitle(document)
        var byIndex: [Int: (outcome: CellOutcome?, number: Int?)] = [:]
        for row in rows { byIndex[row.cell.index] = (row.outcome, row.number) }

        var html = ""
        let outputSize = outcomes.reduce(0) { $0 + $1.output.utf8.count + ($1.displayedValue?.utf8.count ?? 0) }
        html.reserveCapacity(32_768 + outputSize * 3)
        html += head(title: title, css: ReportStyle.css)
        html += "<body>\n"
        html += "<header class=\"report-header\">\n<h1>\(HTML.escape(title))</h1>\n"
        if let author = document.author, !author.isEmpty {
            html += "<p class=\"author\">\(HTML.escape(author))</p>\n"
        }
        html += banner(facts: facts, rows: rows)
        html += anchors.tableOfContentsHTML()
        html += "</header>\n<main>\n"
        var prose = MarkdownHTML(allowRawHTML: document.allowRawHTML, headingIDs: anchors.ids, inlineValues: inlineValues)
        var cells = CellHTML(cancelled: facts.cancelled, audience: audience, exerciseNumbers: document.exerciseNumbers)
        for (position, block) in document.blocks.enumerated() {
            switch block {
            case .prose(let block):
                prose.render(block, skippingTitle: position == 0 && titleHeading != nil, into: &html)
            case .cell(let cell):
                let entry = byIndex[cell.index]
                cells.render(cell: cell, outcome: entry?.outcome, number: entry?.number, into: &html)
            }
        }
        html += "</main>\n"
        html += ReportFooter.html(facts: facts, rows: rows)
        html += "<script>\n\(ReportStyle.script)\n</script>\n</body>\n</html>\n"
        return html
    }

    /// The start of an HTML5 page up to `</head>`: charset, viewport, light and dark, the title
    /// and the inline stylesheet.
    static func head(title: String, css: String) -> String {
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            + "<meta name=\"color-scheme\" content=\"light dark\">\n"
            + "<title>\(HTML.escape(title))</title>\n<style>\n\(css)\n</style>\n</head>\n"
    }

    /// The front matter's title, else the leading `#` heading, else the file's name.
    static func pageTitle(_ document: NotebookDocument) -> String {
        document.title.flatMap { $0.isEmpty ? nil : $0 } ?? leadingTitleHeading(document)?.plainText
            ?? documentTitle(document)
    }

    /// A `#` heading that opens the lesson (before any cell or other prose) is its title: the
    /// header shows it (or the front matter's title), so the body does not repeat it.
    static func leadingTitleHeading(_ document: NotebookDocument) -> MarkdownNode? {
        guard case .prose(let block)? = document.blocks.first, let first = block.nodes.first,
              case .heading(level: 1) = first.kind else { return nil }
        return first
    }

    /// The document's title, else its file name, else "Notebook".
    static func documentTitle(_ document: NotebookDocument) -> String {
        if let title = document.title, !title.isEmpty { return title }
        if let file = document.file, !file.isEmpty { return URL(fileURLWithPath: file).lastPathComponent }
        return "Notebook"
    }

    /// Every cell of the document with its outcome (matched by index) and execution count.
    static func cellRows(document: NotebookDocument, outcomes: [CellOutcome])
        -> [(cell: Cell, outcome: CellOutcome?, number: Int?)] {
        let numbers = ExecutionNumbers.assign(to: outcomes)
        var byIndex: [Int: (CellOutcome, Int?)] = [:]
        for (outcome, number) in zip(outcomes, numbers) where byIndex[outcome.cell.index] == nil {
            byIndex[outcome.cell.index] = (outcome, number)
        }
        return document.cells.map { cell in
            let entry = byIndex[cell.index]
            return (cell, entry?.0, entry?.1)
        }
    }

    /// A notice at the top of a failed or interrupted run, linking to the cell to look at.
    static func banner(facts: ReportFacts, rows: [(cell: Cell, outcome: CellOutcome?, number: Int?)]) -> String {
        guard facts.cancelled || !facts.succeeded else { return "" }
        var html = "<div class=\"banner\" role=\"alert\">\n<strong>"
        html += facts.cancelled ? "The run was interrupted." : "The run failed."
        html += "</strong>\n"
        let failing = rows.first { $0.outcome?.failsRun == true }
            ?? rows.first { if case .failed? = $0.outcome?.status { return true } else { return false } }
        if let failing {
            let what: String
            if let check = failing.outcome?.failedChecks.first {
                what = "failed its check <code>\(HTML.escape(check.expression))</code>"
            } else if case .missingExpectedError? = failing.outcome?.status {
                what = "did not raise the error it expects"
            } else {
                what = "raised an error"
            }
            html += " <a href=\"#\(CellHTML.anchor(failing.cell.index))\">\(cellName(failing.cell))</a> \(what)."
        } else if facts.cancelled, let stopped = rows.first(where: { $0.outcome?.status == .notRun || $0.outcome == nil }) {
            html += " It stopped before <a href=\"#\(CellHTML.anchor(stopped.cell.index))\">\(cellName(stopped.cell))</a>."
        }
        if !facts.setupErrors.isEmpty {
            html += " Parameters could not be set up: see <a href=\"#\(ReportFooter.anchor)\">the run facts</a>."
        }
        html += "\n</div>\n"
        return html
    }

    /// `Cell 4 (train)`, escaped.
    private static func cellName(_ cell: Cell) -> String {
        let label = cell.options.label.map { " (\(HTML.escape($0)))" } ?? ""
        return "Cell \(cell.index)\(label)"
    }
}
