import CellScript
import Figures
import Foundation
import Tensor

/// The display functions: `plot` and `heatmap` put a figure into the cell's output,
/// where the report draws it as SVG and the terminal as a sparkline or a summary.
enum DisplayFunctions {
    /// Largest matrix `heatmap` accepts; renderers downsample what they draw.
    static let maximumHeatmapCells = 1_000_000
    /// Most points one `plot` series may have.
    static let maximumSeriesLength = 1_000_000

    /// `plot(series, title:, xLabel:, yLabel:, logScale:)`: `series` is an array (or 1-D
    /// tensor) of numbers, or a dictionary from series names to such arrays.
    static func plot(_ values: [Value], context: any ScriptContext) throws -> Value {
        let name = "plot(_:title:xLabel:yLabel:logScale:)"
        var series: [LineChart.Series] = []
        switch values[0] {
        case .dictionary(let dictionary):
            guard !dictionary.isEmpty else { throw ScriptError("\(name): the dictionary of series is empty") }
            for (key, value) in zip(dictionary.keys, dictionary.values) {
                guard case .string(let label) = key else {
                    throw ScriptError("\(name): series names must be Strings, got \(key)")
                }
                series.append(LineChart.Series(name: label, y: try numbers(value, "\(name): series \"\(label)\"")))
            }
        default:
            series.append(LineChart.Series(name: "", y: try numbers(values[0], "\(name): values")))
        }
        let logScale = try values[4].asBool("\(name): logScale")
        if logScale, let bad = series.lazy.flatMap(\.y).first(where: { !($0 > 0) }) {
            throw ScriptError("\(name): a log scale needs values above 0, got \(bad)")
        }
        context.display(.lineChart(LineChart(
            title: try values[1].asString("\(name): title"), xLabel: try values[2].asString("\(name): xLabel"),
            yLabel: try values[3].asString("\(name): yLabel"), series: series, logScale: logScale)))
        return .void
    }

    /// `heatmap(matrix, title:, rowLabel:, columnLabel:)`: a 2-D tensor or a rectangular
    /// array of arrays of numbers (a 1-D one is drawn as a single row).
    static func heatmap(_ values: [Value], context: any ScriptContext) throws -> Value {
        let name = "heatmap(_:title:rowLabel:columnLabel:)"
        let (shape, scalars) = try matrix(values[0], "\(name): matrix")
        let rows: Int
        let columns: Int
        switch shape.count {
        case 1: (rows, columns) = (1, shape[0])
        case 2: (rows, columns) = (shape[0], shape[1])
        default:
            throw ScriptError("\(name): matrix: expected 1 or 2 dimensions, got shape \(shape); "
                              + "slice it first, e.g. state.h[0..<10]")
        }
        guard scalars.count <= maximumHeatmapCells else {
            throw ScriptError("\(name): matrix: \(scalars.count) values is more than the \(maximumHeatmapCells) "
                              + "a heatmap shows; slice it first")
        }
        guard let map = Heatmap(title: try values[1].asString("\(name): title"), rows: rows, columns: columns,
                                values: scalars, rowLabel: try values[2].asString("\(name): rowLabel"),
                                columnLabel: try values[3].asString("\(name): columnLabel")) else {
            throw ScriptError("\(name): matrix: expected at least one row and one column, got shape \(shape)")
        }
        context.display(.heatmap(map))
        return .void
    }

    /// The most points a scatter plot draws.
    static let maximumScatterPoints = 10_000

    /// `scatter(points, labels:, title:, xLabel:, yLabel:)`: `[n, 2]` points, each with its
    /// label when labels are given (as many as points).
    static func scatter(_ values: [Value], context: any ScriptContext) throws -> Value {
        let name = "scatter(_:labels:title:xLabel:yLabel:)"
        let (shape, scalars) = try matrix(values[0], "\(name): points")
        guard shape.count == 2, shape[1] == 2 else {
            throw ScriptError("\(name): points: expected shape [n, 2] (one x, y pair a row), got \(shape)")
        }
        guard shape[0] <= maximumScatterPoints else {
            throw ScriptError("\(name): points: \(shape[0]) points is more than the \(maximumScatterPoints) a scatter plot shows")
        }
        guard case .array(let items) = values[1] else { throw ScriptError("\(name): labels: expected [String]") }
        let labels = try items.enumerated().map { try $1.asString("\(name): labels[\($0)]") }
        guard labels.isEmpty || labels.count == shape[0] else {
            throw ScriptError("\(name): labels: \(labels.count) labels for \(shape[0]) points; give one a point, or none")
        }
        let points = (0..<shape[0]).map { row in
            ScatterPlot.Point(x: scalars[2 * row], y: scalars[2 * row + 1], label: labels.isEmpty ? "" : labels[row])
        }
        context.display(.scatter(ScatterPlot(title: try values[2].asString("\(name): title"),
                                             xLabel: try values[3].asString("\(name): xLabel"),
                                             yLabel: try values[4].asString("\(name): yLabel"), points: points)))
        return .void
    }

    /// A 1-D list of numbers from an array or a 1-D tensor.
    private static func numbers(_ value: Value, _ what: String) throws -> [Double] {
        let (shape, scalars) = try matrix(value, what)
        guard shape.count == 1 else {
            throw ScriptError("\(what): expected a 1-D array of numbers, got shape \(shape)")
        }
        guard scalars.count <= maximumSeriesLength else {
            throw ScriptError("\(what): \(scalars.count) points is more than the \(maximumSeriesLength) a plot shows")
        }
        return scalars
    }

    private static func matrix(_ value: Value, _ what: String) throws -> (shape: [Int], scalars: [Double]) {
        switch value {
        case .object(let object as TensorObject):
            switch object.storage {
            case .float(let node): return (node.value.shape, node.value.scalars.map(Double.init))
            case .int(let ids): return (ids.shape, ids.scalars.map(Double.init))
            }
        case .array:
            let (shape, scalars, _) = try ModelArguments.nested(value, what)
            return (shape, scalars)
        default:
            throw ScriptError("\(what): expected a Tensor or an array of numbers, got \(ModelArguments.describe(value))")
        }
    }
}
