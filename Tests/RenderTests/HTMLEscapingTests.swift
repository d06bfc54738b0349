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
