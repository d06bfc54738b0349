import CellScript
import Foundation
import Limits
import Testing
import TestSupport
@testable import Notebook

/// `{swift} expr` in prose: evaluated after the cells above it, shown as text, errors located,
/// values kept in the cache with the cell before them.
@Suite("Inline values in prose")
struct InlineValueTests {
    static let lesson = """
        ---
        params:
          n: 5
        ---
        # Inline

        Before any cell: `{swift} 6 * 7` and the param `{swift} n`.

        ```swift
        var x = 1
        let word = "market"
        let ppl = 115.86912
        ```

        Now x is `{swift} x`, the word `{swift} word`, perplexity `{swift} ppl, format: "%.3f"`,
        padded `{swift} x, format: "%03d"`; plain code `let y = 2` stays code.

        ```swift
        x = 2
        ```

        Later x is `{swift} x`.
        """

    static func run(_ text: String, cache folder: URL? = nil) -> NotebookRun {
        let document = NotebookParser.parse(text: text, file: "lesson.md")
        let settings = folder.map { CacheSettings(cache: CellCache(folder: $0), engineVersion: "test", seed: 1, stateThreshold: 0) }
        return NotebookExecutor(document: document, text: text).run(cache: settings)
    }

    static func texts(_ run: NotebookRun) -> [String] {
        run.inlineValues.sorted { ($0.key.blockLine, $0.key.ordinal) < ($1.key.blockLine, $1.key.ordinal) }.map { entry in
            switch entry.value {
            case .text(let text): return text
            case .failed(let message, _): return "error: \(message)"
            }
        }
    }

    @Test func valuesAreShownAsTheSessionStandsAfterTheCellsAbove() {
        let run = Self.run(Self.lesson)
        #expect(run.succeeded)
        #expect(Self.texts(run) == ["42", "5", "1", "market", "115.869", "001", "2"])
    }

    @Test func expressionsAreFoundWithTheirPlaceInTheFile() {
        let document = NotebookParser.parse(text: Self.lesson, file: "lesson.md")
        let found = document.inlineExpressions
        #expect(found.map(\.code) == ["6 * 7", "n", "x", "word", "ppl, format: \"%.3f\"", "x, format: \"%03d\"", "x"])
        #expect(found.map(\.cellsBefore) == [0, 0, 1, 1, 1, 1, 2])
        #expect(found[2].line == 15 && found[2].column == 19, "\(found[2])")
        #expect(found[5].line == 16 && found[5].column == 17, "\(found[5])")
    }

    @Test func aFailingExpressionIsLocatedAndStopsTheRun() {
        let text = """
            ```swift
            var xs = [1]
            ```

            Missing `{swift} nothere` here.

            ```swift
            print("after")
            ```
            """
        let run = Self.run(text)
        #expect(!run.succeeded)
        #expect(run.inlineErrors == ["lesson.md:5:18: error: cannot find 'nothere' in scope\nMissing `{swift} nothere` here.\n                 ^"])
        #expect(run.outcomes[1].status == .notRun)
    }

    @Test(arguments: [
        ("xs.append(2)", "an inline value must not change the session, but this one changed xs"),
        ("xs, format: \"%s\"", "format \"%s\": only a number conversion is allowed (%d, %.3f, %e, %g, with flags and width)"),
        ("1, format: \"%n\"", "format \"%n\": only a number conversion is allowed (%d, %.3f, %e, %g, with flags and width)"),
        ("1, format: \"%@\"", "format \"%@\": only a number conversion is allowed (%d, %.3f, %e, %g, with flags and width)"),
        ("1, format: \"%d %d\"", "format \"%d %d\": it needs exactly one number conversion, e.g. %.3f"),
        ("1, format: \"%99999f\"", "format \"%99999f\": only a number conversion is allowed (%d, %.3f, %e, %g, with flags and width)"),
        ("1, format: \"100%%\"", "format \"100%%\": it needs exactly one number conversion, e.g. %.3f"),
        ("1.5, format: \"%d\"", "format \"%d\" is for an Int, but the value is a Double; use %.0f"),
        ("xs, format: \"%.2f\"", "format: needs a number, but the value is [Int]"),
        ("1, style: \"x\"", "after the expression an inline value takes only `format:` with a string literal, e.g. format: \"%.3f\""),
        ("1, 2", "after the expression an inline value takes only `format:` with a string literal, e.g. format: \"%.3f\""),
        ("print(1)", "this inline expression has no value to show"),
        ("", "an inline value needs an expression after {swift}"),
    ])
    func refusedExpressionsSayWhy(_ code: String, _ message: String) throws {
        let text = "```swift\nvar xs = [1]\n```\n\nValue: `{swift} \(code)`.\n"
        let document = NotebookParser.parse(text: text, file: "lesson.md")
        let executor = NotebookExecutor(document: document, text: text)
        _ = executor.runCell(document.cells[0])
        let inline = try #require(document.inlineExpressions.first)
        guard case .failed(let found, _) = executor.evaluate(inline) else {
            Issue.record("\(code) was accepted")
            return
        }
        #expect(found == message)
        #expect(executor.displayValue(of: "xs") == "[1]", "the session is as it was")
    }

    @Test func formatsAreAtMostOneNumberConversion() {
        #expect(NumberFormat.problem(in: "%.3f") == nil && NumberFormat.problem(in: "ppl %+08.2e %%") == nil)
        #expect(NumberFormat.isInteger("%05d") && !NumberFormat.isInteger("%d%%f".replacingOccurrences(of: "%d", with: "%.1f")))
        for bad in ["%s", "%n", "%@", "%ld", "%*d", "%1$d", "%.3f%.3f", "no conversion", "%"] {
            #expect(NumberFormat.problem(in: bad) != nil, "\(bad)")
        }
    }

    @Test func valuesAreKeptInTheCacheAndANewOneResumesTheSession() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let folder = directory.url.appendingPathComponent("cache")
        let first = Self.run(Self.lesson, cache: folder)
        let second = Self.run(Self.lesson, cache: folder)
        #expect(second.outcomes.allSatisfy { $0.fromCache }, "nothing runs again")
        #expect(Self.texts(second) == Self.texts(first))
        // A new inline expression after the first cell needs the session after it.
        let edited = Self.lesson.replacingOccurrences(of: "Now x is", with: "Doubled `{swift} x * 10`. Now x is")
        let third = Self.run(edited, cache: folder)
        #expect(Self.texts(third) == ["42", "5", "10", "1", "market", "115.869", "001", "2"])
        #expect(third.outcomes.map(\.fromCache) == [true, false], "resumed after the first cell, the second ran again")
    }

    /// What a bored student could put in an inline expression: a 20 GB allocation, nesting past
    /// the parser's limits, an endless loop, a value full of markup. Each ends as a located error
    /// (or plain text), never a trap, a hang or markup.
    @Test func hostileExpressionsEndAsErrorsOrText() throws {
        let nested = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
        let cases: [(code: String, expect: (InlineResult) -> Bool)] = [
            ("Array(repeating: 0, count: 5_000_000_000).count", { result in
                if case .failed(let message, _) = result { return message.contains("5000000000 elements") }
                return false
            }),
            (nested, { result in
                if case .failed(let message, _) = result { return message.contains("nest") }
                return false
            }),
            ("(0..<Int.max).reduce(0, +)", { result in
                if case .failed(let message, _) = result { return message.contains("elements; the limit") }
                return false
            }),
            ("[1].map { _ in var n = 0; while n >= 0 { n = (n + 1) % 10 }; return n }", { result in
                if case .failed(let message, _) = result { return message.contains("time limit") }
                return false
            }),
            ("\"<script>alert(1)</script>\"", { $0 == .text("<script>alert(1)</script>") }),
        ]
        for (code, expect) in cases {
            let text = "Value: `{swift} \(code)`.\n"
            let document = NotebookParser.parse(text: text, file: "lesson.md")
            let executor = NotebookExecutor(document: document, text: text)
            executor.memoryBudget = MemoryBudget(limit: 1 << 30)
            executor.defaultTimeLimit = 0.3
            let inline = try #require(document.inlineExpressions.first)
            let result = executor.evaluate(inline)
            #expect(expect(result), "\(code.prefix(60)): \(result)")
            if case .failed(_, let rendered) = result { #expect(rendered.hasPrefix("lesson.md:1:"), "located: \(rendered.prefix(80))") }
        }
    }

    @Test func aValueFullOfMarkupIsTextInTheReportAndTheTerminal() throws {
        let text = "Say ``{swift} \"<b>bold</b> `tick` [link](x)\"`` now.\n"
        let document = NotebookParser.parse(text: text, file: "lesson.md")
        let run = NotebookExecutor(document: document, text: text).run()
        guard case .prose(let block) = document.blocks[0] else {
            Issue.record("no prose")
            return
        }
        let substituted = block.substitutingInline(run.inlineValues)
        #expect(substituted.nodes.flatMap(\.allNodes).contains { $0.kind == .text("<b>bold</b> `tick` [link](x)") },
                "the value is one text node, never parsed as Markdown")
    }
}
