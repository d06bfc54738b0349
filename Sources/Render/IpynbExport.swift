import Figures
import Foundation
import Notebook

/// A lesson as a Jupyter notebook (nbformat 4.5), so it travels where courses live: GitHub,
/// nbviewer, JupyterBook, a learning platform.
///
/// The prose becomes Markdown cells (the front matter is kept in the notebook's metadata), each
/// cell a code cell with its source, its execution count and its outputs from the run: what it
/// printed as a `stream`, its value as `execute_result` (`text/plain`, the numpy-style repr),
/// figures as `display_data` (`image/svg+xml`, with a text alternative), errors as `error`
/// outputs (with the located message as the traceback), checks as a `stream` of ✓/✗ lines.
/// Cell options are kept in each cell's `metadata.lesson`. The kernelspec names Swift.
public enum IpynbExport {
    /// The notebook as nbformat 4.5 JSON (keys sorted, two-space indented, a final newline).
    /// - Parameters:
    ///   - outcomes: the run's outcomes, one per cell in order (fewer: the rest not run).
    ///   - audience: `.student` leaves out solutions' code and outputs and hidden checks.
    public static func notebook(document: NotebookDocument, outcomes: [CellOutcome],
                                audience: ReportAudience = .instructor) -> String {
        let numbers = ExecutionNumbers.assign(to: outcomes)
        let exercises = document.exerciseNumbers
        var cells: [[String: Any]] = []
        var used = Set<String>()
        for block in document.blocks {
            switch block {
            case .prose(let prose):
                guard !prose.source.allSatisfy(\.isWhitespace) else { continue }
                cells.append(["cell_type": "markdown", "id": uniqueID("md-\(prose.lines.lowerBound)", &used),
                              "metadata": [String: Any](), "source": lines(prose.source)])
            case .cell(let cell):
                let position = cell.index - 1
                let outcome = outcomes.indices.contains(position) ? outcomes[position] : nil
                let number = numbers.indices.contains(position) ? numbers[position] : nil
                if let exercise = exercises[cell.index], audience == .student {
                    cells.append(exerciseCell(cell, number: exercise, used: &used))
                    continue
                }
                var metadata: [String: Any] = ["lesson": options(cell)]
                if !cell.options.echo { metadata["jupyter"] = ["source_hidden": true] }
                var code: [String: Any] = [
                    "cell_type": "code", "id": uniqueID("cell-\(cell.index)", &used), "metadata": metadata,
                    "source": lines(cell.source), "execution_count": number.map { $0 as Any } ?? NSNull(),
                ]
                code["outputs"] = outcome.map { Self.outputs($0, number: number, showingHidden: audience == .instructor) } ?? []
                cells.append(code)
            }
        }
        var lessonMetadata: [String: Any] = [:]
        if let title = document.title { lessonMetadata["title"] = title }
        if let author = document.author { lessonMetadata["author"] = author }
        if !document.params.isEmpty {
            lessonMetadata["params"] = Dictionary(document.params.map { ($0.name, $0.defaultValue) }) { first, _ in first }
        }
        var metadata: [String: Any] = [
            "kernelspec": ["name": "swift", "display_name": "Swift (lesson)", "language": "swift"],
            "language_info": ["name": "swift", "file_extension": ".swift", "mimetype": "text/x-swift"],
            "lesson": lessonMetadata,
        ]
        if let title = document.title { metadata["title"] = title }
        let notebook: [String: Any] = ["nbformat": 4, "nbformat_minor": 5, "metadata": metadata, "cells": cells]
        guard let data = try? JSONSerialization.data(withJSONObject: notebook, options: [.prettyPrinted, .sortedKeys]),
              let text = String(data: data, encoding: .utf8) else { return "{}\n" }
        return text + "\n"
    }

    /// A cell's outputs in Jupyter's terms, in the order the report shows them.
    static func outputs(_ outcome: CellOutcome, number: Int?, showingHidden: Bool) -> [[String: Any]] {
        var result: [[String: Any]] = []
        let pieces = outcome.pieces ?? (outcome.output.isEmpty ? [] : [.text(outcome.output)])
        if outcome.cell.options.output {
            var figures = 0
            for piece in pieces {
                switch piece {
                case .text(let text):
                    result.append(["output_type": "stream", "name": "stdout", "text": lines(text)])
                case .figure(let figure):
                    figures += 1
                    // Ids unique in the notebook: a page shows every output, and the figure's
                    // `aria-labelledby` must find its own title.
                    let id = "cell\(outcome.cell.index)-figure\(figures)"
                    result.append(["output_type": "display_data", "metadata": [String: Any](),
                                   "data": ["image/svg+xml": lines(svg(figure, id: id, alt: outcome.cell.options.alt)),
                                            "text/plain": [outcome.cell.options.alt ?? FigureSVG.alternative(figure)]]])
                }
            }
            if let value = outcome.displayedValue {
                result.append(["output_type": "execute_result", "execution_count": number.map { $0 as Any } ?? NSNull(),
                               "metadata": [String: Any](), "data": ["text/plain": lines(value)]])
            }
        }
        if !outcome.status.diagnostics.isEmpty {
            let first = outcome.status.diagnostics[0]
            result.append(["output_type": "error", "ename": errorName(outcome.status), "evalue": first.message,
                           "traceback": outcome.renderedDiagnostics.flatMap { $0.split(separator: "\n").map(String.init) }])
        }
        let checks = zip(outcome.cell.options.checks, outcome.checks).filter { showingHidden || !$0.0.hidden }
        if !checks.isEmpty {
            let text = checks.map { check, result in
                (result.passed ? "✓ " : "✗ ") + "check: " + check.expression
                    + (result.passed ? "" : " — " + (result.message ?? "not true"))
            }.joined(separator: "\n") + "\n"
            result.append(["output_type": "stream", "name": "stdout", "text": lines(text)])
        }
        return result
    }

    /// A solution as its exercise (student notebooks): the checks to meet and a placeholder.
    private static func exerciseCell(_ cell: Cell, number: Int, used: inout Set<String>) -> [String: Any] {
        var code = "// Exercise \(number)" + (cell.options.label.map { ": \($0)" } ?? "") + "\n"
        for check in cell.options.checks where !check.hidden { code += "// Write the code so that: \(check.expression)\n" }
        code += StudentHandout.placeholder(number)
        return ["cell_type": "code", "id": uniqueID("exercise-\(number)", &used), "execution_count": NSNull(),
                "metadata": ["lesson": ["exercise": number]], "outputs": [Any](), "source": lines(code)]
    }

    /// The cell's options as the lesson wrote them.
    private static func options(_ cell: Cell) -> [String: Any] {
        let options = cell.options
        var result: [String: Any] = [:]
        if let label = options.label { result["label"] = label }
        if !options.echo { result["echo"] = false }
        if !options.eval { result["eval"] = false }
        if !options.output { result["output"] = false }
        switch options.error {
        case .stop: break
        case .allow: result["error"] = "allow"
        case .expected: result["error"] = "expected"
        }
        if let timeout = options.timeoutSeconds { result["timeout"] = timeout }
        if options.solution { result["solution"] = true }
        if options.slide { result["slide"] = true }
        if let alt = options.alt { result["alt"] = alt }
        if let points = options.points { result["points"] = points }
        let checks = options.checks.filter { !$0.hidden }.map(\.expression)
        if !checks.isEmpty { result["check"] = checks }
        let hidden = options.checks.filter(\.hidden).map(\.expression)
        if !hidden.isEmpty { result["hidden-check"] = hidden }
        return result
    }

    private static func errorName(_ status: CellStatus) -> String {
        if case .failed(let diagnostics) = status, let first = diagnostics.first { return "\(first.phase)" }
        return "error"
    }

    /// The figure's `<svg>` alone, with the namespace a standalone SVG needs.
    static func svg(_ figure: Figure, id: String, alt: String? = nil) -> String {
        let html = FigureSVG.html(figure, id: id, alt: alt)
        guard let start = html.range(of: "<svg"), let end = html.range(of: "</svg>", options: .backwards) else { return html }
        var svg = String(html[start.lowerBound..<end.upperBound])
        if !svg.contains("xmlns=") {
            svg = svg.replacingOccurrences(of: "<svg", with: "<svg xmlns=\"http://www.w3.org/2000/svg\"", options: [.anchored])
        }
        return svg
    }

    /// Jupyter's multi-line strings: lines, each but the last keeping its newline.
    static func lines(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        for character in text {
            current.append(character)
            if character == "\n" {
                result.append(current)
                current = ""
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    /// A cell id (nbformat 4.5: 1-64 of letters, digits, `-`, `_`), unique in the notebook.
    private static func uniqueID(_ base: String, _ used: inout Set<String>) -> String {
        var id = String(base.prefix(60))
        var counter = 1
        while used.contains(id) {
            counter += 1
            id = String(base.prefix(56)) + "-\(counter)"
        }
        used.insert(id)
        return id
    }
}
