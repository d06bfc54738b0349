import Testing
@testable import CellScript

/// Syntax errors: swift-syntax's diagnostics, placed in the notebook file and shown
/// the way the compiler shows them.
@Suite struct ParserTests {
    /// Parses `source` and returns its diagnostics; a cell that parses gives none.
    private func diagnostics(_ source: String, firstLine: Int = 1) -> [CellDiagnostic] {
        do {
            _ = try CellParser.parse(source, firstLine: firstLine)
            return []
        } catch {
            return error.diagnostics
        }
    }

    @Test func validCellParsesWithFileLocations() throws {
        let marked = MarkedSource("let a = 1\n1️⃣print(2️⃣a)\n", firstLine: 20)
        let program = try CellParser.parse(marked.text, firstLine: 20)
        #expect(program.statements.count == 2)
        #expect(program.statements[1].location == marked["1️⃣"])
        guard case .expression(let call) = program.statements[1].kind,
            case .call(_, let arguments) = call.kind
        else {
            Issue.record("expected a call, got \(ASTDump.program(program))")
            return
        }
        #expect(arguments.first?.location == marked["2️⃣"])
    }

    @Test func syntaxErrorIsPlacedInTheNotebookFile() {
        let marked = MarkedSource("let a = 1\nlet b = (a + 11️⃣\nprint(b)\n", firstLine: 7)
        let found = diagnostics(marked.text, firstLine: 7)
        #expect(found.count == 1)
        #expect(found.first?.phase == .syntax)
        #expect(found.first?.location == marked["1️⃣"])
        #expect(found.first?.message == "expected ')' to end tuple")
        #expect(found.first?.location?.line == 8)
    }

    @Test func everySyntaxErrorInACellIsReported() {
        let marked = MarkedSource(
            """
            let a = 1️⃣
            let b = [1, 22️⃣ 3]
            func f(3️⃣{
            }
            let c = 4️⃣)
            """, firstLine: 3)
        let found = diagnostics(marked.text, firstLine: 3)
        let locations = found.compactMap(\.location)
        #expect(locations == locations.sorted())
        for marker in ["1️⃣", "2️⃣", "3️⃣", "4️⃣"] {
            #expect(locations.contains(marked[marker]), "no error at \(marker) \(marked[marker]): \(found)")
        }
        #expect(found.allSatisfy { $0.phase == .syntax })
    }

    @Test func notesOfASyntaxErrorAreKept() {
        let marked = MarkedSource("print(1️⃣(1, 2)\n")
        let found = diagnostics(marked.text)
        #expect(!found.isEmpty)
        #expect(found.contains { !$0.notes.isEmpty }, "\(found)")
    }

    @Test func missingClosingBraceAtTheEndIsShownOnTheCellsLastLine() {
        let source = "for i in 0..<3 {\n    print(i)\n"
        let found = diagnostics(source, firstLine: 11)
        #expect(found.count == 1)
        // The cell's last line is line 12 of the file; "    print(i)" is 12 bytes long.
        #expect(found.first?.location == SourceLocation(line: 12, column: 13))
        #expect(found.first?.message.contains("'}'") == true)
    }

    @Test func operatorFoldingErrorsAreReported() {
        let marked = MarkedSource("let ok = 1 1️⃣< 2 < 3\nlet x = 1 2️⃣<=> 2\n")
        let found = diagnostics(marked.text)
        #expect(found.map(\.location) == [marked["1️⃣"], marked["2️⃣"]])
        #expect(found.first?.message.contains("non-associative") == true)
        #expect(found.last?.message == "unknown infix operator '<=>'")
    }

    @Test func integerLiteralOverflowIsAnError() {
        let marked = MarkedSource("let big = 1️⃣9223372036854775808\nlet small = 2️⃣-9223372036854775809\n")
        let found = diagnostics(marked.text)
        #expect(found.map(\.location) == [marked["1️⃣"], marked["2️⃣"]])
        #expect(found.first?.message == "integer literal '9223372036854775808' overflows when stored into 'Int'")
    }

    @Test func columnsCountUTF8BytesAfterNonASCIIText() {
        let marked = MarkedSource("let s = \"héllo\"; let t = 1️⃣)\n")
        let found = diagnostics(marked.text)
        #expect(found.first?.location == marked["1️⃣"])
        #expect(marked["1️⃣"].column == 27)
    }

    @Test func renderedErrorShowsTheLineAndACaret() {
        let notebook = "# Title\n\n```swift\nlet a = 1\nlet b = (a + 1\nprint(b)\n```\n"
        let cell = "let a = 1\nlet b = (a + 1\nprint(b)\n"
        do {
            _ = try CellParser.parse(cell, firstLine: 4)
            Issue.record("expected a syntax error")
        } catch {
            let text = CellParser.render(error, file: "lesson.md", source: notebook)
            #expect(text == """
                lesson.md:5:15: error: expected ')' to end tuple
                let b = (a + 1
                              ^
                note: to match this opening '(' (at 5:9)
                """)
        }
    }

    @Test func severalRenderedErrorsEachHaveTheirLineAndCaret() {
        let cell = "let a =\nlet b = 2 +\n"
        let notebook = "intro\n```swift\n" + cell + "```\n"
        do {
            _ = try CellParser.parse(cell, firstLine: 3)
            Issue.record("expected syntax errors")
        } catch {
            let text = CellParser.render(error, file: "n.md", source: notebook)
            #expect(text == """
                n.md:3:8: error: expected expression in variable
                let a =
                       ^
                n.md:4:12: error: expected expression after operator
                let b = 2 +
                           ^
                """)
        }
    }

    /// A fence indented 1-3 spaces loses that many spaces from each line (as CommonMark says);
    /// the columns of every diagnostic put them back, so carets sit under the file's text.
    @Test func columnShiftsPutBackWhatAnIndentedFenceStripped() {
        let notebook = "# T\n\n   ```swift\n   let a = (1 +\n   print(zz)\n   ```\n"
        do {
            _ = try CellParser.parse("let a = (1 +\nprint(zz)", firstLine: 4, columnShifts: [3, 3])
            Issue.record("expected a syntax error")
        } catch {
            #expect(CellParser.render(error, file: "n.md", source: notebook) == """
                n.md:5:13: error: expected ')' to end tuple
                   print(zz)
                            ^
                note: to match this opening '(' (at 4:12)
                """)
        }
        let guarded = diagnostics(String(repeating: "\\", count: 20))
        let shiftedGuard = (try? CellParser.parse(String(repeating: "\\", count: 20), columnShifts: [2])) == nil
        #expect(shiftedGuard && guarded.count == 1)
        do {
            _ = try CellParser.parse(String(repeating: "\\", count: 20), columnShifts: [2])
        } catch {
            #expect(error.diagnostics.first?.location?.column == (guarded.first?.location?.column ?? 0) + 2,
                    "the guards' diagnostics move too")
        }
    }

    /// A cell with dozens of errors lists the first few, then says how many there were.
    @Test func onlyTheFirstSyntaxErrorsAreListed() {
        let found = diagnostics(String(repeating: "let = 1\n", count: 50))
        #expect(found.count == CellParser.shownSyntaxErrors + 1)
        #expect(found.dropLast().map { $0.location?.line } == (1...CellParser.shownSyntaxErrors).map { Optional($0) })
        #expect(found.last?.message.hasPrefix("this cell has ") == true)
        #expect(found.last?.message.hasSuffix(" syntax errors; only the first 20 are shown") == true)
    }

    /// An error on a very long line shows the line near the error, not all of it.
    @Test func aLongLineIsShownNearTheError() {
        let line = String(repeating: "1 + ", count: 500) + "(2 + 3" + String(repeating: " + 4", count: 500)
        let notebook = "```swift\n" + line + "\n```\n"
        do {
            _ = try CellParser.parse(line, firstLine: 2)
            Issue.record("expected a syntax error")
        } catch {
            let rendered = CellParser.render(error, file: "n.md", source: notebook).split(separator: "\n")
            #expect(rendered.count >= 3)
            guard rendered.count >= 3 else { return }
            #expect(rendered[0] == "n.md:2:4007: error: expected ')' to end tuple")
            #expect(rendered[1] == "…" + String(String(repeating: " + 4", count: 500).suffix(80)))
            #expect(rendered[2] == String(repeating: " ", count: 81) + "^")
        }
        let short = CellDiagnostic.excerpt(of: "let x = (", column: 10)
        #expect(short.text == "let x = (" && short.before == "let x = (")
        let middle = CellDiagnostic.excerpt(of: Substring(String(repeating: "ab", count: 200)), column: 201)
        #expect(middle.text == "…" + String(repeating: "ab", count: 80) + "…")
        #expect(middle.before == "…" + String(repeating: "ab", count: 40))
    }
}

@Suite("the sides of a check's comparison")
struct CheckComparisonSidesTests {
    @Test func comparisonsSplitAtTheirOperator() {
        #expect(CellParser.comparisonSides(of: "xs.count == 3")! == ("xs.count", "3"))
        #expect(CellParser.comparisonSides(of: "a + b * 2 >= limit - 1")! == ("a + b * 2", "limit - 1"))
        #expect(CellParser.comparisonSides(of: "f(x, y) != \"<a>\"")! == ("f(x, y)", "\"<a>\""))
    }

    @Test func otherExpressionsHaveNoSides() {
        for text in ["ok", "a == 1 && b == 2", "x + 1", "a ==", "", "let a = 1"] {
            #expect(CellParser.comparisonSides(of: text) == nil, "\(text)")
        }
    }
}
