import Foundation
import TestSupport
import Testing

/// The served page in a real browser (headless Chromium): the presenter clicks Run and the
/// output appears on every page; followers get no controls; presentation mode shows one
/// slide at a time and followers go where the presenter goes.
@Suite("lesson serve in a browser", .serialized,
       .enabled(if: HeadlessBrowser.isAvailable, "needs chromium (make test installs it)"))
struct ServePageBrowserTests {
    static let lesson = """
        # Browser lesson

        The first slide.

        ```swift
        print("first output <b>not bold</b>")
        40 + 2
        ```

        ## Second slide

        ```swift
        let words = ["a", "b", "c"]
        words.count
        ```

        ```swift
        //| slide: true
        words.joined(separator: "-")
        ```
        """

    /// Waits until the page is connected and knows its role.
    static func open(_ browser: HeadlessBrowser, _ url: String, presenter: Bool) throws {
        try browser.navigate(to: url)
        try browser.waitUntil("document.getElementById('connection').textContent === 'live'", timeout: 10)
        let role = presenter ? "presenter" : "following the presenter (read-only)"
        try browser.waitUntil("document.getElementById('role').textContent === '\(role)'", timeout: 10)
    }

    /// The lesson served, with the presenter's page and one follower's page open and live.
    static func classroom(_ text: String = lesson, arguments: [String] = [])
        throws -> (ServedLesson, presenter: HeadlessBrowser, follower: HeadlessBrowser) {
        let served = try ServedLesson(text, arguments: arguments)
        let presenter = try HeadlessBrowser()
        let follower = try HeadlessBrowser()
        let base = "http://127.0.0.1:\(served.port)/"
        try open(presenter, base + "?token=\(served.token)", presenter: true)
        try open(follower, base, presenter: false)
        return (served, presenter, follower)
    }

    @Test("the presenter clicks Run and the output appears, also on a follower's page")
    func runFromThePage() throws {
        let (served, presenter, follower) = try Self.classroom()
        defer { served.stop(); presenter.close(); follower.close() }
        #expect(try presenter.evaluate("location.search") as? String == "", "the token leaves the address bar")
        #expect(try follower.evaluate("document.querySelector('[data-action=run]').offsetParent === null") as? Bool == true,
                "followers have no Run button")

        try presenter.click(selector: "button[data-action=run]")
        let shown = "document.querySelector('#cell-1 .outputs').textContent.includes('42')"
        try presenter.waitUntil(shown, timeout: 15)
        try follower.waitUntil(shown, timeout: 15)
        #expect(try presenter.text(of: "#cell-1 .prompt") == "In [1]:")
        #expect(try follower.text(of: "#cell-1 .prompt") == "In [1]:")
        #expect(try follower.text(of: "#cell-1 .outputs pre.stream")?.contains("first output <b>not bold</b>") == true,
                "markup a cell prints shows as text")
        #expect(try follower.evaluate("document.querySelector('#cell-1 .outputs b')") == nil)
        #expect(try presenter.evaluate("document.querySelector('#cell-2').classList.contains('current')") as? Bool == true)

        // Run to here on the third cell runs the second on the way.
        try presenter.click(selector: "#cell-3 button.run-to")
        try follower.waitUntil("document.querySelector('#cell-3 .outputs').textContent.includes('a-b-c')", timeout: 15)
        #expect(try follower.text(of: "#cell-2 .prompt") == "In [2]:")

        // A follower that clicks (it has no buttons, so it calls the API itself) is refused.
        let status = try follower.evaluate("""
            fetch('/api/back', {method: 'POST', body: '{}'}).then(r => r.status)
            """)
        #expect(status as? Double == 403)
    }

    @Test("presentation mode shows one slide at a time; followers follow the presenter's slide")
    func presentationMode() throws {
        let (served, presenter, follower) = try Self.classroom()
        defer { served.stop(); presenter.close(); follower.close() }
        #expect(try presenter.evaluate("document.querySelectorAll('section.slide').length") as? Double == 3)

        try presenter.press(.character("p"))
        try follower.click(selector: "#present")
        let visible = "Array.from(document.querySelectorAll('section.slide')).filter(s => s.offsetParent !== null).map(s => s.dataset.slide).join(',')"
        #expect(try presenter.evaluate(visible) as? String == "0")
        #expect(try presenter.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") as? Double ?? 0 > 20,
                "large type")

        #expect(try presenter.evaluate("document.body.classList.contains('presenting')") as? Bool == true,
                "P switches to presentation mode")
        try presenter.press(.arrowRight)
        #expect(try presenter.evaluate(visible) as? String == "1")
        try follower.waitUntil("(\(visible)) === '1'", timeout: 10)
        try presenter.press(.end)
        try follower.waitUntil("(\(visible)) === '2'", timeout: 10)
        #expect(try follower.text(of: "#slide-number") == "3 / 3")

        // Running a cell on another slide (Shift+Enter) brings everyone to it, output included.
        try presenter.press(.enter, shift: true)
        try follower.waitUntil("(\(visible)) === '0'", timeout: 10)
        try follower.waitUntil("document.querySelector('#cell-1 .outputs').textContent.includes('42')", timeout: 15)
        try presenter.press(.escape)
        #expect(try presenter.evaluate("document.body.classList.contains('presenting')") as? Bool == false,
                "Escape leaves presentation mode")
    }

    @Test("in a student session the presenter shows a solution to everyone when the class is ready")
    func revealASolution() throws {
        let exercise = """
            ```swift
            //| label: double it
            //| solution: true
            //| check: answer == 42
            let answer = 21 * 2
            print("solution ran")
            ```
            """
        let (served, presenter, follower) = try Self.classroom(exercise, arguments: ["--student"])
        defer { served.stop(); presenter.close(); follower.close() }
        #expect(try follower.evaluate("document.body.textContent.includes('21 * 2')") as? Bool == false)
        #expect(try follower.evaluate("document.querySelector('button.reveal').offsetParent === null") as? Bool == true)
        try presenter.click(selector: "button[data-action=run]")
        try follower.waitUntil("document.querySelector('#cell-1').classList.contains('status-ran')", timeout: 15)
        #expect(try follower.text(of: "#cell-1 .outputs")?.contains("answer == 42") == true, "the check shows")
        #expect(try follower.text(of: "#cell-1 .outputs")?.contains("solution ran") == false, "its output does not")

        try presenter.click(selector: "button.reveal")
        try follower.waitUntil("document.querySelector('#cell-1 pre.revealed') !== null", timeout: 10)
        #expect(try follower.text(of: "#cell-1 pre.revealed")?.contains("let answer = 21 * 2") == true)
        try follower.waitUntil("document.querySelector('#cell-1 .outputs').textContent.includes('solution ran')", timeout: 10)
        #expect(try presenter.evaluate("document.querySelector('button.reveal')") == nil, "the button is gone")
    }

    @Test("running a cell again marks the cells it made stale on every page; Update stale runs them again")
    func staleMarks() throws {
        let text = """
            # Stale

            ```swift
            var x = 1
            ```

            ```swift
            x += 1
            x
            ```

            ```swift
            x * 10
            ```
            """
        let (served, presenter, follower) = try Self.classroom(text, arguments: ["--no-cache"])
        defer { served.stop(); presenter.close(); follower.close() }
        try presenter.click(selector: "#cell-3 button.run-to")
        try follower.waitUntil("document.querySelector('#cell-3 .outputs').textContent.includes('20')", timeout: 15)
        #expect(try follower.evaluate("document.querySelector('#cell-2 .stale-mark').hidden") as? Bool == true)

        // x goes back to 1: the outputs of cells 2 and 3 no longer hold.
        try presenter.click(selector: "#cell-1 button.run-again")
        let marked = "!document.querySelector('#cell-3 .stale-mark').hidden"
        try follower.waitUntil(marked, timeout: 15)
        #expect(try follower.text(of: "#cell-2 .stale-mark") == "stale: x changed")
        #expect(try follower.text(of: "#cell-3 .stale-mark") == "stale: x changed")
        #expect(try follower.evaluate("document.querySelector('#cell-3').classList.contains('stale')") as? Bool == true)
        #expect(try follower.evaluate("document.querySelector('#cell-1 .stale-mark').hidden") as? Bool == true)
        #expect(try follower.evaluate("document.querySelector('button.run-again').offsetParent === null") as? Bool == true,
                "followers have no Run again button")

        try presenter.click(selector: "button[data-action=update]")
        try follower.waitUntil("document.querySelector('#cell-3 .stale-mark').hidden", timeout: 15)
        #expect(try follower.evaluate("document.querySelector('#cell-2 .stale-mark').hidden") as? Bool == true)
        #expect(try follower.text(of: "#cell-3 .outputs")?.contains("20") == true)
    }

    @Test("inline values appear in the prose on every page when the lesson reaches them; a late page gets them too")
    func inlineValues() throws {
        let text = """
            # Inline

            Before anything: `{swift} 6 * 7`.

            ```swift
            var x = 10
            ```

            Now x is `{swift} x, format: "%04d"` and `{swift} nope` fails.
            """
        let (served, presenter, follower) = try Self.classroom(text, arguments: ["--no-cache"])
        defer { served.stop(); presenter.close(); follower.close() }
        let first = "document.querySelector('[data-inline]').textContent === '42'"
        try follower.waitUntil(first, timeout: 10)
        #expect(try follower.evaluate("document.querySelectorAll('code.inline-pending').length") as? Int == 2,
                "the prose after the cell waits for it")

        try presenter.click(selector: "button[data-action=run]")
        try follower.waitUntil("document.querySelectorAll('code.inline-pending').length === 0", timeout: 15)
        #expect(try follower.evaluate("document.querySelectorAll('span.inline-value')[1].textContent") as? String == "0010")
        #expect(try follower.text(of: "code.inline-error") == "⚠ cannot find 'nope' in scope")

        let late = try HeadlessBrowser()
        defer { late.close() }
        try Self.open(late, "http://127.0.0.1:\(served.port)/", presenter: false)
        try late.waitUntil("document.querySelectorAll('span.inline-value').length === 2", timeout: 10)
        #expect(try late.text(of: "code.inline-error") == "⚠ cannot find 'nope' in scope")

        // Back above the cell: the values after it are withdrawn on every page, the code shows again.
        try presenter.click(selector: "button[data-action=back]")
        try follower.waitUntil("document.querySelectorAll('code.inline-pending').length === 2", timeout: 15)
        #expect(try follower.evaluate("document.querySelectorAll('span.inline-value').length") as? Int == 1)
        #expect(try follower.evaluate("document.querySelectorAll('code.inline-pending')[0].textContent") as? String
                == #"x, format: "%04d""#)
        try late.waitUntil("document.querySelectorAll('code.inline-pending').length === 2", timeout: 15)
    }
}

/// Students' forks and live edits in real browsers: a presenter and two students.
@Suite("lesson serve in a browser: forks and edits", .serialized,
       .enabled(if: HeadlessBrowser.isAvailable, "needs chromium (make test installs it)"))
struct ServeForkBrowserTests {
    /// The fork tests' lesson: `base`, then `answer = base + 2`, then `answer * 10`.
    static let lesson = ServeForkTests.lesson

    /// Replaces the open editor's code in cell `cell` (1-based) and runs it with Shift+Enter.
    static func edit(_ browser: HeadlessBrowser, cell: Int, code: String, codeMirror: Bool = true) throws {
        try browser.click(selector: "#cell-\(cell) button.edit")
        let literal = String(decoding: try JSONEncoder().encode(code), as: UTF8.self)
        if codeMirror {
            try browser.waitUntil("document.querySelector('#cell-\(cell) .CodeMirror') !== null", timeout: 5)
            _ = try browser.evaluate("""
                (function () { var cm = document.querySelector('#cell-\(cell) .CodeMirror').CodeMirror;
                  cm.setValue(\(literal)); cm.focus(); return true; })()
                """)
        } else {
            try browser.waitUntil("document.querySelector('#cell-\(cell) textarea.plain-editor') !== null", timeout: 5)
            _ = try browser.evaluate("""
                (function () { var t = document.querySelector('#cell-\(cell) textarea.plain-editor');
                  t.value = \(literal); t.focus(); return true; })()
                """)
        }
        try browser.press(.enter, shift: true)
    }

    @Test("a student forks, edits and runs a cell; the other student and the presenter are unaffected; the presenter's edit reaches followers")
    func forkEditRun() throws {
        let (served, presenter, follower) = try ServePageBrowserTests.classroom(Self.lesson, arguments: ["--fork-memory", "300MB"])
        let student = try HeadlessBrowser()
        defer { served.stop(); presenter.close(); follower.close(); student.close() }
        try ServePageBrowserTests.open(student, "http://127.0.0.1:\(served.port)/", presenter: false)
        #expect(try presenter.evaluate("document.querySelector('#fork').offsetParent === null") as? Bool == true,
                "the presenter has no fork button")
        #expect(try student.evaluate("document.querySelector('button.edit').offsetParent === null") as? Bool == true,
                "a follower cannot edit")

        try presenter.click(selector: "button[data-action=run]")
        try student.waitUntil("document.querySelector('#cell-1').classList.contains('status-ran')", timeout: 15)

        // Student A: Try it from here, edit the second cell, Shift+Enter.
        try student.click(selector: "#fork")
        try student.waitUntil("document.body.classList.contains('forked')", timeout: 30)
        try student.waitUntil("document.getElementById('fork-status').textContent.includes('from cell 2')", timeout: 10)
        try presenter.waitUntil("document.getElementById('class-count').textContent.includes('1 forked')", timeout: 10)
        try Self.edit(student, cell: 2, code: "let answer = base + 100\nanswer")
        #expect(try student.evaluate("document.querySelector('#cell-2 .CodeMirror .cm-keyword') !== null") as? Bool == true,
                "CodeMirror highlights Swift")
        try student.waitUntil("document.querySelector('#cell-2 .outputs').textContent.includes('140')", timeout: 15)
        let firstCell = try student.evaluate("document.querySelector('#cell-1').className + ' ' + document.querySelector('#cell-1 .prompt').textContent") as? String ?? ""
        #expect(firstCell.contains("status-ran"), "the cell the class ran keeps its view in the fork: \(firstCell)")

        // Student B (following) and the presenter saw none of it.
        #expect(try follower.evaluate("document.querySelector('#cell-2 .outputs').textContent") as? String == "")
        #expect(try follower.evaluate("document.body.textContent.includes('base + 100')") as? Bool == false)
        #expect(try presenter.evaluate("document.querySelector('#cell-2').classList.contains('current')") as? Bool == true)

        // A memory bomb in A's copy stops there, with a message.
        try Self.edit(student, cell: 3,
                      code: "var grow: [[Int]] = []\nfor i in 0..<1000 { grow.append(Array(repeating: i, count: 1_000_000)) }")
        try student.waitUntil("document.querySelector('#cell-3 .outputs').textContent.includes('would need')", timeout: 30)

        // The presenter edits the third cell live and runs to it: followers see the code and the result.
        try Self.edit(presenter, cell: 3, code: "answer * 1000")
        try follower.waitUntil("document.querySelector('#cell-3 pre.edited') !== null", timeout: 10)
        #expect(try follower.text(of: "#cell-3 pre.edited")?.contains("answer * 1000") == true)
        try follower.waitUntil("document.querySelector('#cell-3 .outputs').textContent.includes('42000')", timeout: 15)
        #expect(try follower.text(of: "#cell-2 .outputs")?.contains("42") == true)
        #expect(try student.evaluate("document.querySelector('#cell-3 .outputs').textContent.includes('42000')") as? Bool == false,
                "A's copy does not follow the class")

        // A goes back to following: the class's outputs and the presenter's code.
        try student.click(selector: "#unfork")
        try student.waitUntil("!document.body.classList.contains('forked')", timeout: 10)
        try student.waitUntil("document.querySelector('#cell-3 .outputs').textContent.includes('42000')", timeout: 10)
        #expect(try student.text(of: "#cell-2 .source")?.contains("base + 100") == false)
        try presenter.waitUntil("document.getElementById('class-count').textContent.includes('0 forked')", timeout: 10)
    }

    @Test("without CodeMirror the editor is a plain text area that says why, and still runs with Shift+Enter")
    func plainEditor() throws {
        let served = try ServedLesson(Self.lesson, environment: ["LESSON_CODEMIRROR": "/nonexistent"])
        let presenter = try HeadlessBrowser()
        defer { served.stop(); presenter.close() }
        try ServePageBrowserTests.open(presenter, "http://127.0.0.1:\(served.port)/?token=\(served.token)", presenter: true)
        #expect(try presenter.evaluate("typeof window.CodeMirror") as? String == "undefined")
        try Self.edit(presenter, cell: 2, code: "let answer = 7\nanswer", codeMirror: false)
        #expect(try presenter.text(of: "#cell-2 .editor-note")?.contains("libjs-codemirror") == true)
        try presenter.waitUntil("document.querySelector('#cell-2 .outputs').textContent.includes('7')", timeout: 15)
    }
}
