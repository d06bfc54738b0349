import Foundation
import Figures

/// A figure as a `<figure>` with inline SVG, so the report needs no image files.
enum FigureSVG {
    /// `id` must be unique in the page. The SVG's title, which screen readers read, is `alt`
    /// (the cell's `//| alt:`) or a summary of what the figure shows (`alternative`).
    static func html(_ figure: Figure, id: String, alt: String? = nil) -> String {
        drawn(figure, id: id, title: alt ?? alternative(figure))
    }

    /// What the figure shows, in words: its kind and title, each series with its number of
    /// points, first and last values and range; a heatmap's shape and range.
    static func alternative(_ figure: Figure) -> String {
        let blocks: Set<Character> = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        let lines = Transcript.figureSummary(figure).split(separator: "\n").map { line in
            String(line.filter { !blocks.contains($0) }).trimmingCharacters(in: .whitespaces)
        }
        var text = lines.first.map { $0.replacingOccurrences(of: "[", with: "").replacingOccurrences(of: "]", with: ":") } ?? ""
        if lines.count > 1 { text += ". " + lines.dropFirst().joined(separator: "; ") }
        return text
    }

    private static func drawn(_ figure: Figure, id: String, title: String) -> String {
        switch figure {
        case .lineChart(let chart):
            return "<figure class=\"figure\" id=\"\(id)\">\n" + LineChartSVG.svg(chart, id: id, title: title) + "</figure>\n"
        case .heatmap(let map):
            return "<figure class=\"figure\" id=\"\(id)\">\n" + HeatmapSVG.svg(map, id: id, title: title)
                + "<figcaption>\(HTML.escape(HeatmapSVG.caption(map)))</figcaption>\n</figure>\n"
        case .scatter(let plot):
            return "<figure class=\"figure\" id=\"\(id)\">\n" + ScatterSVG.svg(plot, id: id, title: title)
                + "<figcaption>\(HTML.escape(ScatterSVG.caption(plot)))</figcaption>\n</figure>\n"
        }
    }
}
