import Notebook
@testable import Render
import XCTest

/// Prose rendering, checked on the `<main>` part of a report built from Markdown alone.
final class MarkdownHTMLTests: XCTestCase {
    private func prose(_ lines: String...) -> String {
        let html = Fixtures.render(NotebookParser.parse(text: lines.joined(separator: "\n") + "\n"), [])
        let main = html.components(separatedBy: "<main>\n").last ?? ""
        return main.components(separatedBy: "</main>").first ?? ""
    }

    func testInlineMarkup() {
        let html = prose("Some *em*, **strong**, `a < b`, ~~old~~ and a  ", "hard break with a", "soft one.")
        XCTAssertEqual(html, "<p>Some <em>em</em>, <strong>strong</strong>, <code>a &lt; b</code>, <del>old</del> and a<br>\n"
            + "hard break with a\nsoft one.</p>\n")
    }

    func testListsKeepStartAndTightness() {
        XCTAssertEqual(prose("3. three", "4. four"), "<ol start=\"3\">\n<li>three</li>\n<li>four</li>\n</ol>\n")
        XCTAssertEqual(prose("- a", "", "- b"), "<ul>\n<li><p>a</p>\n</li>\n<li><p>b</p>\n</li>\n</ul>\n")
    }

    func testTaskItemsAreDisabledCheckboxes() {
        let html = prose("- [x] done", "- [ ] todo")
        XCTAssertTrue(html.contains("<ul class=\"task-list\">"))
        XCTAssertTrue(html.contains("<li class=\"task\"><input type=\"checkbox\" disabled checked> done"))
        XCTAssertTrue(html.contains("<li class=\"task\"><input type=\"checkbox\" disabled> todo"))
    }

    func testTableAlignments() {
        let html = prose("| a | b | c |", "|:--|:-:|--:|", "| 1 | 2 | 3 |")
        XCTAssertTrue(html.contains("<thead>\n<tr><th style=\"text-align: left\">a</th><th style=\"text-align: center\">b</th>"
            + "<th style=\"text-align: right\">c</th></tr>\n</thead>"))
        XCTAssertTrue(html.contains("<tbody>\n<tr><td style=\"text-align: left\">1</td>"))
    }

    func testQuoteRuleAndCodeBlocks() {
        let html = prose("> quoted", "", "***", "", "```python", "print('<hi>')", "```", "", "- item", "", "  ```swift",
                         "  let x = 1", "  ```")
        XCTAssertTrue(html.contains("<blockquote>\n<p>quoted</p>\n</blockquote>\n<hr>\n"))
        XCTAssertTrue(html.contains("<pre class=\"code\" tabindex=\"0\"><code class=\"language-python\">print(&#39;&lt;hi&gt;&#39;)\n</code></pre>"))
        // A swift fence inside a list is prose (not run) but is still highlighted.
        XCTAssertTrue(html.contains("<span class=\"tok-keyword\">let</span>"))
    }

    func testFootnotesLinkBothWays() {
        let html = prose("Claim[^src].", "", "[^src]: The source.")
        XCTAssertTrue(html.contains("<sup class=\"footnote-ref\"><a href=\"#footnote_src\" id=\"footnote_ref_src\">1</a></sup>"))
        XCTAssertTrue(html.contains("<div class=\"footnote\" id=\"footnote_src\">"))
        XCTAssertTrue(html.contains("href=\"#footnote_ref_src\""))
        XCTAssertTrue(html.contains("The source."))
    }

    func testFootnotesAreNumberedByFirstReferenceWhateverTheDefinitionOrder() {
        let html = prose("A[^b] then B[^a] and `[^code]` and A again[^b].", "", "[^a]: Alpha.", "", "[^b]: Beta.")
        XCTAssertTrue(html.contains("A<sup class=\"footnote-ref\"><a href=\"#footnote_b\" id=\"footnote_ref_b\">1</a></sup>"))
        XCTAssertTrue(html.contains("B<sup class=\"footnote-ref\"><a href=\"#footnote_a\" id=\"footnote_ref_a\">2</a></sup>"))
        XCTAssertTrue(html.contains("again<sup class=\"footnote-ref\"><a href=\"#footnote_b\">1</a></sup>"))
        XCTAssertTrue(html.contains("<div class=\"footnote\" id=\"footnote_a\"><span class=\"footnote-number\">2.</span>"))
        XCTAssertTrue(html.contains("<div class=\"footnote\" id=\"footnote_b\"><span class=\"footnote-number\">1.</span>"))
    }

    func testLinkPolicy() {
        XCTAssertEqual(URLPolicy.classify("https://x.org"), .remote)
        XCTAssertEqual(URLPolicy.classify("HTTP://x.org"), .remote)
        XCTAssertEqual(URLPolicy.classify("//x.org/a.png"), .remote)
        XCTAssertEqual(URLPolicy.classify(" java\tscript:alert(1)"), .unsafe)
        XCTAssertEqual(URLPolicy.classify("JavaScript:alert(1)"), .unsafe)
        XCTAssertEqual(URLPolicy.classify("data:text/html,<script>"), .unsafe)
        XCTAssertEqual(URLPolicy.classify("data:image/png;base64,AAAA"), .inlineImage)
        XCTAssertEqual(URLPolicy.classify("mailto:a@b.c"), .mail)
        XCTAssertEqual(URLPolicy.classify("#section"), .local)
        XCTAssertEqual(URLPolicy.classify("figures/plot.png"), .local)
        XCTAssertEqual(URLPolicy.classify("notes.html?a=b:c"), .local)

        let html = prose("[run](javascript:alert(1)) and [mail](mailto:a@b.c) and [doc](other.html \"Other\")")
        XCTAssertTrue(html.contains("<span class=\"unsafe-link\">run</span>"))
        XCTAssertFalse(html.contains("alert"))
        XCTAssertTrue(html.contains("<a href=\"mailto:a@b.c\">mail</a>"))
        XCTAssertTrue(html.contains("<a href=\"other.html\" title=\"Other\">doc</a>"))
    }

    func testSlugs() {
        XCTAssertEqual(HeadingAnchors.slug("Reading the Data: PTB!"), "reading-the-data-ptb")
        XCTAssertEqual(HeadingAnchors.slug("  Größe & Übung "), "größe-übung")
        XCTAssertEqual(HeadingAnchors.slug("???"), "section")
        var used: Set<String> = ["a"]
        XCTAssertEqual(HeadingAnchors.unique("a", in: &used), "a-2")
        XCTAssertEqual(HeadingAnchors.unique("a", in: &used), "a-3")
        XCTAssertEqual(HeadingAnchors.unique("b", in: &used), "b")
    }
}
