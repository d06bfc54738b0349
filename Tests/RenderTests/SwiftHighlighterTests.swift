@testable import Render
import XCTest

final class SwiftHighlighterTests: XCTestCase {
    func testClassifiesKeywordIdentifierIntegerAndComment() {
        XCTAssertEqual(SwiftHighlighter.html(for: "let x = 1 // hi"),
                       "<span class=\"tok-keyword\">let</span> <span class=\"tok-identifier\">x</span> = "
                       + "<span class=\"tok-integer\">1</span> <span class=\"tok-comment\">// hi</span>")
    }

    func testEscapesAndKeepsEveryCharacter() {
        let source = "let s = \"<b>&</b>\" /* a < b */\nlet y = 2.5 > x ? [1] : []\n// ünï €\n"
        let html = SwiftHighlighter.html(for: source)
        XCTAssertTrue(html.contains("<span class=\"tok-string\">&quot;&lt;b&gt;&amp;&lt;/b&gt;&quot;</span>"))
        XCTAssertTrue(html.contains("<span class=\"tok-comment\">/* a &lt; b */</span>"))
        XCTAssertTrue(html.contains("<span class=\"tok-float\">2.5</span>"))
        // Dropping the spans and decoding the entities gives the source back.
        let text = html.replacing(/<\/?span[^>]*>/, with: "")
            .replacing("&lt;", with: "<").replacing("&gt;", with: ">").replacing("&quot;", with: "\"")
            .replacing("&#39;", with: "'").replacing("&amp;", with: "&")
        XCTAssertEqual(text, source)
    }

    func testBrokenSourceIsStillShown() {
        let source = "let = (\n}"
        let html = SwiftHighlighter.html(for: source)
        XCTAssertEqual(html.replacing(/<\/?span[^>]*>/, with: ""), source)
    }

    func testCellSourceInReportIsHighlighted() throws {
        let document = Fixtures.notebook(Fixtures.cell("let x = 1 // hi"))
        let html = Fixtures.render(document, [])
        XCTAssertTrue(html.contains("<pre class=\"source\" tabindex=\"0\"><code class=\"language-swift\"><span class=\"tok-keyword\">let</span>"))
    }
}
