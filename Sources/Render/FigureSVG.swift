import Figures

/// A figure as a `<figure>` with inline SVG, so the report needs no image files.
enum FigureSVG {
    /// `id` must be unique in the page.
    static func html(_ figure: Figure, id: String) -> String {
        switch figure {
        case .lineChart(let chart):
            return "<figure class=\"figure\" id=\"\(id)\">\n" + LineChartSVG.svg(chart, id: id) + "</figure>\n"
        case .heatmap(let map):
            return "<figure class=\"figure\" id=\"\(id)\">\n" + HeatmapSVG.svg(map, id: id)
                + "<figcaption>\(HTML.escape(HeatmapSVG.caption(map)))</figcaption>\n</figure>\n"
        case .scatter(let plot):
            return "<figure class=\"figure\" id=\"\(id)\">\n" + ScatterSVG.svg(plot, id: id)
                + "<figcaption>\(HTML.escape(ScatterSVG.caption(plot)))</figcaption>\n</figure>\n"
        }
    }
}
