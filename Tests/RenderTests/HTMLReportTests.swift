import Figures
import Foundation
import Notebook
@testable import Render
import XCTest

final class HTMLReportTests: XCTestCase {
    func testCellOutputIsEscaped() throws {
        let document = Fixtures.notebook("# T", "", Fixtures.cell("print(x)"))
        let cell = try Fixtures.cell(document, 1)
        let html = Fixtures.render(document, [
            CellOutcome(cell: cell, status: .ran, output: "<script>alert(1)</script>\n",
                        displayedValue: "<b>\"v\" & 'w'</b>"),
        ])
        XCTAssertFalse(html.contains("<script>alert(1)"))
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        XCTAssertTrue(html.contains("&lt;b&gt;&quot;v&quot; &amp; &#39;w&#39;&lt;/b&gt;"))
    }

    func testRawHTMLInProseIsDroppedUnlessAllowed() throws {
        let body = ["Before.", "", "<script>alert('prose')</script>", "", "Inline <span class=\"x\">tag</span> here."]
        let dropped = Fixtures.render(NotebookParser.parse(text: body.joined(separator: "\n")), [])
        XCTAssertFalse(dropped.contains("alert('prose')"))
        XCTAssertFalse(dropped.contains("<span class=\"x\">"))
        XCTAssertTrue(dropped.contains("Inline"))

        let allowed = Fixtures.render(
            NotebookParser.parse(text: (["---", "allow-raw-html: true", "---"] + body).joined(separator: "\n")), [])
        XCTAssertTrue(allowed.contains("<script>alert('prose')</script>"))
        XCTAssertTrue(allowed.contains("<span class=\"x\">tag</span>"))
    }

    func testALeadingTitleHeadingIsShownOnceInTheHeader() {
        let bare = Fixtures.render(NotebookParser.parse(text: "# Words & *numbers*\n\nText.\n\n## Part\n"), [])
        XCTAssertEqual(bare.components(separatedBy: "<h1").count - 1, 1)
        XCTAssertTrue(bare.contains("<h1>Words &amp; numbers</h1>"))
        XCTAssertTrue(bare.contains("<title>Words &amp; numbers</title>"))

        let titled = Fixtures.render(NotebookParser.parse(text: "---\ntitle: Front\n---\n# Body title\n\nText.\n"), [])
        XCTAssertEqual(titled.components(separatedBy: "<h1").count - 1, 1)
        XCTAssertTrue(titled.contains("<h1>Front</h1>"))

        // A `#` heading after other prose is a section, not the title.
        let later = Fixtures.render(NotebookParser.parse(text: "Intro.\n\n# Section\n"), [])
        XCTAssertEqual(later.components(separatedBy: "<h1").count - 1, 2)
    }

    func testTitleIsEscapedAndFallsBackToFileName() {
        let titled = Fixtures.render(
            NotebookParser.parse(text: "---\ntitle: a < b & \"c\"\nauthor: Ada <L>\n---\n\nText.\n"), [])
        XCTAssertTrue(titled.contains("<title>a &lt; b &amp; &quot;c&quot;</title>"))
        XCTAssertTrue(titled.contains("<h1>a &lt; b &amp; &quot;c&quot;</h1>"))
        XCTAssertTrue(titled.contains("Ada &lt;L&gt;"))

        let untitled = Fixtures.render(NotebookParser.parse(text: "Text.\n", file: "/x/ptb-lstm.md"), [])
        XCTAssertTrue(untitled.contains("<title>ptb-lstm.md</title>"))
    }

    func testReportIsOffline() {
        let document = Fixtures.notebook(
            "# Links", "",
            "See [the paper](https://arxiv.org/abs/1409.2329) and <http://example.com/x>, www.example.org too.", "",
            "![curve](https://example.com/curve.png) ![proto](//cdn.example.com/a.png) ![local](img/plot.png)", "",
            "[evil](javascript:alert(1)) [section](#links) [tab](java\tscript:alert(2))")
        let html = Fixtures.render(document, [])
        XCTAssertFalse(html.contains("http://"))
        XCTAssertFalse(html.contains("https://"))
        XCTAssertFalse(html.lowercased().contains("javascript:"))
        XCTAssertFalse(html.contains("src=\"//"))
        XCTAssertTrue(html.contains("<img src=\"img/plot.png\" alt=\"local\">"))
        XCTAssertTrue(html.contains("[image: curve]"))
        XCTAssertEqual(Fixtures.count("<img", in: html), 1)
        XCTAssertTrue(html.contains("the paper <span class=\"url\">(https&#58;//arxiv.org/abs/1409.2329)</span>"))
        XCTAssertTrue(html.contains("<a href=\"#links\">section</a>"))
        XCTAssertFalse(html.contains("<link"))
    }

    func testTableOfContentsLinksUniqueHeadingIDs() {
        let document = Fixtures.notebook(
            "# Lesson", "", "## Reading the data", "", "### Vocabulary", "", "## Reading the data", "",
            "## Cell 1", "", Fixtures.cell("let a = 1"), "", "#### Deep")
        let html = Fixtures.render(document, [])
        XCTAssertTrue(html.contains("<h2 id=\"reading-the-data\">Reading the data</h2>"))
        XCTAssertTrue(html.contains("<h3 id=\"vocabulary\">Vocabulary</h3>"))
        XCTAssertTrue(html.contains("<h2 id=\"reading-the-data-2\">Reading the data</h2>"))
        // `cell-1` belongs to the cell's anchor, so the heading gets the next free id.
        XCTAssertTrue(html.contains("<h2 id=\"cell-1-2\">Cell 1</h2>"))
        XCTAssertTrue(html.contains("id=\"cell-1\""))
        XCTAssertTrue(html.contains("<h4 id=\"deep\">Deep</h4>"))
        let toc = html.components(separatedBy: "<nav class=\"toc\"").last?.components(separatedBy: "</nav>").first ?? ""
        XCTAssertTrue(toc.contains("href=\"#reading-the-data\""))
        XCTAssertTrue(toc.contains("href=\"#vocabulary\""))
        XCTAssertTrue(toc.contains("href=\"#reading-the-data-2\""))
        XCTAssertFalse(toc.contains("#lesson"), "h1 is not in the contents")
        XCTAssertFalse(toc.contains("#deep"), "h4 is not in the contents")
    }

    func testPromptsNumberOnlyCellsThatRan() throws {
        let document = Fixtures.notebook(
            Fixtures.cell("let a = 1"), "", Fixtures.cell("slow()", options: ["eval: false"]), "",
            Fixtures.cell("a + 1"), "", Fixtures.cell("a + 2"))
        let cells = document.cells
        XCTAssertEqual(cells.count, 4)
        let outcomes = [
            CellOutcome(cell: cells[0], status: .ran, duration: 2.3),
            CellOutcome(cell: cells[1], status: .skipped),
            CellOutcome(cell: cells[2], status: .ran, displayedValue: "2", duration: 842),
            CellOutcome(cell: cells[3], status: .notRun),
        ]
        XCTAssertEqual(ExecutionNumbers.assign(to: outcomes), [1, nil, 2, nil])
        let html = Fixtures.render(document, outcomes)
        XCTAssertTrue(Fixtures.section(of: html, id: "cell-1").contains("In [1]:"))
        let skipped = Fixtures.section(of: html, id: "cell-2")
        XCTAssertTrue(skipped.contains("In [ ]:"))
        XCTAssertTrue(skipped.contains("not evaluated (eval: false)"))
        let third = Fixtures.section(of: html, id: "cell-3")
        XCTAssertTrue(third.contains("In [2]:"))
        XCTAssertTrue(third.contains("Out [2]:"))
        XCTAssertTrue(third.contains("14 min 2 s"))
        XCTAssertTrue(Fixtures.section(of: html, id: "cell-1").contains("2.3 s"))
        XCTAssertTrue(Fixtures.section(of: html, id: "cell-4").contains("not run (the run stopped at an earlier error)"))
    }

    func testEchoAndOutputOptions() throws {
        let document = Fixtures.notebook(
            Fixtures.cell("let hidden = \"SOURCE\"", options: ["echo: false"]), "",
            Fixtures.cell("let shown = 2", options: ["output: false"]))
        let cells = document.cells
        let html = Fixtures.render(document, [
            CellOutcome(cell: cells[0], status: .ran, output: "OUTPUT-ONE\n", displayedValue: "VALUE-ONE"),
            CellOutcome(cell: cells[1], status: .ran, output: "OUTPUT-TWO\n", displayedValue: "VALUE-TWO"),
        ])
        XCTAssertFalse(html.contains("SOURCE"))
        XCTAssertTrue(html.contains("OUTPUT-ONE"))
        XCTAssertTrue(html.contains("VALUE-ONE"))
        XCTAssertTrue(html.contains("shown"))
        XCTAssertFalse(html.contains("OUTPUT-TWO"))
        XCTAssertFalse(html.contains("VALUE-TWO"))
    }

    func testErrorsAreShownInPlace() throws {
        let document = Fixtures.notebook(
            Fixtures.cell("1 / 0", options: ["error: expected"]), "",
            Fixtures.cell("let ok = 1", options: ["error: expected"]), "",
            Fixtures.cell("boom()", options: ["label: train"]), "",
            Fixtures.cell("after()"))
        let cells = document.cells
        let outcomes = [
            CellOutcome(cell: cells[0], status: .expectedFailure([]), renderedDiagnostics: ["lesson.md:2:1: error: division by zero"]),
            CellOutcome(cell: cells[1], status: .missingExpectedError,
                        renderedDiagnostics: ["lesson.md:6: error: the cell ran without the expected error"]),
            CellOutcome(cell: cells[2], status: .failed([]), renderedDiagnostics: ["lesson.md:10:1: error: no function `boom`"]),
            CellOutcome(cell: cells[3], status: .notRun),
        ]
        let html = Fixtures.render(document, outcomes, facts: ReportFacts(succeeded: false))
        let expected = Fixtures.section(of: html, id: "cell-1")
        XCTAssertTrue(expected.contains("Expected error"))
        XCTAssertTrue(expected.contains("<pre class=\"error expected\" tabindex=\"0\">lesson.md:2:1: error: division by zero</pre>"))
        let missing = Fixtures.section(of: html, id: "cell-2")
        XCTAssertTrue(missing.contains("Missing expected error"))
        XCTAssertTrue(missing.contains("<pre class=\"error\" tabindex=\"0\">lesson.md:6: error: the cell ran without the expected error</pre>"))
        let failed = Fixtures.section(of: html, id: "cell-3")
        XCTAssertTrue(failed.contains("<pre class=\"error\" tabindex=\"0\">lesson.md:10:1: error: no function `boom`</pre>"))
        XCTAssertTrue(html.contains("status-failed"))
        XCTAssertTrue(Fixtures.section(of: html, id: "cell-4").contains("not run (the run stopped at an earlier error)"))
        // The banner points at the first cell that failed the run: the missing expected error.
        let banner = html.components(separatedBy: "<div class=\"banner\"").last?.components(separatedBy: "</div>").first ?? ""
        XCTAssertTrue(banner.contains("The run failed."))
        XCTAssertTrue(banner.contains("href=\"#cell-2\""))
    }

    func testInterruptedRunSaysSo() throws {
        let document = Fixtures.notebook(Fixtures.cell("train()", options: ["label: train"]), "", Fixtures.cell("b()"))
        let cells = document.cells
        let html = Fixtures.render(document, [
            CellOutcome(cell: cells[0], status: .failed([]), renderedDiagnostics: ["lesson.md:2: error: interrupted"]),
            CellOutcome(cell: cells[1], status: .notRun),
        ], facts: ReportFacts(succeeded: false, cancelled: true))
        XCTAssertTrue(html.contains("The run was interrupted."))
        XCTAssertTrue(html.contains("<a href=\"#cell-1\">Cell 1 (train)</a> raised an error."))
        XCTAssertTrue(Fixtures.section(of: html, id: "cell-2").contains("not run (the run was interrupted)"))
        XCTAssertTrue(html.contains("<span class=\"result-interrupted\">interrupted</span>"))
    }

    func testSuccessfulRunHasNoBanner() throws {
        let document = Fixtures.notebook(Fixtures.cell("1"))
        let html = Fixtures.render(document, [CellOutcome(cell: try Fixtures.cell(document, 1), status: .ran)])
        XCTAssertFalse(html.contains("class=\"banner\""))
    }

    func testLongOutputIsCollapsedButKept() throws {
        let document = Fixtures.notebook(Fixtures.cell("log()"))
        let lines = (1...100).map { "step \($0) loss" }
        let html = Fixtures.render(document, [
            CellOutcome(cell: try Fixtures.cell(document, 1), status: .ran, output: lines.joined(separator: "\n") + "\n"),
        ])
        XCTAssertTrue(html.contains("<summary>Show all 100 lines</summary>"))
        XCTAssertTrue(html.contains("… 80 more lines …"))
        XCTAssertEqual(Fixtures.count("step 1 loss", in: html), 2, "in the full text and the preview")
        XCTAssertEqual(Fixtures.count("step 15 loss", in: html), 2)
        XCTAssertEqual(Fixtures.count("step 16 loss", in: html), 1, "only in the full text")
        XCTAssertEqual(Fixtures.count("step 50 loss", in: html), 1)
        XCTAssertEqual(Fixtures.count("step 96 loss", in: html), 2)
        XCTAssertEqual(Fixtures.count("step 100 loss", in: html), 2)

        let short = Fixtures.render(document, [
            CellOutcome(cell: try Fixtures.cell(document, 1), status: .ran, output: "a\nb\n"),
        ])
        XCTAssertFalse(short.contains("<details"))
        XCTAssertTrue(short.contains("<pre class=\"stream\" tabindex=\"0\">a\nb</pre>"))
    }

    func testFooterListsTheFacts() throws {
        let document = Fixtures.notebook(Fixtures.cell("let a = 1", options: ["label: setup"]), "",
                                         Fixtures.cell("b()", options: ["eval: false"]))
        let cells = document.cells
        let facts = ReportFacts(
            date: Date(timeIntervalSince1970: 1_790_000_000), duration: 125, engineVersion: "lesson 1.2.3",
            params: [.init(name: "epochs", value: "<13>")], seed: 42,
            dataFiles: [.init(name: "ptb.train.txt", sha256: "ab12cd")], command: "lesson run ptb.md --param epochs=13",
            succeeded: true, warnings: ["--param foo is not declared"], setupErrors: [])
        let html = Fixtures.render(document, [
            CellOutcome(cell: cells[0], status: .ran, duration: 1.5),
            CellOutcome(cell: cells[1], status: .skipped),
        ], facts: facts)
        let footer = html.components(separatedBy: "<footer").last ?? ""
        XCTAssertTrue(footer.contains("2026-09-21T14:13:20Z"))
        XCTAssertTrue(footer.contains("2 min 5 s"))
        XCTAssertTrue(footer.contains("lesson 1.2.3"))
        XCTAssertTrue(footer.contains("<code>epochs</code> = <code>&lt;13&gt;</code>"))
        XCTAssertTrue(footer.contains("<dt>Seed</dt><dd>42</dd>"))
        XCTAssertTrue(footer.contains("ptb.train.txt</code> SHA-256 <code>ab12cd"))
        XCTAssertTrue(footer.contains("lesson run ptb.md --param epochs=13"))
        XCTAssertTrue(footer.contains("result-succeeded"))
        XCTAssertTrue(footer.contains("--param foo is not declared"))
        XCTAssertFalse(footer.contains("Setup errors"))
        XCTAssertTrue(footer.contains("<td>setup</td><td>ran</td><td class=\"number\">1.50</td>"))
        XCTAssertTrue(footer.contains("<td>skipped</td><td class=\"number\"></td>"))
    }

    func testSetupErrorsShowInBannerAndFooter() {
        let html = Fixtures.render(Fixtures.notebook("Text."),
                                   [], facts: ReportFacts(succeeded: false, setupErrors: ["param `lr`: not a number"]))
        XCTAssertTrue(html.contains("Parameters could not be set up"))
        XCTAssertTrue(html.contains("<li>param `lr`: not a number</li>"))
    }

    func testFullReportIsWellFormed() throws {
        let document = Fixtures.notebook(
            "---", "title: Full <report>", "author: Test", "---", "",
            "# Intro", "", "Some *emphasis*, **strong**, `code`, ~~gone~~ and a footnote[^n].", "",
            "[^n]: The note.", "",
            "- [x] done", "- [ ] todo", "", "3. three", "4. four", "",
            "> quoted", "", "---", "",
            "| a | b |", "|:--|--:|", "| 1 | 2 |", "",
            "line one  ", "line two", "", "<div>raw</div>", "",
            "## Training", "", Fixtures.cell("let x = 1 // hi\nprint(x)"), "", "### More", "",
            Fixtures.cell("plot()"), "", Fixtures.cell("broken(", options: ["error: allow"]), "",
            Fixtures.cell("skip()", options: ["eval: false"]))
        let cells = document.cells
        let chart = LineChart(title: "Loss", series: [.init(name: "train", y: [3, 2, 1])])
        let map = try XCTUnwrap(Heatmap(title: "h", rows: 2, columns: 2, values: [-1, 0, 1, 2]))
        let outcomes = [
            CellOutcome(cell: cells[0], status: .ran, output: (1...60).map(String.init).joined(separator: "\n")),
            CellOutcome(cell: cells[1], status: .ran, pieces: [.text("before\n"), .figure(.lineChart(chart)),
                                                               .figure(.heatmap(map)), .text("after\n")],
                        displayedValue: "()"),
            CellOutcome(cell: cells[2], status: .failed([]), renderedDiagnostics: ["lesson.md:1: error: <expected>"]),
            CellOutcome(cell: cells[3], status: .skipped),
        ]
        let html = Fixtures.render(document, outcomes, facts: ReportFacts(succeeded: false, warnings: ["w"]))
        try Fixtures.assertWellFormed(html)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertLessThan(try XCTUnwrap(html.firstRange(of: "before")).lowerBound.utf16Offset(in: html),
                          try XCTUnwrap(html.firstRange(of: "class=\"chart line-chart\"")).lowerBound.utf16Offset(in: html))
        XCTAssertLessThan(try XCTUnwrap(html.firstRange(of: "class=\"chart heatmap\"")).lowerBound.utf16Offset(in: html),
                          try XCTUnwrap(html.firstRange(of: "<pre class=\"stream\" tabindex=\"0\">after")).lowerBound.utf16Offset(in: html))
    }

    func testWellFormednessCheckCatchesBrokenMarkup() throws {
        // The checker itself must be able to fail, or the test above proves nothing.
        let verdict = try Fixtures.wellFormednessVerdict("<!DOCTYPE html><html><body><div><p>x</p></body></html>")
        XCTAssertNotEqual(verdict, "ok")
        XCTAssertTrue(verdict.contains("div"), verdict)
    }
}
