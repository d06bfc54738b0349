/// Figures that cells produce with display functions (`plot`, `heatmap`) and reports draw.
///
/// Plain data only: the interpreter fills them, the renderers (HTML, terminal) draw them,
/// and neither side knows the other.
public enum Figure: Equatable, Sendable {
    case lineChart(LineChart)
    case heatmap(Heatmap)
    case scatter(ScatterPlot)

    public var title: String {
        switch self {
        case .lineChart(let chart): return chart.title
        case .heatmap(let map): return map.title
        case .scatter(let plot): return plot.title
        }
    }
}

/// Labelled points on two axes (word embeddings projected to 2-D).
public struct ScatterPlot: Equatable, Sendable {
    public struct Point: Equatable, Sendable {
        public var x: Double
        public var y: Double
        /// Drawn beside the point; may be empty.
        public var label: String

        public init(x: Double, y: Double, label: String = "") {
            self.x = x
            self.y = y
            self.label = label
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var points: [Point]

    public init(title: String = "", xLabel: String = "", yLabel: String = "", points: [Point]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.points = points
    }

    /// The points with finite coordinates: the others are not drawn.
    public var drawable: [Point] { points.filter { $0.x.isFinite && $0.y.isFinite } }
}

/// One or more named series of (x, y) points on shared axes.
public struct LineChart: Equatable, Sendable {
    public struct Series: Equatable, Sendable {
        public var name: String
        public var x: [Double]
        public var y: [Double]

        /// `x` and `y` must have the same length; extra values of the longer one are dropped.
        public init(name: String, x: [Double], y: [Double]) {
            let count = min(x.count, y.count)
            self.name = name
            self.x = Array(x.prefix(count))
            self.y = Array(y.prefix(count))
        }

        /// Points at x = 1, 2, 3, ... (epochs, iterations).
        public init(name: String, y: [Double]) {
            self.init(name: name, x: y.indices.map { Double($0 + 1) }, y: y)
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    /// Draw the y axis on a log scale (perplexities falling from the thousands).
    public var logScale: Bool

    public init(title: String = "", xLabel: String = "", yLabel: String = "", series: [Series],
                logScale: Bool = false) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.logScale = logScale
    }
}

/// A matrix of values shown as coloured cells (an LSTM state, a weight block).
public struct Heatmap: Equatable, Sendable {
    public var title: String
    public var rows: Int
    public var columns: Int
    /// Row-major, `rows * columns` values.
    public var values: [Double]
    public var rowLabel: String
    public var columnLabel: String

    /// Returns nil when `values.count != rows * columns` or a dimension is not positive.
    public init?(title: String = "", rows: Int, columns: Int, values: [Double], rowLabel: String = "",
                 columnLabel: String = "") {
        let (cells, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard rows > 0, columns > 0, !overflow, values.count == cells else { return nil }
        self.title = title
        self.rows = rows
        self.columns = columns
        self.values = values
        self.rowLabel = rowLabel
        self.columnLabel = columnLabel
    }

    public func value(row: Int, column: Int) -> Double {
        values[row * columns + column]
    }

    /// Smallest and largest finite value; (0, 0) when there is none.
    public var range: (min: Double, max: Double) {
        let finite = values.filter { $0.isFinite }
        guard let low = finite.min(), let high = finite.max() else { return (0, 0) }
        return (low, high)
    }
}

/// What a cell wrote, in order: text and figures interleaved as they were produced.
public enum OutputPiece: Equatable, Sendable {
    case text(String)
    case figure(Figure)
}

extension Array where Element == OutputPiece {
    /// Appends text, merging it into a text piece that is already last.
    /// The last piece is taken out while it grows, so its string is not shared and appending
    /// stays amortised constant time however many times a cell prints.
    public mutating func appendText(_ text: String) {
        guard !text.isEmpty else { return }
        if case .text(var previous)? = last {
            removeLast()
            previous += text
            append(.text(previous))
        } else {
            append(.text(text))
        }
    }

    /// The text pieces joined (figures left out).
    public var text: String {
        compactMap { piece -> String? in
            if case .text(let text) = piece { return text }
            return nil
        }.joined()
    }
}

/// A long-running built-in's progress (a training epoch), for a live bar.
public struct ProgressReport: Equatable, Sendable {
    /// What is running, e.g. "Epoch 3 train".
    public var phase: String
    public var completed: Int
    public var total: Int
    /// The running perplexity so far, when the work has one.
    public var perplexity: Double?
    public var wordsPerSecond: Double?
    /// Seconds since this phase started.
    public var elapsedSeconds: Double

    public init(phase: String, completed: Int, total: Int, perplexity: Double? = nil, wordsPerSecond: Double? = nil,
                elapsedSeconds: Double = 0) {
        self.phase = phase
        self.completed = completed
        self.total = total
        self.perplexity = perplexity
        self.wordsPerSecond = wordsPerSecond
        self.elapsedSeconds = elapsedSeconds
    }

    public var fraction: Double { total > 0 ? min(max(Double(completed) / Double(total), 0), 1) : 0 }

    /// Seconds left at the pace so far; nil before any work is done.
    public var remainingSeconds: Double? {
        let done = fraction
        guard done > 0 else { return nil }
        return elapsedSeconds * (1 - done) / done
    }
}
