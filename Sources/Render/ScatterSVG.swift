import Figures

/// Draws a `ScatterPlot` as inline SVG: axes with 1-2-5 ticks, a dot per point and its label
/// beside it (in a smaller type when there are many). Points with a non-finite coordinate
/// are left out and counted in the caption.
enum ScatterSVG {
    static let width = 760.0
    static let height = 560.0
    static let plotLeft = 64.0
    static let plotRight = 736.0
    static let plotTop = 44.0
    static let plotBottom = 500.0
    /// More points than this make the labels smaller.
    static let crowded = 120

    /// The `<svg>` element; `id` must be unique in the page.
    /// - Parameter title: what screen readers read; the plot's title and caption otherwise.
    static func svg(_ plot: ScatterPlot, id: String, title: String? = nil) -> String {
        let points = plot.drawable
        let xs = points.map(\.x)
        let ys = points.map(\.y)
        let frame = PlotFrame(left: plotLeft, right: plotRight, top: plotTop, bottom: plotBottom,
                              xAxis: ChartAxis.linear(min: xs.min() ?? 0, max: xs.max() ?? 1),
                              yAxis: ChartAxis.linear(min: ys.min() ?? 0, max: ys.max() ?? 1))
        let description = title ?? (plot.title.isEmpty ? "Scatter plot" : plot.title) + ": " + caption(plot)
        var svg = ""
        svg.reserveCapacity(2048 + points.count * 160)
        svg += "<svg class=\"chart scatter\" role=\"img\" viewBox=\"0 0 \(Int(width)) \(Int(height))\""
        svg += " width=\"\(Int(width))\" height=\"\(Int(height))\" aria-labelledby=\"\(id)-title\">\n"
        svg += "<title id=\"\(id)-title\">\(HTML.escape(description))</title>\n"
        if !plot.title.isEmpty {
            svg += SVGText.element(plot.title, cssClass: "chart-title", x: (plotLeft + plotRight) / 2, y: 24, anchor: .middle)
        }
        svg += frame.axes(xLabel: plot.xLabel, yLabel: plot.yLabel, grid: false)
        let labelClass = points.count > crowded ? "point-label small" : "point-label"
        svg += "<g class=\"points\">\n"
        for point in points {
            let (px, py) = (frame.xPosition(point.x), frame.yPosition(point.y))
            svg += "<circle class=\"marker\" cx=\"\(NumberText.coordinate(px))\" cy=\"\(NumberText.coordinate(py))\" r=\"2.5\" />\n"
            if !point.label.isEmpty {
                svg += SVGText.element(point.label, cssClass: labelClass, x: px + 4, y: py, centredVertically: true)
            }
        }
        svg += "</g>\n</svg>\n"
        return svg
    }

    /// What the caption says: how many points, their ranges, and any left out.
    static func caption(_ plot: ScatterPlot) -> String {
        let points = plot.drawable
        guard let xLow = points.map(\.x).min(), let xHigh = points.map(\.x).max(),
              let yLow = points.map(\.y).min(), let yHigh = points.map(\.y).max() else {
            return "no points to draw" + omitted(plot)
        }
        return "\(points.count) point\(points.count == 1 ? "" : "s"), x from \(NumberText.compact(xLow)) to"
            + " \(NumberText.compact(xHigh)), y from \(NumberText.compact(yLow)) to \(NumberText.compact(yHigh))"
            + omitted(plot)
    }

    private static func omitted(_ plot: ScatterPlot) -> String {
        let left = plot.points.count - plot.drawable.count
        return left == 0 ? "" : "; \(left) with a coordinate that is not a finite number left out"
    }
}
