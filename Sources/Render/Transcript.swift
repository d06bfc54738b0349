import Figures
import Notebook

/// The plain-text form of a run, for when stdout is not a terminal (logs, CI): the same content
/// as the HTML report, with figures as one-line summaries and sparklines.
public enum Transcript {
    /// Block characters from lowest to highest.
    static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    /// Longer series are averaged down to this many characters in a figure summary.
    static let sparklineWidth = 40

    /// A rule naming the cell, e.g. `── In [3] · cell 3/12 · train ──`.
    /// - Parameters:
    ///   - number: the execution count, nil for a cell that did not run (`In [ ]`).
    ///   - total: how many cells the notebook has.
    public static func cellHeader(_ cell: Cell, number: Int?, total: Int) -> String {
        var parts = [ExecutionNumbers.inPrompt(number), "cell \(cell.index)/\(total)"]
        if let label = cell.options.label, !label.isEmpty { parts.append(label) }
        return "── " + parts.joined(separator: " · ") + " ──"
    }

    /// What the cell wrote (figures as text summaries), then `Out [n]: value`, then its errors,
    /// then its checks (`✓ check: EXPR`, or `✗ check: EXPR (why)`);
    /// a one-line note for cells that did not run. Honours `output: false` like the report.
    /// Ends with a newline unless empty.
    /// - Parameters:
    ///   - number: the execution count (see `ExecutionNumbers`).
    ///   - cancelled: whether the run was interrupted, so a not-run cell says why.
    ///   - includingPieces: false when the text and figures were already shown live, so only
    ///     the value and errors remain.
    public static func outcome(_ outcome: CellOutcome, number: Int?, cancelled: Bool = false,
                               includingPieces: Bool = true) -> String {
        var text = ""
        if outcome.fromCache {
            text += "(from the cache" + (outcome.startedAt.map { "; ran " + NumberText.isoDate($0) } ?? "") + ")\n"
        }
        if let note = StatusText.notRunNote(outcome.status, cancelled: cancelled) {
            text += note + "\n"
        }
        let showOutput = outcome.cell.options.output
        if showOutput {
            for piece in outcome.pieces where includingPieces {
                switch piece {
                case .text(let output): appendLine(output, to: &text)
                case .figure(let figure): appendLine(figureSummary(figure), to: &text)
                }
            }
            if let value = outcome.displayedValue {
                let prompt = ExecutionNumbers.outPrompt(number) + ":"
                appendLine(value.contains("\n") ? prompt + "\n" + value : prompt + " " + value, to: &text)
            }
        }
        switch outcome.status {
        case .failed:
            if outcome.cell.options.error == .allow { text += "error (allowed: the run went on):\n" }
            let diagnostics = outcome.renderedDiagnostics
            for diagnostic in diagnostics.isEmpty ? ["the cell raised an error"] : diagnostics {
                appendLine(diagnostic, to: &text)
            }
        case .expectedFailure where showOutput:
            text += "expected error:\n"
            for diagnostic in outcome.renderedDiagnostics { appendLine(diagnostic, to: &text) }
        case .missingExpectedError:
            let diagnostics = outcome.renderedDiagnostics
            for diagnostic in diagnostics.isEmpty
                ? ["this cell is marked `error: expected` but ran without raising an error"] : diagnostics {
                appendLine(diagnostic, to: &text)
            }
        case .ran, .expectedFailure, .skipped, .notRun:
            break
        }
        for check in outcome.checks {
            text += check.passed ? "✓ check: \(check.expression)\n"
                : "✗ check: \(check.expression) (\(check.message ?? "not true"))\n"
        }
        return text
    }

    /// One block character per value, scaled between the smallest and largest finite value;
    /// a space for NaN or infinity; the middle level for a constant series.
    public static func sparkline(_ values: [Double]) -> String {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else {
            return String(repeating: " ", count: values.count)
        }
        var line = ""
        line.reserveCapacity(values.count * 3)
        for value in values {
            guard value.isFinite else {
                line.append(" ")
                continue
            }
            let level = high > low ? Int(((value - low) / (high - low) * Double(levels.count - 1)).rounded()) : 3
            line.append(levels[min(max(level, 0), levels.count - 1)])
        }
        return line
    }

    /// `[line chart] title` and a line per series, or `[heatmap] title: shape, min, max`.
    public static func figureSummary(_ figure: Figure) -> String {
        switch figure {
        case .lineChart(let chart):
            var lines = ["[line chart] " + (chart.title.isEmpty ? "(untitled)" : chart.title)
                + (chart.logScale ? " (log y)" : "")]
            for (index, series) in chart.series.enumerated() {
                lines.append("  " + seriesSummary(series, index: index))
            }
            return lines.joined(separator: "\n")
        case .heatmap(let map):
            let range = map.range
            return "[heatmap] " + (map.title.isEmpty ? "(untitled)" : map.title)
                + ": \(map.rows) × \(map.columns), min \(NumberText.compact(range.min)),"
                + " max \(NumberText.compact(range.max))"
        case .scatter(let plot):
            return "[scatter] " + (plot.title.isEmpty ? "(untitled)" : plot.title) + ": " + ScatterSVG.caption(plot)
        }
    }

    /// `name: first → last (min m)  ▇▆▄▃▂▁`, over the series' finite values.
    static func seriesSummary(_ series: LineChart.Series, index: Int) -> String {
        let name = LineChartSVG.displayName(series, index: index)
        let finite = series.y.filter(\.isFinite)
        guard let first = finite.first, let last = finite.last, let low = finite.min() else {
            return "\(name): no data"
        }
        return "\(name): \(NumberText.compact(first)) → \(NumberText.compact(last))"
            + " (min \(NumberText.compact(low)))  " + sparkline(averaged(finite, to: sparklineWidth))
    }

    /// `values` averaged in consecutive buckets down to at most `width` values.
    static func averaged(_ values: [Double], to width: Int) -> [Double] {
        guard values.count > width, width > 0 else { return values }
        return (0..<width).map { bucket in
            let start = bucket * values.count / width
            let end = max((bucket + 1) * values.count / width, start + 1)
            let slice = values[start..<min(end, values.count)]
            return slice.reduce(0, +) / Double(slice.count)
        }
    }

    private static func appendLine(_ line: String, to text: inout String) {
        guard !line.isEmpty else { return }
        text += line
        if !line.hasSuffix("\n") { text += "\n" }
    }
}
