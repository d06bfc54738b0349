import Notebook

/// The report's last section: how, when and with what the run was made, and where its time went.
enum ReportFooter {
    /// The footer's anchor, reserved so no heading takes it.
    static let anchor = "run-facts"

    /// - Parameter rows: every cell with its outcome (nil if the run never reached it) and
    ///   execution count.
    static func html(facts: ReportFacts, rows: [(cell: Cell, outcome: CellOutcome?, number: Int?)]) -> String {
        var html = "<footer class=\"run-facts\" id=\"\(anchor)\">\n<h2>Run facts</h2>\n<dl>\n"
        func fact(_ term: String, _ value: String) {
            html += "<dt>\(term)</dt><dd>\(value)</dd>\n"
        }
        fact("Result", "<span class=\"result-\(facts.resultText)\">\(facts.resultText)</span>")
        fact("Date", "<time>\(HTML.escape(NumberText.isoDate(facts.date)))</time>")
        fact("Duration", HTML.escape(NumberText.duration(facts.duration)))
        if !facts.engineVersion.isEmpty { fact("Engine", HTML.escape(facts.engineVersion)) }
        if let command = facts.command { fact("Command", "<code>\(HTML.escape(command))</code>") }
        if let seed = facts.seed { fact("Seed", "\(seed)") }
        if !facts.params.isEmpty {
            var list = "<ul class=\"params\">"
            for param in facts.params {
                list += "<li><code>\(HTML.escape(param.name))</code> = <code>\(HTML.escape(param.value))</code></li>"
            }
            fact("Parameters", list + "</ul>")
        }
        if !facts.dataFiles.isEmpty {
            var list = "<ul class=\"data-files\">"
            for file in facts.dataFiles {
                list += "<li><code>\(HTML.escape(file.name))</code> SHA-256 <code>\(HTML.escape(file.sha256))</code></li>"
            }
            fact("Data files", list + "</ul>")
        }
        if !facts.warnings.isEmpty { fact("Warnings", bulletList(facts.warnings, cssClass: "warnings")) }
        if !facts.setupErrors.isEmpty { fact("Setup errors", bulletList(facts.setupErrors, cssClass: "setup-errors")) }
        html += "</dl>\n"
        if !rows.isEmpty { html += timeTable(rows) }
        html += "</footer>\n"
        return html
    }

    private static func bulletList(_ items: [String], cssClass: String) -> String {
        "<ul class=\"\(cssClass)\">" + items.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul>"
    }

    /// Cell, execution count, label, status and seconds, one row per cell.
    private static func timeTable(_ rows: [(cell: Cell, outcome: CellOutcome?, number: Int?)]) -> String {
        var html = "<table class=\"cell-times\">\n<caption>Time per cell</caption>\n"
        html += "<thead><tr><th>Cell</th><th>In</th><th>Label</th><th>Status</th><th>Seconds</th></tr></thead>\n<tbody>\n"
        for row in rows {
            let status = row.outcome?.status ?? .notRun
            let seconds = row.outcome.map { ExecutionNumbers.didRun($0.status) ? NumberText.seconds($0.duration) : "" } ?? ""
            html += "<tr><td class=\"number\"><a href=\"#\(CellHTML.anchor(row.cell.index))\">\(row.cell.index)</a></td>"
            html += "<td class=\"number\">\(row.number.map(String.init) ?? "")</td>"
            html += "<td>\(HTML.escape(row.cell.options.label ?? ""))</td>"
            html += "<td>\(HTML.escape(StatusText.word(status, policy: row.cell.options.error)))</td>"
            html += "<td class=\"number\">\(seconds)</td></tr>\n"
        }
        html += "</tbody>\n</table>\n"
        return html
    }
}
