import Figures

/// Draws a `LineChart` as inline SVG: axes with 1-2-5 ticks (or log decades), one polyline per
/// series in its own colour, markers when a series has few points, and a legend.
/// Non-finite points (and non-positive ones on a log axis) are left out, not drawn at zero.
enum LineChartSVG {
    static let width = 640.0
    static let height = 380.0
    /// Plot area inside the SVG; the legend sits to the right of it.
    static let plotLeft = 72.0
    static let plotRight = 470.0
    static let plotTop = 44.0
    static let plotBottom = 320.0
    /// Series with at most this many points get a marker on each.
    static let markerLimit = 30
    /// Longer series are thinned to about this many points; the curve looks the same.
    static let maximumDrawnPoints = 2000

    /// Distinct colours, readable on light and dark backgrounds.
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

    static func colour(_ index: Int) -> String {
        palette[index % palette.count]
    }

    /// The series' drawable points: finite, and positive on a log axis.
    static func points(of series: LineChart.Series, logScale: Bool) -> [(x: Double, y: Double)] {
        zip(series.x, series.y).compactMap { x, y in
            guard x.isFinite, y.isFinite, !logScale || y > 0 else { return nil }
            return (x, y)
        }
    }

    /// The `<svg>` element; `id` must be unique in the page.
    static func svg(_ chart: LineChart, id: String) -> String {
        let drawable = chart.series.map { points(of: $0, logScale: chart.logScale) }
        let all = drawable.flatMap { $0 }
        let xAxis = ChartAxis.linear(min: all.map(\.x).min() ?? 0, max: all.map(\.x).max() ?? 1)
        let yAxis: ChartAxis
        if chart.logScale {
            yAxis = ChartAxis.logarithmic(min: all.map(\.y).min() ?? 1, max: all.map(\.y).max() ?? 10)
        } else {
            yAxis = ChartAxis.linear(min: all.map(\.y).min() ?? 0, max: all.map(\.y).max() ?? 1)
        }
        func px(_ x: Double) -> String {
            NumberText.coordinate(plotLeft + xAxis.fraction(x) * (plotRight - plotLeft))
        }
        func py(_ y: Double) -> String {
            NumberText.coordinate(plotBottom - yAxis.fraction(y) * (plotBottom - plotTop))
        }

        var svg = ""
        svg.reserveCapacity(4096 + all.count * 16)
        let names = chart.series.enumerated().map { displayName($0.element, index: $0.offset) }
        let description = (chart.title.isEmpty ? "Line chart" : chart.title)
            + (names.isEmpty ? "" : " (" + names.joined(separator: ", ") + ")")
        svg += "<svg class=\"chart line-chart\" role=\"img\" viewBox=\"0 0 \(Int(width)) \(Int(height))\""
        svg += " width=\"\(Int(width))\" height=\"\(Int(height))\" aria-labelledby=\"\(id)-title\">\n"
        svg += "<title id=\"\(id)-title\">\(HTML.escape(description))</title>\n"
        if !chart.title.isEmpty {
            svg += "<text class=\"chart-title\" x=\"\(NumberText.coordinate((plotLeft + plotRight) / 2))\" y=\"24\""
            svg += " text-anchor=\"middle\">\(HTML.escape(chart.title))</text>\n"
        }

        svg += "<g class=\"grid\">\n"
        for tick in yAxis.ticks {
            svg += "<line x1=\"\(Int(plotLeft))\" x2=\"\(Int(plotRight))\" y1=\"\(py(tick))\" y2=\"\(py(tick))\" />\n"
        }
        svg += "</g>\n<g class=\"axis\">\n"
        svg += "<line x1=\"\(Int(plotLeft))\" x2=\"\(Int(plotRight))\" y1=\"\(Int(plotBottom))\" y2=\"\(Int(plotBottom))\" />\n"
        svg += "<line x1=\"\(Int(plotLeft))\" x2=\"\(Int(plotLeft))\" y1=\"\(Int(plotTop))\" y2=\"\(Int(plotBottom))\" />\n"
        for (tick, label) in zip(xAxis.ticks, xAxis.labels) {
            svg += "<line x1=\"\(px(tick))\" x2=\"\(px(tick))\" y1=\"\(Int(plotBottom))\" y2=\"\(Int(plotBottom + 5))\" />\n"
            svg += "<text class=\"tick-label\" x=\"\(px(tick))\" y=\"\(Int(plotBottom + 18))\" text-anchor=\"middle\">"
            svg += "\(HTML.escape(label))</text>\n"
        }
        for (tick, label) in zip(yAxis.ticks, yAxis.labels) {
            svg += "<line x1=\"\(Int(plotLeft - 5))\" x2=\"\(Int(plotLeft))\" y1=\"\(py(tick))\" y2=\"\(py(tick))\" />\n"
            svg += "<text class=\"tick-label\" x=\"\(Int(plotLeft - 8))\" y=\"\(py(tick))\" text-anchor=\"end\""
            svg += " dominant-baseline=\"middle\">\(HTML.escape(label))</text>\n"
        }
        svg += "</g>\n"
        if !chart.xLabel.isEmpty {
            svg += "<text class=\"axis-label\" x=\"\(NumberText.coordinate((plotLeft + plotRight) / 2))\""
            svg += " y=\"\(Int(plotBottom + 42))\" text-anchor=\"middle\">\(HTML.escape(chart.xLabel))</text>\n"
        }
        if !chart.yLabel.isEmpty || chart.logScale {
            let label = chart.yLabel + (chart.logScale ? (chart.yLabel.isEmpty ? "log scale" : " (log scale)") : "")
            let centre = NumberText.coordinate((plotTop + plotBottom) / 2)
            svg += "<text class=\"axis-label\" x=\"18\" y=\"\(centre)\" text-anchor=\"middle\""
            svg += " transform=\"rotate(-90 18 \(centre))\">\(HTML.escape(label))</text>\n"
        }
        if all.isEmpty {
            svg += "<text class=\"no-data\" x=\"\(NumberText.coordinate((plotLeft + plotRight) / 2))\""
            svg += " y=\"\(NumberText.coordinate((plotTop + plotBottom) / 2))\" text-anchor=\"middle\">no data</text>\n"
        }

        svg += "<g class=\"series\">\n"
        for (index, points) in drawable.enumerated() where !points.isEmpty {
            let colour = colour(index)
            let drawn = thinned(points)
            svg += "<polyline class=\"series-line\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\""
            for (offset, point) in drawn.enumerated() {
                if offset > 0 { svg += " " }
                svg += "\(px(point.x)),\(py(point.y))"
            }
            svg += "\" />\n"
            if points.count <= markerLimit {
                for point in points {
                    svg += "<circle class=\"marker\" cx=\"\(px(point.x))\" cy=\"\(py(point.y))\" r=\"3\" fill=\"\(colour)\" />\n"
                }
            }
        }
        svg += "</g>\n"
        appendLegend(names: names, empty: drawable.map(\.isEmpty), into: &svg)
        svg += "</svg>\n"
        return svg
    }

    private static func appendLegend(names: [String], empty: [Bool], into svg: inout String) {
        guard !names.isEmpty else { return }
        svg += "<g class=\"legend\">\n"
        for (index, name) in names.enumerated() {
            let y = plotTop + 8 + Double(index) * 20
            let note = index < empty.count && empty[index] ? " (no data)" : ""
            svg += "<line x1=\"\(Int(plotRight + 16))\" x2=\"\(Int(plotRight + 40))\" y1=\"\(NumberText.coordinate(y))\""
            svg += " y2=\"\(NumberText.coordinate(y))\" stroke=\"\(colour(index))\" stroke-width=\"3\" />\n"
            svg += "<text class=\"legend-label\" x=\"\(Int(plotRight + 46))\" y=\"\(NumberText.coordinate(y))\""
            svg += " dominant-baseline=\"middle\">\(HTML.escape(name + note))</text>\n"
        }
        svg += "</g>\n"
    }

    static func displayName(_ series: LineChart.Series, index: Int) -> String {
        series.name.isEmpty ? "series \(index + 1)" : series.name
    }

    /// Every k-th point (and the last), so a curve of 100 000 steps stays a small page.
    private static func thinned(_ points: [(x: Double, y: Double)]) -> [(x: Double, y: Double)] {
        guard points.count > maximumDrawnPoints, let last = points.last else { return points }
        let stride = (points.count + maximumDrawnPoints - 1) / maximumDrawnPoints
        var result = Swift.stride(from: 0, to: points.count, by: stride).map { points[$0] }
        if result.last?.x != last.x || result.last?.y != last.y { result.append(last) }
        return result
    }
}
