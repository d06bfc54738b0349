import Figures
import Foundation
import Notebook
@testable import Render
import TestSupport
import XCTest

/// Builders shared by the Render tests: notebooks from text, outcomes built by hand.
enum Fixtures {
    /// Joins lines with "\n" so a notebook reads like the file it stands for.
    static func notebook(_ lines: String...) -> NotebookDocument {
        NotebookParser.parse(text: lines.joined(separator: "\n") + "\n", file: "lesson.md")
    }

    /// A cell fence with optional `//|` option lines.
    static func cell(_ source: String, options: [String] = []) -> String {
        (["```swift"] + options.map { "//| \($0)" } + [source, "```"]).joined(separator: "\n")
    }

    /// The document's cell at 1-based `index`.
    static func cell(_ document: NotebookDocument, _ index: Int) throws -> Cell {
        try XCTUnwrap(document.cells.first { $0.index == index }, "no cell \(index)")
    }

    static func render(_ document: NotebookDocument, _ outcomes: [CellOutcome],
                       facts: ReportFacts = ReportFacts(engineVersion: "lesson 0.1")) -> String {
        HTMLReport.render(document: document, outcomes: outcomes, facts: facts)
    }

    /// How many times `needle` occurs in `text` (non-overlapping).
    static func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    /// The HTML of the `<section>` with `id`, from its id attribute to its end.
    static func section(of html: String, id: String) -> String {
        guard let open = html.range(of: "id=\"\(id)\"") else { return "" }
        let rest = html[open.upperBound...]
        let close = rest.range(of: "</section>")?.lowerBound ?? rest.endIndex
        return String(rest[..<close])
    }

    /// Fails unless `html` parses with Python's `html.parser` with every non-void tag closed in
    /// order: an independent check that the report is well formed.
    static func assertWellFormed(_ html: String, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try wellFormednessVerdict(html), "ok", file: file, line: line)
    }

    /// `ok`, or up to ten lines naming the tags that do not balance.
    static func wellFormednessVerdict(_ html: String) throws -> String {
        let script = """
            import sys
            from html.parser import HTMLParser
            VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
            class Checker(HTMLParser):
                def __init__(self):
                    super().__init__(convert_charrefs=True)
                    self.stack = []
                    self.problems = []
                def handle_starttag(self, tag, attrs):
                    if tag not in VOID:
                        self.stack.append((tag, self.getpos()))
                def handle_startendtag(self, tag, attrs):
                    pass
                def handle_endtag(self, tag):
                    if tag in VOID:
                        self.problems.append("end tag for void element %s at %s" % (tag, self.getpos()))
                    elif not self.stack or self.stack[-1][0] != tag:
                        top = self.stack[-1] if self.stack else None
                        self.problems.append("</%s> at %s but open is %s" % (tag, self.getpos(), top))
                    else:
                        self.stack.pop()
            checker = Checker()
            checker.feed(sys.stdin.read())
            checker.close()
            problems = checker.problems + ["unclosed %s at %s" % entry for entry in checker.stack]
            print("\\n".join(problems[:10]) if problems else "ok")
            """
        let verdict = try Python.run(script, stdin: Data(html.utf8))
        return verdict.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
