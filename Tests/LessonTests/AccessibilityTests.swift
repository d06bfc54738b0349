import Foundation
import TestSupport
import Testing

/// axe-core's script, from PyPI's `axe-playwright-python` (installed by `make test`, for the tests only).
enum AxeCore {
    static var script: String? {
        let run = try? LessonCommand.runTool("/usr/bin/env", ["python3", "-c",
            "import importlib.util, os; s = importlib.util.find_spec('axe_playwright_python'); "
                + "print(os.path.join(s.submodule_search_locations[0], 'axe.min.js'))"])
        guard let path = run?.stdout.trimmingCharacters(in: .whitespacesAndNewlines), run?.status == 0 else { return nil }
        return try? String(contentsOfFile: path, encoding: .utf8)
    }

    /// The serious and critical violations axe-core finds on the page `browser` shows: rule, impact, where.
    static func violations(_ browser: HeadlessBrowser, script: String) throws -> [String] {
        _ = try browser.evaluate(script + "\n;true")
        try browser.evaluate("""
            window.__axe = null;
            axe.run(document, {resultTypes: ['violations']}).then(function (r) { window.__axe = r; });
            true
            """).map { _ in () }
        try browser.waitUntil("window.__axe !== null", timeout: 60)
        let text = try browser.evaluate("""
            JSON.stringify(window.__axe.violations.filter(function (v) { return v.impact === 'serious' || v.impact === 'critical'; })
              .map(function (v) { return v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(function (n) { return n.target.join(' '); }).join(' | '); }))
            """) as? String ?? "[]"
        return (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? [text]
    }
}

/// The report, the student report and the served page in headless Chromium, checked by axe-core.
@Suite("accessibility", .serialized,
       .enabled(if: HeadlessBrowser.isAvailable && AxeCore.script != nil, "needs chromium and axe-playwright-python (make test installs them)"))
struct AccessibilityTests {
    @Test("the flagship's reports have no serious accessibility violations, in light and dark themes")
    func reports() throws {
        let script = try #require(AxeCore.script)
        let root = TestPaths.packageRoot()
        let browser = try HeadlessBrowser()
        defer { browser.close() }
        for theme in ["light", "dark"] {
            try browser.emulateMedia(feature: "prefers-color-scheme", value: theme)
            for name in ["ptb-lstm.html", "ptb-lstm.student.html", "quickstart.html"] {
                try browser.navigate(to: root.appendingPathComponent("Output/\(name)").absoluteString)
                let found = try AxeCore.violations(browser, script: script)
                #expect(found.isEmpty, "\(name), \(theme): \(found.joined(separator: "\n"))")
            }
        }
    }

    @Test("the served page, for the presenter and in a student's fork, has no serious accessibility violations")
    func servedPage() throws {
        let script = try #require(AxeCore.script)
        let served = try ServedLesson(ServeForkTests.lesson)
        defer { served.stop() }
        let browser = try HeadlessBrowser()
        let student = try HeadlessBrowser()
        defer { browser.close(); student.close() }
        for theme in ["light", "dark"] {
            try browser.emulateMedia(feature: "prefers-color-scheme", value: theme)
            try student.emulateMedia(feature: "prefers-color-scheme", value: theme)
            try ServePageBrowserTests.open(browser, "http://127.0.0.1:\(served.port)/?token=\(served.token)", presenter: true)
            if theme == "light" {
                try browser.click(selector: "button[data-action=run]")
                try browser.waitUntil("document.querySelector('#cell-1').classList.contains('status-ran')", timeout: 15)
            }
            let found = try AxeCore.violations(browser, script: script)
            #expect(found.isEmpty, "presenter, \(theme): \(found.joined(separator: "\n"))")
            if theme == "light" {
                try ServePageBrowserTests.open(student, "http://127.0.0.1:\(served.port)/", presenter: false)
                try student.click(selector: "#fork")
            } else {
                // Reloaded, the page goes back to its own copy.
                try student.navigate(to: "http://127.0.0.1:\(served.port)/")
            }
            do {
                try student.waitUntil("document.body.classList.contains('forked')", timeout: 30)
            } catch {
                let state = try student.evaluate("document.getElementById('notice').textContent + ' | ' + document.getElementById('role').textContent + ' | ' + document.body.className") as? String
                Issue.record("\(theme): not forked: \(state ?? "")")
                throw error
            }
            let forked = try AxeCore.violations(student, script: script)
            #expect(forked.isEmpty, "student's fork, \(theme): \(forked.joined(separator: "\n"))")
        }
    }
}
