import Figures
import Notebook
import Render

/// The cell that is running now: what it has shown, and its live training chart.
struct LiveCell {
    let cell: Int
    var pieces: [OutputPiece] = []
    var chart = LiveTrainingChart()
    var lastProgress = -Double.infinity
    var lastChart = -Double.infinity
    /// The latest progress, for pages that join while the cell runs.
    var progress: ProgressView?

    init(cell: Int) {
        self.cell = cell
    }

    var html: String {
        LessonPage.liveOutputs(pieces, figurePrefix: "live_\(cell)_")
    }

    var chartHTML: String {
        LessonPage.figure(.lineChart(chart.chart), id: "livechart_\(cell)")
    }
}
