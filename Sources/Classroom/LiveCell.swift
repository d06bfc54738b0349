import Figures
import Render

/// The cell that is running now: what it has shown, and its live training chart.
struct LiveCell {
    let cell: Int
    var pieces: [OutputPiece] = []
    var chart = LiveTrainingChart()
    var lastProgress = -Double.infinity
    var lastChart = -Double.infinity
    /// The latest progress, as an event, for pages that join while the cell runs.
    var progress: [String: Any]?
    /// Text written but not yet sent, and whether a send is scheduled.
    var pendingText = ""
    var flushScheduled = false

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
