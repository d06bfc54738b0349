import Foundation
import Testing
import TestSupport

/// Inline values through the built binary: in the report as text, errors in place and on
/// standard error, and `lesson check` reading their syntax.
@Suite struct InlineValueCommandTests {
    @Test("the report shows inline values as text in the sentence; a failing one is shown in place and fails the run")
    func reportAndErrors() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(Data("""
            # Values

            ```swift
            let words = ["the", "market"]
            let ppl = 115.86912
            ```

            The last word is `{swift} words[1]` and the perplexity `{swift} ppl, format: "%.1f"`.
            Markup stays text: `{swift} "<script>alert(1)</script>"`.
            """.utf8), to: "good.md")
        let good = try LessonCommand.run(["run", "good.md", "--no-cache"], in: directory.url)
        #expect(good.status == 0, "\(good)")
        let html = try String(contentsOf: directory.url.appendingPathComponent("Output/good.html"), encoding: .utf8)
        #expect(html.contains(#"The last word is <span class="inline-value" data-inline="8-0" title="{swift} words[1]">market</span>"#))
        #expect(html.contains(#">115.9</span>"#))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;</span>") && !html.contains("<script>alert(1)"))

        try directory.write(Data("""
            # Broken

            ```swift
            let n = 1
            ```

            Here `{swift} n + missing` fails.

            ```swift
            print("never")
            ```
            """.utf8), to: "bad.md")
        let bad = try LessonCommand.run(["run", "bad.md", "--no-cache"], in: directory.url)
        #expect(bad.status == 1, "\(bad)")
        #expect(bad.stderr.contains("bad.md:7:19: error: cannot find 'missing' in scope"), "\(bad)")
        #expect(bad.stdout.contains("1 inline value failed"), "\(bad)")
        #expect(!bad.stdout.contains("never"))
        let report = try String(contentsOf: directory.url.appendingPathComponent("Output/bad.html"), encoding: .utf8)
        #expect(report.contains(#"<code class="inline-error""#)
                && report.contains(">bad.md:7:19: error: cannot find &#39;missing&#39; in scope</code>"), "the error in place")
        #expect(report.contains("not run (the run stopped at an earlier error)"))
    }

    @Test("check reads inline expressions' syntax and formats without running anything")
    func checkReadsInlineSyntax() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(Data("""
            # Check

            Broken `{swift} (1 +` and `{swift} 2, format: "%s"` but fine `{swift} 3`.
            """.utf8), to: "check.md")
        let check = try LessonCommand.run(["check", "check.md"], in: directory.url)
        #expect(check.status == 1, "\(check)")
        #expect(check.stderr.contains("check.md:3:21: error: expected expression after operator"), "\(check)")
        #expect(check.stderr.contains(#"check.md:3:36: error: format "%s": only a number conversion is allowed"#), "\(check)")
        #expect(check.stdout.contains("check.md: 0 cells, 2 errors"), "\(check)")
    }
}
