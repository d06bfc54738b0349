import Foundation
import Notebook
@testable import Render
import XCTest

/// A real run through `NotebookExecutor`, rendered: the report and the transcript show what the
/// cells actually did, and the footer takes its facts from the run.
final class RunReportTests: XCTestCase {
    private let text = """
        ---
        title: A real run
        params:
          n: 3
        ---

        ## Doubling

        ```swift
        let y = n * 2
        print("y is \\(y)")
        y
        ```

        ```swift
        //| error: expected
        let z = 1 / 0
        ```

        ```swift
        //| eval: false
        never()
        ```
        """

    func testReportOfARealRun() throws {
        let document = NotebookParser.parse(text: text, file: "run.md")
        let run = NotebookExecutor(document: document, text: text).run(params: ["n": "4"])
        XCTAssertTrue(run.succeeded, "\(run.outcomes.map(\.renderedDiagnostics))")
        let facts = ReportFacts(run: run, engineVersion: "lesson test", command: "lesson run run.md",
                                warnings: document.warnings.map(\.description))
        XCTAssertEqual(facts.params, [ReportFacts.Param(name: "n", value: "4")])
        XCTAssertTrue(facts.succeeded)

        let html = HTMLReport.render(document: document, outcomes: run.outcomes, facts: facts)
        try Fixtures.assertWellFormed(html)
        let first = Fixtures.section(of: html, id: "cell-1")
        XCTAssertTrue(first.contains("In [1]:"))
        XCTAssertTrue(first.contains("<pre class=\"stream\" tabindex=\"0\">y is 8</pre>"))
        XCTAssertTrue(first.contains("Out [1]:"))
        XCTAssertTrue(first.contains("<pre class=\"value\" tabindex=\"0\">8</pre>"))
        let second = Fixtures.section(of: html, id: "cell-2")
        XCTAssertTrue(second.contains("In [2]:"))
        XCTAssertTrue(second.contains("Expected error"))
        XCTAssertTrue(second.contains("run.md:"), "the diagnostic is located in the notebook file")
        XCTAssertTrue(Fixtures.section(of: html, id: "cell-3").contains("In [ ]:"))
        XCTAssertTrue(html.contains("<code>n</code> = <code>4</code>"))
        XCTAssertTrue(html.contains("result-succeeded"))
        XCTAssertFalse(html.contains("class=\"banner\""))

        let numbers = ExecutionNumbers.assign(to: run.outcomes)
        XCTAssertEqual(numbers, [1, 2, nil])
        let transcript = zip(run.outcomes, numbers).map { outcome, number in
            Transcript.cellHeader(outcome.cell, number: number, total: document.cells.count) + "\n"
                + Transcript.outcome(outcome, number: number)
        }.joined()
        XCTAssertTrue(transcript.hasPrefix("── In [1] · cell 1/3 ──\ny is 8\nOut [1]: 8\n── In [2] · cell 2/3 ──\nexpected error:\n"),
                      transcript)
        XCTAssertTrue(transcript.hasSuffix("── In [ ] · cell 3/3 ──\nnot evaluated (eval: false)\n"), transcript)
    }
}
