import Figures
@testable import Render
import Tensor
import TestSupport
import XCTest

final class FigureSVGTests: XCTestCase {
    func testLineChartDrawsOnePolylinePerSeriesWithLegend() {
        let chart = LineChart(title: "Perplexity", xLabel: "epoch", yLabel: "ppl", series: [
            .init(name: "train", y: [900, 300, 150, 120]),
            .init(name: "valid", y: [800, 320, 170, 140]),
            .init(name: "test <b>", y: [850, 310, 160, 130]),
        ])
        let svg = LineChartSVG.svg(chart, id: "svg_1")
        XCTAssertEqual(Fixtures.count("<polyline", in: svg), 3)
        XCTAssertEqual(Fixtures.count("<circle", in: svg), 12, "few points get markers")
        XCTAssertTrue(svg.contains(">train</text>"))
        XCTAssertTrue(svg.contains(">valid</text>"))
        XCTAssertTrue(svg.contains(">test &lt;b&gt;</text>"))
        XCTAssertTrue(svg.contains("role=\"img\""))
        XCTAssertTrue(svg.contains("<title id=\"svg_1-title\">Perplexity (train, valid, test &lt;b&gt;)</title>"))
        XCTAssertTrue(svg.contains(">epoch</text>"))
        XCTAssertTrue(svg.contains(">ppl</text>"))
        XCTAssertEqual(Set(["#1f77b4", "#d62728", "#2ca02c"]).filter { svg.contains("stroke=\"\($0)\" stroke-width=\"2\"") }.count, 3)
    }

    func testALoneUnnamedSeriesHasNoLegend() {
        let lone = LineChartSVG.svg(LineChart(title: "Running perplexity", series: [.init(name: "", y: [3, 2, 1])]), id: "a")
        XCTAssertFalse(lone.contains("class=\"legend\""))
        let named = LineChartSVG.svg(LineChart(series: [.init(name: "loss", y: [3, 2, 1])]), id: "b")
        XCTAssertTrue(named.contains("class=\"legend\""))
    }

    func testManyPointsHaveNoMarkers() {
        let chart = LineChart(series: [.init(name: "loss", y: (0..<500).map { 1 / Double($0 + 1) })])
        let svg = LineChartSVG.svg(chart, id: "c")
        XCTAssertEqual(Fixtures.count("<polyline", in: svg), 1)
        XCTAssertEqual(Fixtures.count("<circle", in: svg), 0)
    }

    func testLinearTicksStepByOneTwoFive() {
        let axis = ChartAxis.linear(min: 0.13, max: 0.87)
        XCTAssertEqual(axis.labels, ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        XCTAssertEqual(axis.lower, 0)
        XCTAssertEqual(axis.upper, 1, accuracy: 1e-12)
        XCTAssertEqual(ChartAxis.linear(min: 1, max: 40).labels, ["0", "10", "20", "30", "40"])
        XCTAssertEqual(ChartAxis.linear(min: -3, max: 7).labels, ["-4", "-2", "0", "2", "4", "6", "8"])
        XCTAssertEqual(ChartAxis.niceStep(0.03), 0.05, accuracy: 1e-15)
        XCTAssertEqual(ChartAxis.niceStep(170), 200)
        let constant = ChartAxis.linear(min: 5, max: 5)
        XCTAssertLessThan(constant.lower, 5)
        XCTAssertGreaterThan(constant.upper, 5)
        XCTAssertEqual(constant.fraction(5), 0.5, accuracy: 1e-9)
    }

    func testLogTicks() {
        let short = ChartAxis.logarithmic(min: 90, max: 1200)
        XCTAssertEqual(short.labels, ["50", "100", "200", "500", "1000", "2000"])
        XCTAssertTrue(short.isLog)
        XCTAssertEqual(short.fraction(50), 0, accuracy: 1e-12)
        XCTAssertEqual(short.fraction(2000), 1, accuracy: 1e-12)
        let wide = ChartAxis.logarithmic(min: 0.002, max: 3e5)
        XCTAssertEqual(wide.labels, ["0.001", "0.1", "10", "1000", "1e+05", "1e+07"])
        let single = ChartAxis.logarithmic(min: 100, max: 100)
        XCTAssertEqual(single.labels, ["50", "100", "200"])

        let chart = LineChart(title: "ppl", series: [.init(name: "train", y: [1200, 400, 90, 0, -5])], logScale: true)
        let svg = LineChartSVG.svg(chart, id: "c")
        XCTAssertTrue(svg.contains(">1000</text>"))
        XCTAssertTrue(svg.contains(">50</text>"))
        XCTAssertTrue(svg.contains(">log scale</text>"))
        XCTAssertEqual(Fixtures.count("<circle", in: svg), 3, "zero and negative values have no place on a log axis")
    }

    func testNonFiniteEmptyAndSinglePointSeries() throws {
        let chart = LineChart(series: [
            .init(name: "gappy", x: [1, 2, 3, .nan], y: [1, .nan, .infinity, 4]),
            .init(name: "empty", y: []),
            .init(name: "one", y: [2]),
        ])
        let svg = LineChartSVG.svg(chart, id: "c")
        XCTAssertEqual(Fixtures.count("<polyline", in: svg), 2)
        XCTAssertTrue(svg.contains(">empty (no data)</text>"))
        let firstPoints = try XCTUnwrap(svg.components(separatedBy: "points=\"").dropFirst().first?.components(separatedBy: "\"").first)
        XCTAssertEqual(firstPoints.split(separator: " ").count, 1, "only (1, 1) of the gappy series is finite")
        XCTAssertNil(svg.firstMatch(of: /[">,\s]-?(nan|inf)/), "no coordinate or label is NaN or infinite")

        let nothing = LineChartSVG.svg(LineChart(series: []), id: "d")
        XCTAssertTrue(nothing.contains(">no data</text>"))
        XCTAssertEqual(Fixtures.count("<polyline", in: nothing), 0)
    }

    func testHeatmapDrawsOneRectPerCell() throws {
        let map = try XCTUnwrap(Heatmap(title: "gates", rows: 3, columns: 4, values: (0..<12).map { Double($0) - 4 },
                                        rowLabel: "unit", columnLabel: "step"))
        let svg = HeatmapSVG.svg(map, id: "svg_2")
        XCTAssertEqual(Fixtures.count("class=\"hm-cell\"", in: svg), 12)
        XCTAssertTrue(svg.contains("role=\"img\""))
        XCTAssertTrue(svg.contains("<title id=\"svg_2-title\">gates (3 × 4)</title>"))
        XCTAssertTrue(svg.contains("fill=\"url(#svg_2-scale)\""))
        XCTAssertTrue(svg.contains(">unit</text>"))
        XCTAssertTrue(svg.contains(">step</text>"))
        // Values span both signs: diverging and symmetric, so the bar reads -7 ... 0 ... 7.
        XCTAssertTrue(svg.contains(">-7</text>"))
        XCTAssertTrue(svg.contains(">7</text>"))
        XCTAssertFalse(HeatmapSVG.caption(map).contains("Downsampled"))
    }

    func testBigHeatmapIsDownsampledByAveraging() throws {
        let map = try XCTUnwrap(Heatmap(rows: 100, columns: 300, values: (0..<30_000).map { Double($0 % 300) }))
        let grid = HeatmapSVG.grid(for: map)
        XCTAssertEqual(grid.rows, 50)
        XCTAssertEqual(grid.columns, 100)
        XCTAssertEqual(grid.values.first ?? .nan, 1, accuracy: 1e-12, "mean of columns 0, 1, 2")
        let svg = HeatmapSVG.svg(map, id: "h")
        XCTAssertEqual(Fixtures.count("class=\"hm-cell\"", in: svg), 5000)
        XCTAssertTrue(HeatmapSVG.caption(map).contains("Downsampled to 50 × 100 cells"))
        let html = FigureSVG.html(.heatmap(map), id: "h")
        XCTAssertTrue(html.contains("<figcaption>100 × 300 values, min 0, max 299. Downsampled to 50 × 100 cells"))
    }

    func testInconsistentHeatmapDrawsNothingRatherThanTrapping() throws {
        var map = try XCTUnwrap(Heatmap(rows: 2, columns: 2, values: [1, 2, 3, 4]))
        map.rows = -3
        XCTAssertEqual(HeatmapSVG.grid(for: map).values.count, 0)
        XCTAssertEqual(Fixtures.count("class=\"hm-cell\"", in: HeatmapSVG.svg(map, id: "x")), 0)
        map.rows = 3
        XCTAssertEqual(HeatmapSVG.grid(for: map).values.count, 0)
    }

    /// Values drawn in float32-exact steps so numpy and Swift see the same numbers.
    static func outlierValues(count: Int, outlier: Double, offset: Double) -> [Double] {
        (0..<count).map { (index: Int) -> Double in
            let step: Int = (index * 7919) % 97 - 48
            return index == 37 ? outlier : offset + Double(step) / 32
        }
    }

    func testClippedScalesMatchNumpysPercentilesAndSayWhatTheyDid() throws {
        let cases: [(values: [Double], diverging: Bool)] = [
            (Self.outlierValues(count: 160, outlier: -7.25, offset: 0), true),
            (Self.outlierValues(count: 200, outlier: 90, offset: 2), false),
        ]
        for (values, diverging) in cases {
            let scale = ColourScale(values: values)
            XCTAssertTrue(scale.isClipped)
            XCTAssertEqual(scale.isDiverging, diverging)
            let reference = try Numpy.evaluate(diverging
                ? "q = np.percentile(np.abs(v.astype(np.float64)), 98)\nout['ends'] = np.array([-q, q])\nout['beyond'] = np.array([np.sum(np.abs(v) > q)])"
                : "lo, hi = np.percentile(v.astype(np.float64), [2, 98])\nout['ends'] = np.array([lo, hi])\nout['beyond'] = np.array([np.sum((v < lo) | (v > hi))])",
                inputs: ["v": try Tensor(shape: [values.count], scalars: values.map(Float.init))])
            let ends = try XCTUnwrap(reference["ends"]).scalars
            XCTAssertEqual(scale.bottom, Double(ends[0]), accuracy: 1e-5)
            XCTAssertEqual(scale.top, Double(ends[1]), accuracy: 1e-5)
            XCTAssertEqual(Float(scale.beyond), try XCTUnwrap(reference["beyond"]).scalars[0])
            let map = try XCTUnwrap(Heatmap(rows: values.count / 20, columns: 20, values: values))
            let svg = HeatmapSVG.svg(map, id: "h")
            XCTAssertTrue(svg.contains("≥ ") && svg.contains("≤ "), "the bar's ends say they are limits")
            XCTAssertTrue(HeatmapSVG.caption(map).contains("Colours end at"), HeatmapSVG.caption(map))
            XCTAssertTrue(HeatmapSVG.caption(map).contains(diverging ? "of |value|" : "2nd and 98th percentiles"))
            // The outlier takes the colour at its end of the bar.
            XCTAssertEqual(scale.colour(values[37]), scale.colour(diverging ? scale.bottom : scale.top))
        }
        // No outliers, or too few values to judge: the extremes are the ends.
        let even = (0..<100).map { Double($0) - 50 }
        XCTAssertFalse(ColourScale(values: even).isClipped)
        XCTAssertFalse(ColourScale(values: Array(Self.outlierValues(count: 160, outlier: -7.25, offset: 0).prefix(40))).isClipped)
        XCTAssertFalse(ColourScale(values: [.nan, .infinity]).isClipped)
        let plain = try XCTUnwrap(Heatmap(rows: 10, columns: 10, values: even))
        XCTAssertFalse(HeatmapSVG.caption(plain).contains("Colours end at"))
    }

    func testScatterDrawsEveryFinitePointWithItsEscapedLabel() {
        let plot = ScatterPlot(title: "Embeddings", xLabel: "pc 1", yLabel: "pc 2", points: [
            .init(x: 0, y: 0, label: "the"), .init(x: 2, y: -1, label: "<unk>"), .init(x: -3, y: 4, label: "a & b"),
            .init(x: .nan, y: 1, label: "lost"), .init(x: 1, y: 1),
        ])
        let svg = ScatterSVG.svg(plot, id: "s1")
        XCTAssertEqual(Fixtures.count("<circle class=\"marker\"", in: svg), 4)
        XCTAssertTrue(svg.contains(">&lt;unk&gt;</text>") && svg.contains(">a &amp; b</text>"))
        XCTAssertFalse(svg.contains("lost"))
        XCTAssertFalse(svg.contains("<unk>"))
        XCTAssertEqual(ScatterSVG.caption(plot),
                       "4 points, x from -3 to 2, y from -1 to 4; 1 with a coordinate that is not a finite number left out")
        XCTAssertTrue(FigureSVG.html(.scatter(plot), id: "s1").contains("<figcaption>4 points"))
        XCTAssertTrue(Transcript.figureSummary(.scatter(plot)).hasPrefix("[scatter] Embeddings: 4 points"))
        // Many points: smaller labels; none: a caption that says so.
        let crowd = ScatterPlot(points: (0..<300).map { .init(x: Double($0), y: Double($0 % 7), label: "w\($0)") })
        XCTAssertTrue(ScatterSVG.svg(crowd, id: "s2").contains("point-label small"))
        XCTAssertEqual(ScatterSVG.caption(ScatterPlot(points: [])), "no points to draw")
    }

    func testColourScales() {
        let diverging = ColourScale(range: (-1, 2))
        XCTAssertTrue(diverging.isDiverging)
        XCTAssertEqual(diverging.colour(0), "#f7f7f7")
        XCTAssertEqual(diverging.colour(2), "#b2182b")
        XCTAssertEqual(diverging.colour(-2), "#2166ac")
        XCTAssertEqual(diverging.colour(.nan), ColourScale.missing)
        let sequential = ColourScale(range: (0, 10))
        XCTAssertFalse(sequential.isDiverging)
        XCTAssertEqual(sequential.colour(0), "#440154")
        XCTAssertEqual(sequential.colour(10), "#fde725")
        XCTAssertEqual(ColourScale(range: (3, 3)).colour(3), "#21918c")
    }
}
