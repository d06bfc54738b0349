import Foundation
import Notebook
@testable import Render
import XCTest

final class TerminalMarkdownTests: XCTestCase {
    private func render(_ markdown: String, width: Int = 40, colour: Bool = false) -> String {
        let document = NotebookParser.parse(text: markdown)
        return document.blocks.compactMap { block -> String? in
            if case .prose(let prose) = block { return TerminalMarkdown.render(prose, style: TerminalStyle(width: width, colour: colour)) }
            return nil
        }.joined()
    }

    func testHeadingsParagraphsAndWrapping() {
        let text = render("# Title\n\nThe quick brown fox jumps over the lazy dog and keeps running far away.\n", width: 30)
        XCTAssertEqual(text, """
            Title
            ═════

            The quick brown fox jumps over
            the lazy dog and keeps running
            far away.

            """)
        for line in text.split(separator: "\n") { XCTAssertLessThanOrEqual(line.count, 30) }
    }

    func testListsCodeLinksAndInlineCode() {
        let text = render("""
            - first `item`
            - second [link](https://example.com)

            1. one
            2. two

            ```
            let x = 1
            ```
            """)
        XCTAssertEqual(text, """
            • first `item`
            • second link <https://example.com>

            1. one
            2. two

                let x = 1

            """)
    }

    func testTablesAlignTheirColumns() {
        let text = render("| name | value |\n|:-----|------:|\n| lr | 1.0 |\n| epochs | 15 |\n")
        XCTAssertEqual(text, """
            name   │ value
            ───────┼──────
            lr     │   1.0
            epochs │    15

            """)
    }

    func testColourOnlyWhenAsked() {
        let plain = render("Some **bold** and *soft* words.")
        XCTAssertFalse(plain.contains("\u{1B}"))
        let coloured = render("Some **bold** and *soft* words.", colour: true)
        XCTAssertTrue(coloured.contains("\u{1B}[1mbold\u{1B}[0m"))
        XCTAssertTrue(coloured.contains("\u{1B}[3msoft\u{1B}[0m"))
        XCTAssertEqual(TerminalMarkdown.visibleWidth(coloured.trimmingCharacters(in: .newlines)), "Some bold and soft words.".count)
    }

    func testRawHTMLIsLeftOut() {
        XCTAssertEqual(render("<div>hidden</div>\n\nShown.\n"), "Shown.\n")
    }

    func testSwiftHighlightingForTheTerminal() {
        XCTAssertEqual(SwiftHighlighter.ansi(for: "let x = 1 // hi", colour: false), "let x = 1 // hi")
        let coloured = SwiftHighlighter.ansi(for: "let x = 1 // hi", colour: true)
        XCTAssertTrue(coloured.hasPrefix("\u{1B}[35mlet\u{1B}[0m x = \u{1B}[33m1\u{1B}[0m"))
        XCTAssertTrue(coloured.hasSuffix("\u{1B}[2m// hi\u{1B}[0m"))
    }
}
