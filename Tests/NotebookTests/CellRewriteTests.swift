import Foundation
import Notebook
import Testing

/// Writing a cell's edited code back into the notebook text: only that cell's code lines
/// change, and code that would change the notebook's structure is refused.
@Suite("cell rewrite")
struct CellRewriteTests {
    static let lesson = """
        ---
        title: Rewrite
        ---

        # Prose stays

        ```swift
        //| label: first
        let a = 1
        a
        ```

        Between the cells.

        ```swift
        let b = a + 1
        ```

        """

    @Test("one cell's code lines are replaced; the options, the prose and the other cells stay byte for byte")
    func replacesOneCell() throws {
        let rewritten = try CellRewrite.apply([0: "let a = 10\nlet c = 3\na + c"], to: Self.lesson)
        #expect(rewritten == Self.lesson.replacingOccurrences(of: "let a = 1\na\n", with: "let a = 10\nlet c = 3\na + c\n"))
        let cells = NotebookParser.parse(text: rewritten).cells
        #expect(cells.map(\.source) == ["let a = 10\nlet c = 3\na + c", "let b = a + 1"])
        #expect(cells[0].options.label == "first")
    }

    @Test("several cells at once, a shorter and a longer one")
    func severalCells() throws {
        let rewritten = try CellRewrite.apply([0: "1", 1: "let b = 2\nlet d = 4\nb * d"], to: Self.lesson)
        #expect(NotebookParser.parse(text: rewritten).cells.map(\.source) == ["1", "let b = 2\nlet d = 4\nb * d"])
        #expect(rewritten.contains("Between the cells."))
    }

    @Test("a CRLF file keeps CRLF, the new lines too; a trailing newline in the code is not a blank line")
    func lineEndings() throws {
        let crlf = Self.lesson.replacingOccurrences(of: "\n", with: "\r\n")
        let rewritten = try CellRewrite.apply([1: "let b = 5\r\nb\n\n"], to: crlf)
        #expect(rewritten == crlf.replacingOccurrences(of: "let b = a + 1\r\n", with: "let b = 5\r\nb\r\n"))
        #expect(!rewritten.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    @Test("an indented fence's lines keep its indentation; an empty cell gets code")
    func indentationAndEmptyCells() throws {
        let text = "# T\n\n  ```swift\n  let x = 1\n  ```\n\n```swift\n//| label: empty\n```\n"
        let rewritten = try CellRewrite.apply([0: "let x = 2\nx", 1: "print(1)"], to: text)
        #expect(rewritten == "# T\n\n  ```swift\n  let x = 2\n  x\n  ```\n\n```swift\n//| label: empty\nprint(1)\n```\n")
    }

    @Test("code that would end the cell or open another is refused, and so is a cell that does not exist")
    func refusals() {
        for code in ["1\n```\n# injected heading", "~~~\nx", "   ```swift\nlet y = 1", "x\n\t```"] {
            #expect(throws: CellRewrite.Refusal.self, "\(code)") { try CellRewrite.apply([0: code], to: Self.lesson) }
        }
        #expect(throws: CellRewrite.Refusal.self) { try CellRewrite.apply([2: "x"], to: Self.lesson) }
        #expect(throws: CellRewrite.Refusal.self) { try CellRewrite.apply([-1: "x"], to: Self.lesson) }
        #expect(throws: CellRewrite.Refusal.self) { try CellRewrite.apply([0: "x"], to: "# T\r\r```swift\r1\r```\r") }
    }

    @Test("an edit that adds or removes lines moves a later cell's checks, which is no change to it")
    func laterChecksMove() throws {
        let text = "```swift\nlet a = 1\n```\n\n```swift\n//| check: a == 1\n//| colour: red\na\n```\n"
        let longer = try CellRewrite.apply([0: "let a = 1\nlet b = 2\nlet c = 3"], to: text)
        #expect(NotebookParser.parse(text: longer).cells.map(\.options.checks.first?.line) == [nil, 8])
        let shorter = try CellRewrite.apply([0: ""], to: longer)
        #expect(NotebookParser.parse(text: shorter).cells.map(\.source) == ["", "a"])
    }

    @Test("code that looks like an option line would become one: refused, as the notebook would change")
    func optionLines() {
        #expect(throws: CellRewrite.Refusal.self) { try CellRewrite.apply([1: "//| eval: false\nlet b = 0"], to: Self.lesson) }
    }
}
