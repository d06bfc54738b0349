import Foundation
import Testing
@testable import CellScript

/// The scan before parsing reads the cell as the lexer does: comments are whitespace (a run
/// of `[` split by comments is still a run), string contents are skipped but their
/// interpolations are code.
@Suite struct NestingGuardTests {
    private static func messages(_ source: String) -> [String] {
        NestingGuard.violations(in: source, firstLine: 1).map { "\($0.location.map { "\($0)" } ?? "-") \($0.message)" }
    }

    @Test(arguments: [
        "let x = " + String(repeating: "[", count: 13) + "1" + String(repeating: "]", count: 13),
        "let x = " + String(repeating: "[/**/", count: 13) + "1" + String(repeating: "]", count: 13),
        "let x = " + String(repeating: "[ // c\n", count: 13) + "1" + String(repeating: "]", count: 13),
        "let x = " + String(repeating: "[/* /* nested */ */", count: 13) + "1" + String(repeating: "]", count: 13),
        "let s = \"\\(" + String(repeating: "[", count: 13) + "1" + String(repeating: "]", count: 13) + ")\"",
    ])
    func longBracketRunsAreRefusedWhateverSplitsThem(_ source: String) {
        let found = Self.messages(source)
        #expect(found.count == 1 && found[0].contains("more than 12 `[` nested directly"), "\(found)")
    }

    @Test(arguments: [
        "let x = " + String(repeating: "[", count: 12) + "1" + String(repeating: "]", count: 12),
        "let s = \"" + String(repeating: "[", count: 40) + "\"",
        "let s = #\"" + String(repeating: "[", count: 40) + "\\(\"#",
        "let s = \"\"\"\n" + String(repeating: "[", count: 40) + "\n\"\"\"",
        "// " + String(repeating: "[", count: 40),
        "let a = [[1], [2], [3], [4], [5], [6], [7], [8], [9], [10], [11], [12], [13], [14]]",
        "let b = x < y && y < z && " + String(repeating: "p < q && ", count: 10) + "true",
        "let s = \"" + String(repeating: "\\(\"a\") ", count: 50) + "\"",
    ])
    func ordinaryCellsPass(_ source: String) {
        #expect(Self.messages(source).isEmpty, "\(Self.messages(source))")
    }

    @Test func deepGenericsAndInterpolationsAreRefusedAtTheirPlace() {
        let generics = Self.messages("let y: " + String(repeating: "Array<", count: 17) + "Int" + String(repeating: ">", count: 17))
        #expect(generics == ["1:109 more than 16 `<` nested after names are not supported in cells"], "\(generics)")
        let nested = Self.messages("let w = " + String(repeating: "\"\\(", count: 9) + "1" + String(repeating: ")\"", count: 9))
        #expect(nested == ["1:36 more than 8 string interpolations nested inside each other are not supported in cells"],
                "\(nested)")
        #expect(Self.messages("let w = " + String(repeating: "\"\\(", count: 8) + "1" + String(repeating: ")\"", count: 8))
            .isEmpty)
    }

    /// Whatever the scan lets through, the parse that follows survives: a tree too deep for
    /// the visitors is refused without recursion, on a thread with a small stack too.
    @Test func theParserNeverOverflowsTheCallersStack() throws {
        let chain = "let s = \"a\"\nlet z = s" + String(repeating: ".count.description", count: 20_000)
        final class Box: @unchecked Sendable { var failure: CellFailure? }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            do throws(CellFailure) { _ = try CellParser.parse(chain) } catch { box.failure = error }
            done.signal()
        }
        thread.stackSize = 256 << 10
        thread.start()
        done.wait()
        #expect(box.failure?.diagnostics.first?.message.contains("nests more than 400 levels deep") == true)
        #expect(box.failure?.diagnostics.first?.location == SourceLocation(line: 2, column: 9))
    }
}
