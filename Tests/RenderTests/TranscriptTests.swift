import Figures
import Notebook
@testable import Render
import XCTest

final class TranscriptTests: XCTestCase {
    func testCellHeader() throws {
        let document = Fixtures.notebook(Fixtures.cell("a"), "", Fixtures.cell("b"), "",
                                         Fixtures.cell("train()", options: ["label: train"]))
        XCTAssertEqual(Transcript.cellHeader(try Fixtures.cell(document, 3), number: 2, total: 12),
                       "── In [2] · cell 3/12 · train ──")
        XCTAssertEqual(Transcript.cellHeader(try Fixtures.cell(document, 1), number: nil, total: 3),
                       "── In [ ] · cell 1/3 ──")
    }

    func testSparkline() {
        XCTAssertEqual(Transcript.sparkline([1, 2, 3, 4, 5, 6, 7, 8]), "▁▂▃▄▅▆▇█")
        XCTAssertEqual(Transcript.sparkline([8, 1, .nan, 8]), "█▁ █")
        XCTAssertEqual(Transcript.sparkline([2, 2, 2]), "▄▄▄")
        XCTAssertEqual(Transcript.sparkline([]), "")
        XCTAssertEqual(Transcript.sparkline([.nan]), " ")
    }

    func testOutcomeTextHasOutputsFiguresValueInOrder() throws {
        let document = Fixtures.notebook(Fixtures.cell("train()"))
        let chart = LineChart(title: "Perplexity", series: [.init(name: "train", y: [900, 300, 150, 120, 118, 119])],
                              logScale: true)
        let map = try XCTUnwrap(Heatmap(title: "state", rows: 2, columns: 3, values: [-0.5, 0, 0.25, 0.5, 0.75, 1]))
        let outcome = CellOutcome(cell: try Fixtures.cell(document, 1), status: .ran,
                                  pieces: [.text("epoch 1\n"), .figure(.lineChart(chart)), .figure(.heatmap(map)),
                                           .text("done")],
                                  displayedValue: "118.0")
        XCTAssertEqual(Transcript.outcome(outcome, number: 4), """
            epoch 1
            [line chart] Perplexity (log y)
              train: 900 → 119 (min 118)  █▃▁▁▁▁
            [heatmap] state: 2 × 3, min -0.5, max 1
            done
            Out [4]: 118.0

            """)
    }

    func testMultilineValueAndErrors() throws {
        let document = Fixtures.notebook(Fixtures.cell("x"), "", Fixtures.cell("y", options: ["error: expected"]), "",
                                         Fixtures.cell("z", options: ["output: false"]), "",
                                         Fixtures.cell("w", options: ["error: allow"]))
        let cells = document.cells
        let ran = CellOutcome(cell: cells[0], status: .ran, displayedValue: "[[1, 2],\n [3, 4]]")
        XCTAssertEqual(Transcript.outcome(ran, number: 1), "Out [1]:\n[[1, 2],\n [3, 4]]\n")
        let expected = CellOutcome(cell: cells[1], status: .expectedFailure([]), renderedDiagnostics: ["lesson.md:5: error: boom"])
        XCTAssertEqual(Transcript.outcome(expected, number: 2), "expected error:\nlesson.md:5: error: boom\n")
        let hidden = CellOutcome(cell: cells[2], status: .ran, output: "secret\n", displayedValue: "1")
        XCTAssertEqual(Transcript.outcome(hidden, number: 3), "")
        let allowed = CellOutcome(cell: cells[3], status: .failed([]), renderedDiagnostics: ["lesson.md:12: error: bad"])
        XCTAssertEqual(Transcript.outcome(allowed, number: 4), "error (allowed: the run went on):\nlesson.md:12: error: bad\n")
        let skipped = CellOutcome(cell: cells[0], status: .skipped)
        XCTAssertEqual(Transcript.outcome(skipped, number: nil), "not evaluated (eval: false)\n")
        let notRun = CellOutcome(cell: cells[0], status: .notRun)
        XCTAssertEqual(Transcript.outcome(notRun, number: nil, cancelled: true), "not run (the run was interrupted)\n")
        let missing = CellOutcome(cell: cells[1], status: .missingExpectedError)
        XCTAssertTrue(Transcript.outcome(missing, number: 5).contains("ran without raising an error"))
    }

    func testLongSeriesSparklineIsAveragedDown() throws {
        let chart = LineChart(series: [.init(name: "", y: (0..<400).map(Double.init))])
        let summary = Transcript.figureSummary(.lineChart(chart))
        let line = try XCTUnwrap(summary.split(separator: "\n").last)
        XCTAssertTrue(line.hasPrefix("  series 1: 0 → 399 (min 0)  ▁"))
        XCTAssertEqual(line.split(separator: " ").last?.count, Transcript.sparklineWidth)
    }
}
