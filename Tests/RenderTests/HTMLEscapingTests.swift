@testable import Render
import XCTest

final class HTMLEscapingTests: XCTestCase {
    func testEscapesMarkupCharacters() {
        XCTAssertEqual(HTML.escape(#"<script>alert("x") & 'y'</script>"#),
                       "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;")
    }

    func testLeavesOtherTextAlone() {
        XCTAssertEqual(HTML.escape("perplexity 118.0 — ünïcödé"), "perplexity 118.0 — ünïcödé")
    }
}

final class HTMLEscapingURLTests: XCTestCase {
    func testSchemeSeparatorIsEncodedSoNoLiteralURLRemains() {
        XCTAssertEqual(HTML.escape("see https://example.com/a?b=1&c=2"),
                       "see https&#58;//example.com/a?b=1&amp;c=2")
        XCTAssertEqual(HTML.escape("ratio 3:2, time 10:04"), "ratio 3:2, time 10:04")
    }
}

final class HTMLEscapingEdgeTests: XCTestCase {
    func testEdgesOfTheByteSearch() {
        XCTAssertEqual(HTML.escape(""), "")
        XCTAssertEqual(HTML.escape("<"), "&lt;")
        XCTAssertEqual(HTML.escape("ü<ü>€&"), "ü&lt;ü&gt;€&amp;")
        XCTAssertEqual(HTML.escape("a:/b :: c:/"), "a:/b :: c:/")
        XCTAssertEqual(HTML.escape("x://"), "x&#58;//")
        XCTAssertEqual(HTML.escape("::// <a href='x'>"), ":&#58;// &lt;a href=&#39;x&#39;&gt;")
        XCTAssertEqual(HTML.escape("a\u{0}<b"), "a\u{0}&lt;b")
    }

    func testNewlineCount() {
        XCTAssertEqual(HTML.newlineCount(""), 0)
        XCTAssertEqual(HTML.newlineCount("a\nb\n\nc"), 3)
        XCTAssertEqual(HTML.newlineCount("\n"), 1)
    }
}
