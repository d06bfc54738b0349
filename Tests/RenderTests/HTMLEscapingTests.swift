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
