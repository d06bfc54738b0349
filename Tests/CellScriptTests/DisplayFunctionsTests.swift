import Figures
import Foundation
import Testing
@testable import CellScript
@testable import ModelAPI

/// `plot` and `heatmap` put figures into the cell's output in order with its text, and
/// training reports progress and returns its per-log-point perplexities.
@Suite struct DisplayFunctionsTests {
    private static func run(_ source: String, in session: Session = Session(libraries: [ModelAPI()])) throws
        -> CellResult
    {
        session.run(try CellParser.parse(source))
    }

    @Test func plotPutsALineChartBetweenTheTextAroundIt() throws {
        let result = try Self.run("""
            print("before")
            plot(["train": [300.0, 150.0, 90.0], "valid": [250, 160, 120]], title: "Perplexity",
                 xLabel: "epoch", yLabel: "perplexity", logScale: true)
            print("after")
            """)
        #expect(result.error == nil)
        let chart = LineChart(title: "Perplexity", xLabel: "epoch", yLabel: "perplexity", series: [
            LineChart.Series(name: "train", x: [1, 2, 3], y: [300, 150, 90]),
            LineChart.Series(name: "valid", x: [1, 2, 3], y: [250, 160, 120]),
        ], logScale: true)
        #expect(result.pieces == [.text("before\n"), .figure(.lineChart(chart)), .text("after\n")])
        #expect(result.output == "before\nafter\n")
    }

    @Test func plotTakesAPlainArrayAndATensor() throws {
        let result = try Self.run("""
            plot([1, 2, 4])
            plot(Tensor([0.5, 0.25]))
            """)
        #expect(result.error == nil)
        #expect(result.pieces == [
            .figure(.lineChart(LineChart(series: [LineChart.Series(name: "", y: [1, 2, 4])]))),
            .figure(.lineChart(LineChart(series: [LineChart.Series(name: "", y: [0.5, 0.25])]))),
        ])
    }

    @Test func heatmapShowsARowMajorMatrix() throws {
        let result = try Self.run(#"heatmap(Tensor([[1, -2, 3], [4, 5, -6]]), title: "h", rowLabel: "row", columnLabel: "unit")"#)
        #expect(result.error == nil)
        let map = try #require(Heatmap(title: "h", rows: 2, columns: 3, values: [1, -2, 3, 4, 5, -6],
                                       rowLabel: "row", columnLabel: "unit"))
        #expect(result.pieces == [.figure(.heatmap(map))])
    }

    @Test(arguments: [
        ("plot([1, 0], logScale: true)", "plot(_:title:xLabel:yLabel:logScale:): a log scale needs values above 0, got 0.0"),
        ("plot([[1, 2], [3, 4]])", "plot(_:title:xLabel:yLabel:logScale:): values: expected a 1-D array of numbers, got shape [2, 2]"),
        (#"plot(["a": "b"])"#, "plot(_:title:xLabel:yLabel:logScale:): series \"a\": expected a Tensor or an array of numbers, got String"),
        ("let none: [String: [Double]] = [:]\nplot(none)", "plot(_:title:xLabel:yLabel:logScale:): the dictionary of series is empty"),
        ("heatmap(zeros(shape: [2, 2, 2]))", "heatmap(_:title:rowLabel:columnLabel:): matrix: expected 1 or 2 dimensions, got shape [2, 2, 2]; slice it first, e.g. state.h[0..<10]"),
        ("heatmap([Double]())", "heatmap(_:title:rowLabel:columnLabel:): matrix: expected at least one row and one column, got shape [0]"),
        ("heatmap(3)", "heatmap(_:title:rowLabel:columnLabel:): matrix: expected a Tensor or an array of numbers, got Int"),
    ])
    func badFiguresAreErrorsNamingTheArgument(source: String, message: String) throws {
        let result = try Self.run(source)
        #expect(result.error?.message == message)
        #expect(result.pieces.isEmpty)
    }

    @Test func trainingReportsProgressAndLogPointPerplexities() throws {
        let session = Session(libraries: [ModelAPI()])
        let reports = ReportLog()
        session.progressHandler = { reports.append($0) }
        let ids = (0..<400).map { String($0 % 5) }.joined(separator: ", ")
        let result = try Self.run("""
            let model = PTBModel(ModelConfig(numSteps: 2, hiddenSizes: [4], embeddingSize: 3, batchSize: 2,
                                             vocabularySize: 5))
            let history = train(model, data: (train: [\(ids)], valid: [\(ids)], test: [\(ids)]), epochs: 2,
                                verbose: false)
            history.iterationPerplexities.count
            """, in: session)
        #expect(result.error == nil)
        // 400 ids in 2 rows of 200 give 99 iterations of 2 steps: a point every 99 / 20 = 4
        // iterations (24 of them) and the last, per epoch.
        #expect(result.value?.displayText == "50")
        let phases = Set(reports.all.map(\.phase))
        #expect(phases == ["Epoch 1/2 train", "Epoch 1/2 valid", "Epoch 2/2 train", "Epoch 2/2 valid", "test"])
        let last = try #require(reports.all.last)
        #expect(last.completed == last.total && last.total == 99)
        #expect((last.perplexity ?? 0) > 1)
    }
}

private final class ReportLog: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [ProgressReport] = []

    func append(_ report: ProgressReport) {
        lock.lock()
        reports.append(report)
        lock.unlock()
    }

    var all: [ProgressReport] {
        lock.lock()
        defer { lock.unlock() }
        return reports
    }
}
