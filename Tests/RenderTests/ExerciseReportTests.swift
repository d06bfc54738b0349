import Foundation
import Notebook
@testable import Render
import Testing

/// Instructor and student reports of a lesson with exercises, from a real run.
@Suite("Exercise reports")
struct ExerciseReportTests {
    static let text = """
        # Tiny

        ```swift
        let a = 1
        let b = 2
        let c = "z"
        ```

        ```swift
        //| label: compare & <count>
        //| solution: true
        //| check: a < b && c > "<x>"
        //| check: total == 4
        let total = a + b
        print("SOLUTION-ONLY-OUTPUT")
        total
        ```

        ```swift
        print("after", total)
        ```
        """

    static func report(_ audience: ReportAudience) -> (html: String, run: NotebookRun) {
        let document = NotebookParser.parse(text: text, file: "lesson.md")
        let run = NotebookExecutor(document: document, text: text).run()
        let html = HTMLReport.render(document: document, outcomes: run.outcomes,
                                     facts: ReportFacts(run: run, engineVersion: "lesson 0.1"), audience: audience)
        return (html, run)
    }

    @Test("points print as people write them, and any value prints without trapping")
    func pointsText() {
        let values: [Double] = [2, 1.5, 0.25, 1e19, .infinity, 1.0 / 3]
        let texts = values.map(FeedbackPage.points)
        #expect(texts == ["2", "1.5", "0.25", "10000000000000000000", "∞", "0.33"])
    }

    @Test func theInstructorSeesTheSolutionCollapsedWithMarkedChecks() throws {
        let (html, run) = Self.report(.instructor)
        #expect(run.outcomes[1].checks.map(\.passed) == [true, false])
        let cell = Fixtures.section(of: html, id: "cell-2")
        #expect(cell.contains("<details class=\"solution\"><summary>Solution (exercise 1: compare &amp; &lt;count&gt;)"
                              + "</summary>"))
        let details = try #require(cell.range(of: "<details class=\"solution\">"))
        let closed = try #require(cell.range(of: "</details>"))
        let inside = cell[details.upperBound..<closed.lowerBound]
        #expect(inside.contains("SOLUTION-ONLY-OUTPUT"))
        #expect(inside.contains("class=\"source\""))
        // The checks, escaped, with their marks, outside the collapsed part.
        let after = cell[closed.upperBound...]
        #expect(after.contains("<li class=\"check-passed\"><span class=\"mark\">✓</span> "
                               + "<code>a &lt; b &amp;&amp; c &gt; &quot;&lt;x&gt;&quot;</code></li>"))
        #expect(after.contains("<li class=\"check-failed\"><span class=\"mark\">✗</span> <code>total == 4</code>"
                               + " <span class=\"check-message\">is false: total is 3</span></li>"))
        #expect(!html.contains("c > \"<x>\""))
        #expect(html.contains("failed its check <code>total == 4</code>"))
        #expect(try Fixtures.wellFormednessVerdict(html) == "ok")
    }

    @Test func theStudentSeesAnExerciseAndNothingOfTheSolution() throws {
        let (html, _) = Self.report(.student)
        #expect(!html.contains("SOLUTION-ONLY-OUTPUT"))
        #expect(!html.contains("a + b"))
        #expect(!html.contains("<details class=\"solution\""))
        let cell = Fixtures.section(of: html, id: "cell-2")
        #expect(cell.contains("<strong>Exercise 1</strong>: compare &amp; &lt;count&gt;"))
        #expect(cell.contains("Write the code so that:"))
        #expect(cell.contains("<li><code>a &lt; b &amp;&amp; c &gt; &quot;&lt;x&gt;&quot;</code></li>"))
        #expect(cell.contains("<li><code>total == 4</code></li>"))
        #expect(cell.contains("class=\"source exercise-area\""))
        #expect(!cell.contains("✓") && !cell.contains("✗") && !cell.contains("Out ["))
        // Other cells are as usual.
        #expect(Fixtures.section(of: html, id: "cell-3").contains("after 3"))
        #expect(try Fixtures.wellFormednessVerdict(html) == "ok")
    }

    @Test func aGradedReportShowsTheAnswerAsCodeAndNothingOfItAsMarkup() throws {
        let lesson = "---\nallow-raw-html: true\n---\n" + Self.text
        let student = """
            ```swift
            //| exercise: 1
            //| check: true
            print("<b>printed</b>")
            let total = b + a // </code></pre><script>alert("comment")</script>
            let tag = "<img src=x onerror=alert(1)>"
            let broken = [1][5] // <h1>on the error line</h1>
            ```
            """
        let answers = try AnswerSheet(student: NotebookParser.parse(text: student, file: "student.md"),
                                      text: student, exerciseCount: 1)
        let plan = GradingPlan(lesson: NotebookParser.parse(text: lesson, file: "lesson.md"), lessonText: lesson,
                               answers: answers)
        let run = plan.executor().run()
        let html = HTMLReport.render(document: plan.document, outcomes: run.outcomes,
                                     facts: ReportFacts(run: run, engineVersion: "lesson 0.1"), audience: .instructor)
        // (The page has a <script> and an <h1> of its own.)
        for markup in ["<b>printed", "<script>alert", "</pre><script>", "<img src=x", "<h1>on the"] {
            #expect(!html.contains(markup), "\(markup) reached the page as markup")
        }
        let cell = Fixtures.section(of: html, id: "cell-2")
        #expect(cell.contains("<details class=\"solution\"><summary>Solution (exercise 1: compare &amp; &lt;count&gt;)"))
        #expect(cell.contains("class=\"source\""), "the answer is highlighted like any cell")
        let text = cell.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
        #expect(text.contains("let total = b + a // &lt;/code&gt;&lt;/pre&gt;&lt;script&gt;alert(&quot;comment&quot;)"))
        #expect(text.contains("let tag = &quot;&lt;img src=x onerror=alert(1)&gt;&quot;"))
        #expect(text.contains("&lt;b&gt;printed&lt;/b&gt;"), "what the answer printed is text")
        #expect(text.contains("student.md:7:"), "the error is located in the student's file")
        #expect(text.contains("let broken = [1][5] // &lt;h1&gt;on the error line&lt;/h1&gt;"), "its line is quoted")
        #expect(!cell.contains("SOLUTION-ONLY-OUTPUT") && !html.contains("print(&quot;SOLUTION"))
        // The lesson's check, not the answer's `check: true`, is listed, not evaluated (the answer raised).
        #expect(cell.contains("<code>total == 4</code> <span class=\"check-message\">not evaluated</span>"))
        #expect(!cell.contains("<code>true</code>"))
        #expect(try Fixtures.wellFormednessVerdict(html) == "ok")
    }

    @Test func theTranscriptListsChecks() {
        let (_, run) = Self.report(.instructor)
        let text = Transcript.outcome(run.outcomes[1], number: 2)
        #expect(text.hasSuffix("✓ check: a < b && c > \"<x>\"\n✗ check: total == 4 (is false: total is 3)\n"))
    }
}
