import Foundation
import Testing
import TestSupport
@testable import Notebook

/// Joins lines with "\n" so line numbers in the tests can be read off the array.
private func notebook(_ lines: String...) -> String {
    lines.joined(separator: "\n") + "\n"
}

private func kinds(_ document: NotebookDocument) -> [MarkdownNode.Kind] {
    document.blocks.flatMap { block -> [MarkdownNode.Kind] in
        guard case .prose(let prose) = block else { return [] }
        return prose.nodes.flatMap(\.allNodes).map(\.kind)
    }
}

@Suite("Cell options")
struct CellOptionTests {
    @Test func knownOptionsAreRead() {
        let document = NotebookParser.parse(text: notebook(
            "```swift",
            "//| label: train",
            "//| echo: false",
            "//| eval: false",
            "//| output: false",
            "//| error: allow",
            "//| timeout: 600",
            "let x = 1",
            "```"))
        let cell = document.cells[0]
        #expect(cell.options.label == "train")
        #expect(cell.options.echo == false)
        #expect(cell.options.eval == false)
        #expect(cell.options.output == false)
        #expect(cell.options.error == .allow)
        #expect(cell.options.timeoutSeconds == 600)
        #expect(cell.source == "let x = 1")
        #expect(cell.firstLine == 8)
        #expect(document.warnings.isEmpty)
    }

    @Test func defaults() {
        let cell = NotebookParser.parse(text: notebook("```swift", "print(1)", "```")).cells[0]
        #expect(cell.options == CellOptions())
        #expect(cell.options.error == .stop)
        #expect(cell.options.echo && cell.options.eval && cell.options.output)
    }

    @Test func errorExpected() {
        let cell = NotebookParser.parse(text: notebook("```swift", "//| error: expected", "f()", "```")).cells[0]
        #expect(cell.options.error == .expected)
    }

    @Test func unknownOptionAndBadValuesWarnWithTheirLines() {
        let document = NotebookParser.parse(text: notebook(
            "# Title",
            "",
            "```swift",
            "//| colour: red",
            "//| echo: maybe",
            "//| timeout: soon",
            "//| error: sometimes",
            "print(1)",
            "```"), file: "lesson.md")
        let cell = document.cells[0]
        #expect(cell.options.unknown == [CellOptions.UnknownOption(key: "colour", value: "red", line: 4)])
        #expect(cell.options.echo == true)
        #expect(cell.options.timeoutSeconds == nil)
        #expect(document.warnings.map(\.line) == [4, 5, 6, 7])
        #expect(document.warnings[0].message.contains("colour"))
        // Columns point at the unknown key, or at the bad value.
        #expect(document.warnings.map(\.column) == [5, 11, 14, 12])
        #expect(document.warnings[0].description.hasPrefix("lesson.md:4:5: warning:"))
    }

    @Test func columnsCountCharactersOfIndentedOptionLines() {
        let document = NotebookParser.parse(text: notebook(
            "```swift", "  //|   größe: 2", "//| echo:", "//|nonsense", "print(1)", "```"), file: "lesson.md")
        #expect(document.warnings.map(\.line) == [2, 3, 4])
        #expect(document.warnings.map(\.column) == [9, 10, 4])
    }

    @Test func optionLinesOnlyLeadTheCell() {
        let cell = NotebookParser.parse(text: notebook(
            "```swift", "let a = 1", "//| label: late", "```")).cells[0]
        #expect(cell.options.label == nil)
        #expect(cell.source == "let a = 1\n//| label: late")
    }

    @Test func emptyCellsWarn() {
        let document = NotebookParser.parse(text: notebook(
            "Intro", "", "```swift", "```", "", "```swift", "//| label: only-options", "```"))
        #expect(document.cells.count == 2)
        #expect(document.warnings.map(\.line) == [3, 6])
        #expect(document.warnings.allSatisfy { $0.message.contains("empty") })
    }
}

@Suite("Front matter")
struct FrontMatterTests {
    @Test func fieldsAndParams() {
        let document = NotebookParser.parse(text: notebook(
            "---",
            "title: \"PTB: an LSTM\"",
            "author: Ada",
            "data: ../shared/data/ptb",
            "allow-raw-html: true",
            "params:",
            "  epochs: 15",
            "  batch: 20",
            "---",
            "# Hello",
            "```swift",
            "print(epochs)",
            "```"))
        #expect(document.title == "PTB: an LSTM")
        #expect(document.author == "Ada")
        #expect(document.dataDirectory == "../shared/data/ptb")
        #expect(document.allowRawHTML)
        #expect(document.params == [NotebookParam(name: "epochs", defaultValue: "15", line: 7),
                                    NotebookParam(name: "batch", defaultValue: "20", line: 8)])
        #expect(document.param("batch") == "20")
        #expect(document.warnings.isEmpty)
        #expect(document.cells[0].firstLine == 12)
        guard case .prose(let prose) = document.blocks[0] else {
            Issue.record("expected prose first"); return
        }
        #expect(prose.lines == 10...10)
        #expect(prose.source == "# Hello")
    }

    @Test func noFrontMatterMeansDefaults() {
        let document = NotebookParser.parse(text: notebook("# Just prose"))
        #expect(document.title == nil)
        #expect(document.params.isEmpty)
        #expect(document.allowRawHTML == false)
        #expect(document.warnings.isEmpty)
    }

    @Test func malformedLinesWarnInsteadOfFailing() {
        let document = NotebookParser.parse(text: notebook(
            "---",
            "title: Fine",
            "this line has no colon",
            "colour: blue",
            "allow-raw-html: perhaps",
            "  stray: indented",
            "---",
            "Text"))
        #expect(document.title == "Fine")
        #expect(document.allowRawHTML == false)
        #expect(document.warnings.map(\.line) == [3, 4, 5, 6])
    }

    @Test func unclosedFrontMatterIsReadAsMarkdown() {
        let document = NotebookParser.parse(text: notebook("---", "title: x", "", "Body"))
        #expect(document.title == nil)
        #expect(document.warnings.map(\.line) == [1])
        #expect(!document.blocks.isEmpty)
    }
}

@Suite("Fences")
struct FenceTests {
    @Test func tildesLongerFencesAndExtraInfoWords() {
        let document = NotebookParser.parse(text: notebook(
            "~~~swift",          // 1
            "let a = 1",
            "~~~",
            "",
            "````swift title=\"x\"", // 5
            "```",
            "inner fence stays code",
            "```",
            "````",
            "",
            "```swifty",          // 11
            "not a cell",
            "```",
            "",
            "```python",          // 15
            "print('shown, not run')",
            "```"))
        let cells = document.cells
        #expect(cells.count == 2)
        #expect(cells.map(\.firstLine) == [2, 6])
        #expect(cells.map(\.index) == [1, 2])
        #expect(cells[1].info == "swift title=\"x\"")
        #expect(cells[1].source == "```\ninner fence stays code\n```")
        let proseCode = kinds(document).compactMap { kind -> String? in
            if case .codeBlock(let info, _) = kind { return info }
            return nil
        }
        #expect(proseCode == ["swifty", "python"])
        #expect(document.warnings.isEmpty)
    }

    @Test func indentedFenceIsACellWithIndentRemoved() {
        let cell = NotebookParser.parse(text: notebook("  ```swift", "  let a = 1", "    let b = 2", "  ```")).cells
        #expect(cell.count == 1)
        #expect(cell.first?.source == "let a = 1\n  let b = 2")
        #expect(cell.first?.firstLine == 2)
    }

    @Test func fourSpaceIndentIsAnIndentedCodeBlockNotACell() {
        let document = NotebookParser.parse(text: notebook("Text", "", "    ```swift", "    x", "    ```"))
        #expect(document.cells.isEmpty)
    }

    @Test func unterminatedFenceAtEndOfFileIsACellWithAWarning() {
        let document = NotebookParser.parse(text: "Intro\n\n```swift\nlet a = 1\nprint(a)")
        #expect(document.cells.count == 1)
        #expect(document.cells.first?.source == "let a = 1\nprint(a)")
        #expect(document.warnings.map(\.line) == [3])
        #expect(document.warnings.first?.message.contains("never closed") == true)
    }

    @Test func swiftFencesInsideListsAndQuotesStayProseWithAWarning() {
        let document = NotebookParser.parse(text: notebook(
            "- step one",
            "",
            "  ```swift",
            "  let a = 1",
            "  ```",
            "",
            "> ```swift",
            "> let b = 2",
            "> ```"))
        #expect(document.cells.isEmpty)
        #expect(document.warnings.map(\.line) == [3, 7])
    }

    @Test func cellFirstLinesAndProseRanges() {
        let document = NotebookParser.parse(text: notebook(
            "# One",              // 1
            "",
            "Some text.",         // 3
            "",
            "```swift",           // 5
            "//| label: a",
            "let a = 1",          // 7
            "```",
            "Between.",           // 9
            "```swift",           // 10
            "let b = 2",          // 11
            "```",
            "",
            "End."))              // 14
        #expect(document.cells.map(\.firstLine) == [7, 11])
        #expect(document.cells.map(\.fenceLine) == [5, 10])
        let prose = document.blocks.compactMap { block -> ProseBlock? in
            if case .prose(let prose) = block { return prose }
            return nil
        }
        #expect(prose.map(\.lines) == [1...3, 9...9, 14...14])
        #expect(prose[0].source == "# One\n\nSome text.")
        #expect(document.blocks.count == 5)
    }

    @Test func crlfLineEndings() {
        let document = NotebookParser.parse(text: "---\r\ntitle: T\r\n---\r\n```swift\r\nlet a = 1\r\n```\r\n")
        #expect(document.title == "T")
        #expect(document.cells.first?.source == "let a = 1")
        #expect(document.cells.first?.firstLine == 5)
    }

    @Test func anIndentedFenceRecordsWhatItsLinesLost() {
        let document = NotebookParser.parse(text: "  ```swift\n  let a = 1\n    let b = 2\n let c = 3\nlet d = 4\n  ```\n")
        #expect(document.cells.first?.source == "let a = 1\n  let b = 2\nlet c = 3\nlet d = 4")
        #expect(document.cells.first?.columnShifts == [2, 2, 1, 0])
        #expect(NotebookParser.parse(text: "```swift\nlet a = 1\n```\n").cells.first?.columnShifts == [])
    }

    /// Found by the fuzzer: in "\r\r\n" replacing CRLF first left a new CRLF behind (the lone
    /// CR and the LF), so the parser's lines and cmark's drifted apart by one from there on.
    @Test func aLoneCRBeforeCRLFEndsTwoLines() {
        #expect(NotebookParser.normalized("\u{FEFF}a\r\r\nb\rc\r\n\nd\r") == "a\n\nb\nc\n\nd\n")
        #expect(NotebookParser.normalized("x\u{FEFF}\r\n") == "x\u{FEFF}\n", "only a leading mark is dropped")
        let document = NotebookParser.parse(text: "```swift\r\nlet a = 1\r\r\n```\r\n\r\n```swift\r\nlet b = 2\r\n```\r\n")
        #expect(document.warnings.isEmpty, "\(document.warnings)")
        #expect(document.cells.map(\.fenceLine) == [1, 6])
        #expect(document.cells.map(\.source) == ["let a = 1\n", "let b = 2"])
    }
}

@Suite("Markdown tree")
struct MarkdownTreeTests {
    @Test func gfmExtensionsArePresent() {
        let document = NotebookParser.parse(text: notebook(
            "| a | b | c | d |",
            "|:--|:-:|--:|---|",
            "| 1 | 2 | 3 | 4 |",
            "",
            "~~gone~~ and https://example.org here.",
            "",
            "- [x] done",
            "- [ ] todo",
            "",
            "A note[^1].",
            "",
            "[^1]: The footnote."))
        let all = kinds(document)
        #expect(all.contains(.table(alignments: [.left, .center, .right, .none])))
        #expect(all.contains(.tableRow(header: true)))
        #expect(all.contains(.tableRow(header: false)))
        #expect(all.filter { $0 == .tableCell }.count == 8)
        #expect(all.contains(.strikethrough))
        #expect(all.contains(.link(url: "https://example.org", title: "")))
        #expect(all.contains(.taskItem(checked: true)))
        #expect(all.contains(.taskItem(checked: false)))
        #expect(all.contains(.footnoteReference(label: "1")))
        #expect(all.contains(.footnoteDefinition(label: "1")))
        #expect(!all.contains { if case .unknown = $0 { return true } else { return false } })
    }

    @Test func footnoteDefinitionStaysInItsProseBlock() {
        let document = NotebookParser.parse(text: notebook(
            "A note[^n].", "", "[^n]: Defined before the cell.", "", "```swift", "print(1)", "```", "", "After."))
        guard case .prose(let first) = document.blocks[0] else {
            Issue.record("expected prose first"); return
        }
        #expect(first.lines == 1...3)
        #expect(first.nodes.contains { $0.kind == .footnoteDefinition(label: "n") })
    }

    @Test func commonNodesAndLines() {
        let document = NotebookParser.parse(text: notebook(
            "## Head *em* **strong** `code`",
            "",
            "1. one",
            "2. [link](https://a.b \"T\") ![alt](p.png)",
            "",
            "> quoted  ",
            "> next",
            "",
            "***"))
        guard case .prose(let prose) = document.blocks[0] else {
            Issue.record("expected prose"); return
        }
        #expect(prose.nodes[0].kind == .heading(level: 2))
        #expect(prose.nodes[0].plainText == "Head em strong code")
        #expect(prose.nodes.map(\.startLine) == [1, 3, 6, 9])
        let all = kinds(document)
        #expect(all.contains(.emphasis))
        #expect(all.contains(.strong))
        #expect(all.contains(.codeSpan("code")))
        #expect(all.contains(.list(ordered: true, start: 1, tight: true)))
        #expect(all.contains(.link(url: "https://a.b", title: "T")))
        #expect(all.contains(.image(url: "p.png", title: "")))
        #expect(all.contains(.blockQuote))
        #expect(all.contains(.lineBreak))
        #expect(all.contains(.thematicBreak))
    }

    @Test func softBreak() {
        let document = NotebookParser.parse(text: notebook("one", "two"))
        #expect(kinds(document) == [.paragraph, .text("one"), .softBreak, .text("two")])
    }

    @Test func rawHTMLIsKeptAsData() {
        let document = NotebookParser.parse(text: notebook(
            "<div class=\"x\">", "<script>alert(1)</script>", "</div>", "", "Inline <b>bold</b> text."))
        let all = kinds(document)
        #expect(all.contains(.htmlBlock("<div class=\"x\">\n<script>alert(1)</script>\n</div>\n")))
        #expect(all.contains(.htmlInline("<b>")))
        #expect(all.contains(.htmlInline("</b>")))
        #expect(document.allowRawHTML == false)
    }
}

@Suite("Files")
struct NotebookFileTests {
    @Test func readsAFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write(Data(notebook("# T", "```swift", "print(1)", "```").utf8), to: "a.md")
        let document = try NotebookParser.parse(contentsOf: file)
        #expect(document.file == file.path)
        #expect(document.cells.count == 1)
    }

    @Test func nonUTF8FileThrowsNamingTheFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write(Data([0x23, 0x20, 0x41, 0xFF, 0xFE, 0x0A]), to: "latin.md")
        #expect(throws: NotebookError.notUTF8(file: file.path, byteOffset: 3)) {
            try NotebookParser.parse(contentsOf: file)
        }
        #expect(NotebookError.notUTF8(file: file.path, byteOffset: 3).description.contains("latin.md"))
    }

    @Test func missingFileThrowsNamingTheFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let missing = directory.url.appendingPathComponent("nope.md")
        do {
            _ = try NotebookParser.parse(contentsOf: missing)
            Issue.record("expected a throw")
        } catch {
            #expect(error == .unreadable(file: missing.path, reason: "no such file"))
            #expect(error.description.contains("nope.md"))
        }
    }

    @Test(arguments: ["", "\n\n  \n"])
    func emptyFileGivesNoBlocksAndAWarning(contents: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write(Data(contents.utf8), to: "empty.md")
        let document = try NotebookParser.parse(contentsOf: file)
        #expect(document.blocks.isEmpty)
        #expect(document.warnings == [NotebookWarning("the notebook is empty", line: 1, file: file.path)])
    }

    @Test func absurdlyDeepMarkdownIsCutOffInsteadOfExhaustingTheStack() {
        let text = String(repeating: ">", count: 50_000) + " deep\n\n```swift\nlet x = 1\n```\n"
        let document = NotebookParser.parse(text: text, file: "deep.md")
        #expect(document.cells.count == 1)
        #expect(document.cells.first?.source == "let x = 1\n" || document.cells.first?.source == "let x = 1")
    }
}
