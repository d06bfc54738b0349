import Notebook
import Render
import Testing

@Suite("the page lesson serve shows")
struct LessonPageTests {
    static func page(_ text: String) throws -> (html: String, slides: Int) {
        LessonPage.render(document: try NotebookParser.parse(text: text, file: "lesson.md"))
    }

    @Test("a slide at every # and ## heading and at slide: true cells, the title slide first")
    func slides() throws {
        let (html, slides) = try Self.page("""
            # Title

            Intro.

            ## One

            ```swift
            1
            ```

            ### Not a new slide

            ```swift
            //| slide: true
            2
            ```

            ## Two
            """)
        #expect(slides == 4)
        #expect(html.components(separatedBy: "<section class=\"slide\"").count == 5)
        #expect(html.components(separatedBy: "</section>").count - 1 == 4 + 2, "slides and cells all closed")
        let third = try #require(html.range(of: "data-slide=\"2\""))
        #expect(html[third.upperBound...].hasPrefix(">\n<section class=\"cell"), "the slide: true cell opens slide 3")
    }

    @Test("cells wait with their controls; labels and sources are escaped; solutions are collapsed")
    func cells() throws {
        let (html, _) = try Self.page("""
            ```swift
            //| label: <b>bold</b>
            let s = "<script>"
            ```

            ```swift
            //| solution: true
            //| check: x == 1
            let x = 1
            ```
            """)
        #expect(html.contains("data-cell=\"0\"") && html.contains("data-cell=\"1\""))
        #expect(html.contains("&lt;b&gt;bold&lt;/b&gt;") && !html.contains("<b>bold"))
        #expect(!html.contains("\"<script>\""), "source is escaped")
        #expect(html.contains("data-action=\"run-to\" data-cell=\"1\""))
        #expect(html.contains("<details class=\"solution\"><summary>"), "the solution is collapsed")
        #expect(!html.contains("http://") && !html.contains("https://"))
    }

    @Test("a student page never shows a hidden check, in the exercise or in its results; the instructor's marks it")
    func hiddenChecks() throws {
        let text = """
            ```swift
            //| solution: true
            //| check: total == 10
            //| hidden-check: total > 0
            let total = 10
            ```
            """
        let document = try NotebookParser.parse(text: text, file: "lesson.md")
        let student = LessonPage.render(document: document, audience: .student).html
        #expect(student.contains("total == 10") && !student.contains("total &gt; 0"))
        let cell = document.cells[0]
        var outcome = CellOutcome(cell: cell, status: .ran)
        outcome.checks = [CheckResult(expression: "total == 10", line: 3, column: 12, passed: true),
                          CheckResult(expression: "total > 0", line: 4, column: 19, passed: true)]
        #expect(!LessonPage.checks(outcome).contains("total &gt; 0"))
        #expect(!LessonPage.outputs(outcome, number: 1, figurePrefix: "x", forStudents: true).contains("total &gt; 0"))
        let instructor = LessonPage.outputs(outcome, number: 1, figurePrefix: "x")
        #expect(instructor.contains("total &gt; 0") && instructor.contains("hidden from students"))
    }
}
