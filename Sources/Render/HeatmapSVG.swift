import Figures

/// Draws a `Heatmap` as inline SVG: one `<rect>` per drawn cell, a colour bar and labels.
/// Big matrices are averaged down to at most `maximumRows` x `maximumColumns` cells so the page
/// stays small; the caption says so.
enum HeatmapSVG {
    static let maximumRows = 64
    static let maximumColumns = 128
    static let gridLeft = 56.0
    static let gridTop = 40.0

    /// The matrix actually drawn: block averages of `factor.rows` x `factor.columns` values.
    struct Grid {
        var rows: Int
        var columns: Int
        /// Row-major, `rows * columns`; NaN where a block held no finite value.
        var values: [Double]
        var factor: (rows: Int, columns: Int)

        var isDownsampled: Bool { factor.rows > 1 || factor.columns > 1 }
    }

    /// A matrix whose fields were changed after `Heatmap.init` checked them (they are public
    /// `var`s) and no longer agree gives an empty grid rather than a trap.
    static func grid(for map: Heatmap) -> Grid {
        guard map.rows > 0, map.columns > 0, map.values.count == map.rows * map.columns else {
            return Grid(rows: 0, columns: 0, values: [], factor: (1, 1))
        }
        let rowFactor = (map.rows + maximumRows - 1) / maximumRows
        let columnFactor = (map.columns + maximumColumns - 1) / maximumColumns
        let rows = (map.rows + rowFactor - 1) / rowFactor
        let columns = (map.columns + columnFactor - 1) / columnFactor
        var values = [Double](repeating: .nan, count: rows * columns)
        for row in 0..<rows {
            for column in 0..<columns {
                var sum = 0.0
                var count = 0
                for sourceRow in (row * rowFactor)..<min((row + 1) * rowFactor, map.rows) {
                    for sourceColumn in (column * columnFactor)..<min((column + 1) * columnFactor, map.columns) {
                        let index = sourceRow * map.columns + sourceColumn
                        guard index < map.values.count else { continue }
                        let value = map.values[index]
                        if value.isFinite {
                            sum += value
                            count += 1
                        }
                    }
                }
                if count > 0 { values[row * columns + column] = sum / Double(count) }
            }
        }
        return Grid(rows: rows, columns: columns, values: values, factor: (rowFactor, columnFactor))
    }

    /// The `<svg>` element; `id` must be unique in the page (it names the colour bar's gradient).
    /// - Parameter title: what screen readers read; the map's title and shape otherwise.
    static func svg(_ map: Heatmap, id: String, title: String? = nil) -> String {
        let grid = grid(for: map)
        let scale = ColourScale(values: map.values)
        // Whole-pixel cells, so neighbours meet without hairline seams.
        let cell = max(2, min(24, 560 / Double(grid.columns), 400 / Double(grid.rows)).rounded(.down))
        let gridWidth = cell * Double(grid.columns)
        let gridHeight = cell * Double(grid.rows)
        let barLeft = gridLeft + gridWidth + 20
        let barHeight = max(gridHeight, 80)
        let width = Int(barLeft + 14 + 72)
        let height = Int(gridTop + max(gridHeight, barHeight) + 52)

        var svg = ""
        svg.reserveCapacity(1024 + grid.values.count * 72)
        let description = title ?? (map.title.isEmpty ? "Heatmap" : map.title) + " (\(map.rows) × \(map.columns))"
        svg += "<svg class=\"chart heatmap\" role=\"img\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\""
        svg += " height=\"\(height)\" aria-labelledby=\"\(id)-title\">\n"
        svg += "<title id=\"\(id)-title\">\(HTML.escape(description))</title>\n"
        if !map.title.isEmpty {
            svg += "<text class=\"chart-title\" x=\"\(NumberText.coordinate(gridLeft + gridWidth / 2))\" y=\"24\""
            svg += " text-anchor=\"middle\">\(HTML.escape(map.title))</text>\n"
        }
        svg += "<g class=\"cells\" shape-rendering=\"crispEdges\">\n"
        let side = NumberText.coordinate(cell)
        for row in 0..<grid.rows {
            let y = NumberText.coordinate(gridTop + Double(row) * cell)
            for column in 0..<grid.columns {
                let x = NumberText.coordinate(gridLeft + Double(column) * cell)
                let colour = scale.colour(grid.values[row * grid.columns + column])
                svg += "<rect class=\"hm-cell\" x=\"\(x)\" y=\"\(y)\" width=\"\(side)\" height=\"\(side)\" fill=\"\(colour)\" />\n"
            }
        }
        svg += "</g>\n"
        appendLabels(map, grid: grid, gridWidth: gridWidth, gridHeight: gridHeight, into: &svg)
        appendColourBar(scale, id: id, left: barLeft, height: barHeight, into: &svg)
        svg += "</svg>\n"
        return svg
    }

    /// The colour bar (a gradient through the scale's stops) with its end values, and 0 when
    /// the scale is diverging.
    private static func appendColourBar(_ scale: ColourScale, id: String, left: Double, height: Double,
                                        into svg: inout String) {
        svg += "<defs><linearGradient id=\"\(id)-scale\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">"
        for (offset, colour) in scale.gradientStops {
            svg += "<stop offset=\"\(NumberText.coordinate(offset * 100))%\" stop-color=\"\(colour)\" />"
        }
        svg += "</linearGradient></defs>\n"
        svg += "<rect class=\"colour-bar\" x=\"\(NumberText.coordinate(left))\" y=\"\(Int(gridTop))\" width=\"14\""
        svg += " height=\"\(NumberText.coordinate(height))\" fill=\"url(#\(id)-scale)\" />\n"
        let labelX = NumberText.coordinate(left + 18)
        let (above, below) = scale.isClipped ? ("≥ ", "≤ ") : ("", "")
        svg += "<text class=\"tick-label\" x=\"\(labelX)\" y=\"\(Int(gridTop + 4))\">\(above)\(NumberText.compact(scale.top))</text>\n"
        if scale.isDiverging {
            let middle = NumberText.coordinate(gridTop + height / 2)
            svg += "<text class=\"tick-label\" x=\"\(labelX)\" y=\"\(middle)\" dominant-baseline=\"middle\">0</text>\n"
        }
        svg += "<text class=\"tick-label\" x=\"\(labelX)\" y=\"\(NumberText.coordinate(gridTop + height))\">"
        svg += "\(below)\(NumberText.compact(scale.bottom))</text>\n"
    }

    /// Axis labels, and the first and last index of each dimension at the grid's corners.
    private static func appendLabels(_ map: Heatmap, grid: Grid, gridWidth: Double, gridHeight: Double,
                                     into svg: inout String) {
        let bottom = gridTop + gridHeight
        svg += "<g class=\"axis\">\n"
        svg += SVGText.element("0", cssClass: "tick-label", x: (gridLeft - 4).rounded(.towardZero),
                               y: (gridTop + 8).rounded(.towardZero), anchor: .end)
        if map.rows > 1 {
            svg += SVGText.element("\(map.rows - 1)", cssClass: "tick-label", x: (gridLeft - 4).rounded(.towardZero),
                                   y: bottom, anchor: .end)
        }
        svg += SVGText.element("0", cssClass: "tick-label", x: gridLeft.rounded(.towardZero), y: bottom + 14)
        if map.columns > 1 {
            svg += SVGText.element("\(map.columns - 1)", cssClass: "tick-label", x: gridLeft + gridWidth, y: bottom + 14,
                                   anchor: .end)
        }
        svg += "</g>\n"
        if !map.columnLabel.isEmpty {
            svg += SVGText.element(map.columnLabel, cssClass: "axis-label", x: gridLeft + gridWidth / 2, y: bottom + 34,
                                   anchor: .middle)
        }
        if !map.rowLabel.isEmpty {
            svg += SVGText.element(map.rowLabel, cssClass: "axis-label", x: 16, y: gridTop + gridHeight / 2,
                                   anchor: .middle, rotated: true)
        }
    }

    /// What the figure's caption says: shape, range, and any downsampling.
    static func caption(_ map: Heatmap) -> String {
        let grid = grid(for: map)
        let range = map.range
        var text = "\(map.rows) × \(map.columns) values, min \(NumberText.compact(range.min)),"
            + " max \(NumberText.compact(range.max))."
        let scale = ColourScale(values: map.values)
        if scale.isClipped {
            let upper = ordinal(ColourScale.clipPercentile)
            let (ends, which) = scale.isDiverging
                ? ("±\(NumberText.compact(scale.top))", "the \(upper) percentile of |value|")
                : ("\(NumberText.compact(scale.bottom)) and \(NumberText.compact(scale.top))",
                   "the \(ordinal(100 - ColourScale.clipPercentile)) and \(upper) percentiles")
            let one = scale.beyond == 1
            text += " Colours end at \(ends) (\(which)), so that \(scale.beyond) outlying value\(one ? "" : "s")"
                + " do\(one ? "es" : "") not wash out the rest; \(one ? "it takes" : "they take") the colour at the end of the bar."
        }
        if grid.isDownsampled {
            text += " Downsampled to \(grid.rows) × \(grid.columns) cells for drawing:"
                + " each cell is the mean of a \(grid.factor.rows) × \(grid.factor.columns) block."
        }
        return text
    }

    /// `2nd`, `98th`, `11th` for a whole percentile.
    private static func ordinal(_ value: Double) -> String {
        let number = Int(value.rounded())
        let suffix = (11...13).contains(number % 100) ? "th" : [1: "st", 2: "nd", 3: "rd"][number % 10] ?? "th"
        return "\(number)\(suffix)"
    }
}
