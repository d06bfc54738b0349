import Foundation
import Testing
import TestSupport

/// The test-support browser against small pages of our own: it must click like a user
/// (a trusted mouse event at the element, after scrolling to it) and report what goes wrong.
/// Serialized: each test starts its own chromium, and two at once crowd a 2-core machine.
@Suite(.serialized, .enabled(if: HeadlessBrowser.isAvailable, "needs chromium (apt-get install chromium)"))
struct HeadlessBrowserTests {
    /// A button below the first screenful whose handler appends `<p id="out">clicked N</p>`,
    /// recording whether the click came from a real input event.
    static let counterPage = """
        <!doctype html>
        <html><body>
        <div style="height: 2000px">tall text, so the button starts out of view</div>
        <button id="go">Run</button>
        <script>
          let clicks = 0;
          document.querySelector("#go").addEventListener("click", (event) => {
            clicks += 1;
            const output = document.createElement("p");
            output.id = clicks === 1 ? "out" : "out" + clicks;
            output.textContent = "clicked " + clicks;
            output.dataset.trusted = String(event.isTrusted);
            document.body.appendChild(output);
          });
        </script>
        </body></html>
        """

    @Test func clickingTheButtonShowsItsOutput() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let page = try folder.write(Data(Self.counterPage.utf8), to: "counter.html")
        let browser = try HeadlessBrowser()
        defer { browser.close() }

        try browser.navigate(to: page.absoluteString)
        #expect(try browser.text(of: "#out") == nil)
        #expect(try browser.evaluate("window.scrollY") as? Double == 0)

        try browser.click(selector: "#go")
        try browser.waitUntil("document.querySelector('#out') !== null")
        #expect(try browser.text(of: "#out") == "clicked 1")
        #expect(try browser.evaluate("document.querySelector('#out').dataset.trusted") as? String == "true")
        #expect(try browser.evaluate("window.scrollY") as? Double ?? 0 > 0)

        try browser.click(selector: "#go")
        try browser.waitUntil("document.querySelectorAll('p').length === 2")
        #expect(try browser.text(of: "#out2") == "clicked 2")

        let screenshot = folder.url.appendingPathComponent("after.png")
        try browser.screenshot(to: screenshot.path)
        let png = try Data(contentsOf: screenshot)
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
    }

    @Test func pressingKeysSendsTrustedKeyEvents() throws {
        let browser = try HeadlessBrowser()
        defer { browser.close() }
        try browser.navigate(to: """
            data:text/html,<p id=log></p><script>
            addEventListener("keydown", e => {
              document.getElementById("log").textContent += e.key + (e.shiftKey ? "+shift" : "") + ":" + e.isTrusted + " ";
            });
            </script>
            """)
        try browser.press(.character("p"))
        try browser.press(.arrowRight)
        try browser.press(.enter, shift: true)
        try browser.press(.character(" "))
        try browser.waitUntil("document.getElementById('log').textContent.split(' ').length > 4")
        #expect(try browser.text(of: "#log") == "p:true ArrowRight:true Enter+shift:true  :true ")
    }

    @Test func clickingAMissingElementSaysWhichSelector() throws {
        let browser = try HeadlessBrowser()
        defer { browser.close() }
        try browser.navigate(to: "data:text/html,<button id=go>Run</button>")

        let error = #expect(throws: HeadlessBrowser.Failure.self) {
            try browser.click(selector: "#missing")
        }
        guard case .noElement(let selector)? = error else {
            Issue.record("expected noElement, got \(String(describing: error))")
            return
        }
        #expect(selector == "#missing")
        #expect("\(error.map { "\($0)" } ?? "")".contains("no element matches the selector #missing"))
    }

    @Test func clickingACoveredElementSaysWhatCoversIt() throws {
        let browser = try HeadlessBrowser()
        defer { browser.close() }
        try browser.navigate(to: """
            data:text/html,<button id=go>Run</button>\
            <div id=veil style="position:fixed;inset:0;background:white"></div>
            """)

        let error = #expect(throws: HeadlessBrowser.Failure.self) {
            try browser.click(selector: "#go")
        }
        guard case .notClickable(_, let reason)? = error else {
            Issue.record("expected notClickable, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("covered by <div id=\"veil\""))
    }

    @Test func evaluateReturnsValuesAndReportsExceptions() throws {
        let browser = try HeadlessBrowser()
        try browser.navigate(to: "about:blank")
        #expect(try browser.evaluate("1 + 2") as? Int == 3)
        #expect(try browser.evaluate("Promise.resolve('later')") as? String == "later")
        #expect(try browser.evaluate("undefined") == nil)

        let error = #expect(throws: HeadlessBrowser.Failure.self) {
            try browser.evaluate("throw new RangeError('boom at ' + (6 * 7))")
        }
        guard case .javaScript(_, let message)? = error else {
            Issue.record("expected javaScript, got \(String(describing: error))")
            return
        }
        #expect(message.contains("RangeError: boom at 42"))

        let stillFalse = #expect(throws: HeadlessBrowser.Failure.self) {
            try browser.waitUntil("document.title === 'never'", timeout: 0.3)
        }
        guard case .conditionNotMet(let expression, _)? = stillFalse else {
            Issue.record("expected conditionNotMet, got \(String(describing: stillFalse))")
            return
        }
        #expect(expression == "document.title === 'never'")

        browser.close()
        #expect(throws: HeadlessBrowser.Failure.self) { try browser.evaluate("1") }
    }

    @Test func aPageThatNeverAnswersTimesOutInsteadOfHanging() throws {
        let browser = try HeadlessBrowser(commandTimeout: 1)
        defer { browser.close() }
        let started = Date()

        let error = #expect(throws: HeadlessBrowser.Failure.self) {
            try browser.evaluate("while (true) {}")
        }
        guard case .timeout(let waitingFor, _)? = error else {
            Issue.record("expected timeout, got \(String(describing: error))")
            return
        }
        #expect(waitingFor == "the reply to Runtime.evaluate")
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func aMissingFileIsANavigationError() throws {
        let browser = try HeadlessBrowser()
        defer { browser.close() }
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-page-\(UUID()).html")

        let error = #expect(throws: HeadlessBrowser.Failure.self) {
            try browser.navigate(to: missing.absoluteString)
        }
        guard case .navigation(_, let reason)? = error else {
            Issue.record("expected navigation, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("ERR_FILE_NOT_FOUND"))
    }
}
