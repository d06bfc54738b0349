/// A chart's plot area with its two axes: data coordinates to SVG ones, and the axes drawn
/// (lines, ticks, tick labels, axis labels). Line charts and scatter plots share it.
struct PlotFrame {
    var left: Double
    var right: Double
    var top: Double
    var bottom: Double
    var xAxis: ChartAxis
    var yAxis: ChartAxis

    func xPosition(_ value: Double) -> Double {
        left + xAxis.fraction(value) * (right - left)
    }

    func yPosition(_ value: Double) -> Double {
        bottom - yAxis.fraction(value) * (bottom - top)
    }

    func x(_ value: Double) -> String { NumberText.coordinate(xPosition(value)) }

    func y(_ value: Double) -> String { NumberText.coordinate(yPosition(value)) }

    /// Horizontal grid lines at the y ticks (when `grid`), both axes with their ticks and
    /// tick labels, and the axis labels (none when empty).
    func axes(xLabel: String, yLabel: String, grid: Bool) -> String {
        let (l, r, t, b) = (Int(left), Int(right), Int(top), Int(bottom))
        var svg = ""
        if grid {
            svg += "<g class=\"grid\">\n"
            for tick in yAxis.ticks {
                svg += "<line x1=\"\(l)\" x2=\"\(r)\" y1=\"\(y(tick))\" y2=\"\(y(tick))\" />\n"
            }
            svg += "</g>\n"
        }
        svg += "<g class=\"axis\">\n"
        svg += "<line x1=\"\(l)\" x2=\"\(r)\" y1=\"\(b)\" y2=\"\(b)\" />\n"
        svg += "<line x1=\"\(l)\" x2=\"\(l)\" y1=\"\(t)\" y2=\"\(b)\" />\n"
        for (tick, label) in zip(xAxis.ticks, xAxis.labels) {
            svg += "<line x1=\"\(x(tick))\" x2=\"\(x(tick))\" y1=\"\(b)\" y2=\"\(b + 5)\" />\n"
            svg += SVGText.element(label, cssClass: "tick-label", x: xPosition(tick), y: Double(b + 18), anchor: .middle)
        }
        for (tick, label) in zip(yAxis.ticks, yAxis.labels) {
            svg += "<line x1=\"\(l - 5)\" x2=\"\(l)\" y1=\"\(y(tick))\" y2=\"\(y(tick))\" />\n"
            svg += SVGText.element(label, cssClass: "tick-label", x: Double(l - 8), y: yPosition(tick), anchor: .end,
                                   centredVertically: true)
        }
        svg += "</g>\n"
        if !xLabel.isEmpty {
            svg += SVGText.element(xLabel, cssClass: "axis-label", x: (left + right) / 2, y: Double(b + 42), anchor: .middle)
        }
        if !yLabel.isEmpty {
            svg += SVGText.element(yLabel, cssClass: "axis-label", x: 18, y: (top + bottom) / 2, anchor: .middle, rotated: true)
        }
        return svg
    }
}
