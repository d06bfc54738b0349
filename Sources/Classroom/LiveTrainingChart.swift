import Figures

/// The perplexity chart a page shows while a cell trains, built from the progress the
/// training built-in reports: the running training perplexity through each epoch, and the
/// validation perplexity at each epoch's end. Phases named `… train` and `… valid` count;
/// other work that reports progress (evaluation, test) is left out.
struct LiveTrainingChart {
    private(set) var train: [(x: Double, y: Double)] = []
    private(set) var valid: [(x: Double, y: Double)] = []
    private var phase = ""
    private var epochs = 0

    /// Points closer than this (in epochs) are not added, so the chart stays ~100 points an epoch.
    private let spacing = 0.01

    mutating func add(_ report: ProgressReport) {
        guard let perplexity = report.perplexity, perplexity.isFinite, perplexity > 0 else { return }
        let kind = report.phase.lowercased()
        let isTrain = kind.hasSuffix("train"), isValid = kind.hasSuffix("valid")
        if report.phase != phase {
            phase = report.phase
            if isTrain { epochs += 1 }
        }
        let finished = report.completed >= report.total
        if isTrain {
            let x = Double(max(epochs - 1, 0)) + report.fraction
            if finished || train.last.map({ x - $0.x >= spacing * 0.999 }) ?? true {
                train.append((x, perplexity))
            }
        } else if isValid, finished {
            valid.append((Double(max(epochs, 1)), perplexity))
        }
    }

    var hasPoints: Bool { !train.isEmpty }

    var chart: LineChart {
        var series = [LineChart.Series(name: "train (running)", x: train.map(\.x), y: train.map(\.y))]
        if !valid.isEmpty {
            series.append(LineChart.Series(name: "valid", x: valid.map(\.x), y: valid.map(\.y)))
        }
        return LineChart(title: "Perplexity while training (live)", xLabel: "epoch", yLabel: "perplexity",
                         series: series, logScale: true)
    }
}
