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

    typealias Point = (x: Double, y: Double)

    static func colour(_ index: Int) -> String {
        palette[index % palette.count]
    }

    static func displayName(_ series: LineChart.Series, index: Int) -> String {
        series.name.isEmpty ? "series \(index + 1)" : series.name
    }

    /// The series' drawable points: finite, and positive on a log axis.
    static func points(of series: LineChart.Series, logScale: Bool) -> [Point] {
        zip(series.x, series.y).compactMap { x, y in
            guard x.isFinite, y.isFinite, !logScale || y > 0 else { return nil }
            return (x, y)
        }
    }

    /// The `<svg>` element; `id` must be unique in the page.
    /// - Parameter title: what screen readers read (`FigureSVG.html` gives the alt text); the
    ///   chart's title and series otherwise.
    static func svg(_ chart: LineChart, id: String, title: String? = nil) -> String {
        let drawable = chart.series.map { points(of: $0, logScale: chart.logScale) }
        let all = drawable.flatMap { $0 }
        let xs = all.map(\.x)
        let ys = all.map(\.y)
        let plot = PlotFrame(
            left: plotLeft, right: plotRight, top: plotTop, bottom: plotBottom,
            xAxis: ChartAxis.linear(min: xs.min() ?? 0, max: xs.max() ?? 1),
            yAxis: chart.logScale ? ChartAxis.logarithmic(min: ys.min() ?? 1, max: ys.max() ?? 10)
                : ChartAxis.linear(min: ys.min() ?? 0, max: ys.max() ?? 1))
        let names = chart.series.enumerated().map { displayName($0.element, index: $0.offset) }
        let description = title ?? (chart.title.isEmpty ? "Line chart" : chart.title)
            + (names.isEmpty ? "" : " (" + names.joined(separator: ", ") + ")")

        var svg = ""
        svg.reserveCapacity(4096 + all.count * 16)
        svg += "<svg class=\"chart line-chart\" role=\"img\" viewBox=\"0 0 \(Int(width)) \(Int(height))\""
        svg += " width=\"\(Int(width))\" height=\"\(Int(height))\" aria-labelledby=\"\(id)-title\">\n"
        svg += "<title id=\"\(id)-title\">\(HTML.escape(description))</title>\n"
        let centreX = NumberText.coordinate((plotLeft + plotRight) / 2)
        if !chart.title.isEmpty {
            svg += "<text class=\"chart-title\" x=\"\(centreX)\" y=\"24\" text-anchor=\"middle\">\(HTML.escape(chart.title))</text>\n"
        }
        let suffix = chart.logScale ? (chart.yLabel.isEmpty ? "log scale" : " (log scale)") : ""
        svg += plot.axes(xLabel: chart.xLabel, yLabel: chart.yLabel + suffix, grid: true)
        if all.isEmpty {
            svg += "<text class=\"no-data\" x=\"\(centreX)\" y=\"\(NumberText.coordinate((plotTop + plotBottom) / 2))\""
            svg += " text-anchor=\"middle\">no data</text>\n"
        }
        appendSeries(drawable, plot: plot, into: &svg)
        // A lone unnamed series needs no legend: the title says what it is.
        if chart.series.count > 1 || chart.series.contains(where: { !$0.name.isEmpty }) {
            appendLegend(names: names, empty: drawable.map(\.isEmpty), into: &svg)
        }
        svg += "</svg>\n"
        return svg
    }

    /// One polyline per non-empty series, plus a marker per point when there are few.
    private static func appendSeries(_ drawable: [[Point]], plot: PlotFrame, into svg: inout String) {
        svg += "<g class=\"series\">\n"
        for (index, points) in drawable.enumerated() where !points.isEmpty {
            let colour = colour(index)
            svg += "<polyline class=\"series-line\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\""
            svg += " stroke-linejoin=\"round\" points=\""
            for (offset, point) in thinned(points).enumerated() {
                if offset > 0 { svg += " " }
                svg += "\(plot.x(point.x)),\(plot.y(point.y))"
            }
            svg += "\" />\n"
            guard points.count <= markerLimit else { continue }
            for point in points {
                svg += "<circle class=\"marker\" cx=\"\(plot.x(point.x))\" cy=\"\(plot.y(point.y))\" r=\"3\" fill=\"\(colour)\" />\n"
            }
        }
        svg += "</g>\n"
    }

    private static func appendLegend(names: [String], empty: [Bool], into svg: inout String) {
        guard !names.isEmpty else { return }
        svg += "<g class=\"legend\">\n"
        for (index, name) in names.enumerated() {
            let y = NumberText.coordinate(plotTop + 8 + Double(index) * 20)
            let note = index < empty.count && empty[index] ? " (no data)" : ""
            svg += "<line x1=\"\(Int(plotRight + 16))\" x2=\"\(Int(plotRight + 40))\" y1=\"\(y)\" y2=\"\(y)\""
            svg += " stroke=\"\(colour(index))\" stroke-width=\"3\" />\n"
            svg += "<text class=\"legend-label\" x=\"\(Int(plotRight + 46))\" y=\"\(y)\""
            svg += " dominant-baseline=\"middle\">\(HTML.escape(name + note))</text>\n"
        }
        svg += "</g>\n"
    }

    /// Every k-th point (and the last), so a curve of 100 000 steps stays a small page.
    private static func thinned(_ points: [Point]) -> [Point] {
        guard points.count > maximumDrawnPoints, let last = points.last else { return points }
        let stride = (points.count + maximumDrawnPoints - 1) / maximumDrawnPoints
        var result = Swift.stride(from: 0, to: points.count, by: stride).map { points[$0] }
        if result.last?.x != last.x || result.last?.y != last.y { result.append(last) }
        return result
    }
}
