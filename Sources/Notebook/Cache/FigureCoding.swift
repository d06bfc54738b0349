import Figures
import Foundation

// Output pieces and figures in the cache's byte format.

extension BinaryWriter {
    mutating func piece(_ piece: OutputPiece) {
        switch piece {
        case .text(let text):
            uint8(0)
            string(text)
        case .figure(let figure):
            uint8(1)
            self.figure(figure)
        }
    }

    mutating func figure(_ figure: Figure) {
        switch figure {
        case .lineChart(let chart):
            uint8(0)
            string(chart.title)
            string(chart.xLabel)
            string(chart.yLabel)
            array(chart.series) { writer, series in
                writer.string(series.name)
                writer.array(series.x) { $0.double($1) }
                writer.array(series.y) { $0.double($1) }
            }
            bool(chart.logScale)
        case .heatmap(let map):
            uint8(1)
            string(map.title)
            int(map.rows)
            int(map.columns)
            array(map.values) { $0.double($1) }
            string(map.rowLabel)
            string(map.columnLabel)
        case .scatter(let plot):
            uint8(2)
            string(plot.title)
            string(plot.xLabel)
            string(plot.yLabel)
            array(plot.points) { writer, point in
                writer.double(point.x)
                writer.double(point.y)
                writer.string(point.label)
            }
        }
    }
}

extension BinaryReader {
    mutating func piece() throws(CacheFormatError) -> OutputPiece {
        switch try tag(below: 2, of: "output piece") {
        case 0: return .text(try string())
        default: return .figure(try figure())
        }
    }

    mutating func figure() throws(CacheFormatError) -> Figure {
        switch try tag(below: 3, of: "figure") {
        case 0:
            let title = try string()
            let xLabel = try string()
            let yLabel = try string()
            let series = try array { reader throws(CacheFormatError) in
                let name = try reader.string()
                let x = try reader.array { reader throws(CacheFormatError) in try reader.double() }
                let y = try reader.array { reader throws(CacheFormatError) in try reader.double() }
                return LineChart.Series(name: name, x: x, y: y)
            }
            let logScale = try bool()
            return .lineChart(LineChart(title: title, xLabel: xLabel, yLabel: yLabel, series: series,
                                        logScale: logScale))
        case 2:
            let title = try string()
            let xLabel = try string()
            let yLabel = try string()
            let points = try array { reader throws(CacheFormatError) in
                ScatterPlot.Point(x: try reader.double(), y: try reader.double(), label: try reader.string())
            }
            return .scatter(ScatterPlot(title: title, xLabel: xLabel, yLabel: yLabel, points: points))
        default:
            let title = try string()
            let rows = try int()
            let columns = try int()
            let values = try array { reader throws(CacheFormatError) in try reader.double() }
            let rowLabel = try string()
            let columnLabel = try string()
            guard let map = Heatmap(title: title, rows: rows, columns: columns, values: values, rowLabel: rowLabel,
                                    columnLabel: columnLabel) else {
                throw CacheFormatError("heatmap of \(rows)x\(columns) with \(values.count) values")
            }
            return .heatmap(map)
        }
    }
}
