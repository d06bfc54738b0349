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
        // Found by the fuzzer: `[(` runs take time exponential in their length (20 pairs: 37 s).
        "let x = " + String(repeating: "[(", count: 7) + "1" + String(repeating: ")]", count: 7),
        "let x = " + String(repeating: "([", count: 7) + "1" + String(repeating: "])", count: 7),
    ])
    func longBracketRunsAreRefusedWhateverSplitsThem(_ source: String) {
        let found = Self.messages(source)
        #expect(found.count == 1 && found[0].contains("more than 12 `[` and `(` nested directly"), "\(found)")
    }

    /// Found by the fuzzer: text the parser backtracks over out of reach of its limits.
    @Test func backslashesAndPoundRunsAreRefused() {
        let keyPaths = Self.messages("let x = 1 " + String(repeating: "\\(", count: 200))
        #expect(keyPaths.first?.contains("more than 16 `\\` outside string literals") == true, "\(keyPaths)")
        let pounds = Self.messages("let x = 1 " + String(repeating: "#", count: 8000))
        #expect(pounds.first?.contains("more than 16 `#` in a row") == true, "\(pounds)")
        #expect(Self.messages("let s = ##\"a \\\\ b\"## + \"\\\\\\\\\"").isEmpty, "backslashes in strings are text")
        #expect(Self.messages("let p = " + String(repeating: "(", count: 40) + "1" + String(repeating: ")", count: 40)).isEmpty,
                "runs of `(` alone are cheap to parse")
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

    /// Found by the fuzzer: swift-syntax describes syntax errors in time quadratic in their
    /// number (2,000 `a ` on a line took 27 s). Past 100, only those near the first are described.
    @Test func manySyntaxErrorsAreDescribedNearTheFirstOnly() throws {
        for noise in ["a ", "@", "' "] {
            let source = "let x = 1 " + String(repeating: noise, count: 8000)
            do throws(CellFailure) {
                _ = try CellParser.parse(source)
            } catch {
                #expect(error.diagnostics.count == CellParser.shownSyntaxErrors + 1, "\(noise): \(error.diagnostics.count)")
                #expect(error.diagnostics.last?.message.contains("more than 100 syntax errors") == true)
                #expect(error.diagnostics.allSatisfy { ($0.location?.column ?? 0) < 1000 })
            }
        }
    }

    /// Found by the fuzzer: a stray character next to `=` made swift-syntax's diagnostics trap
    /// (a Fix-It with no change). Invisible and control characters are refused by name; any
    /// other character that would still set off the trap gets a diagnostic of ours.
    @Test(arguments: [0xFEFF, 0x0, 0xB, 0xC, 0x85, 0x2028, 0x3000, 0x7F, 0x1, 0xFFFE, 0xFFFD, 0xE000, 0x200B, 0xA0])
    func strayCharactersNextToEqualsAreErrorsNotTraps(_ code: Int) throws {
        let character = try #require(Unicode.Scalar(UInt32(code))).description
        let source = "let a =\(character) 1\nlet b = 2 \(character)= 3"
        #expect(throws: CellFailure.self) { try CellParser.parse(source) }
        let inString = "let s = \"a\(character)b\" // \(character)"
        if code != 0xFFFE, code != 0 { #expect(NestingGuard.violations(in: inString, firstLine: 1).isEmpty) }
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
