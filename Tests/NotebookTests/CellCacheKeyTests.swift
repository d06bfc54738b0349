import Foundation
import Testing
@testable import Notebook

/// Cells parsed from a notebook, so option lines and prose go through the real parser.
private func cells(_ lines: String...) -> [Cell] {
    NotebookParser.parse(text: lines.joined(separator: "\n") + "\n").cells
}

private let base = cells(
    "# Title", "", "Some prose.", "",
    "```swift", "//| label: setup", "let a = 1", "```", "",
    "```swift", "let b = a + 1", "```", "",
    "```swift", "print(b)", "```")

private func keys(_ cells: [Cell], params: [(name: String, value: String)] = [("epochs", "2")],
                  engine: String = "0.1.0", seed: UInt64 = 42) -> [CellCacheKey] {
    CellCacheKeys.keys(for: cells, params: params, engineVersion: engine, seed: seed)
}

@Suite("CellCacheKeys")
struct CellCacheKeyTests {
    @Test func oneKeyPerCellAllDistinctAndStable() {
        let first = keys(base)
        #expect(first.count == 3)
        #expect(Set(first).count == 3)
        #expect(first == keys(base))
        #expect(first.allSatisfy { $0.hex.count == 64 })
    }

    @Test func sourceChangeChangesThatCellAndLaterOnes() {
        var edited = base
        edited[1].source = "let b = a + 2"
        let before = keys(base)
        let after = keys(edited)
        #expect(after[0] == before[0])
        #expect(after[1] != before[1])
        #expect(after[2] != before[2])
    }

    @Test func laterCellChangeKeepsEarlierKeys() {
        var edited = base
        edited[2].source = "print(b * 2)"
        let before = keys(base)
        let after = keys(edited)
        #expect(Array(after.prefix(2)) == Array(before.prefix(2)))
        #expect(after[2] != before[2])
    }

    @Test func aSlideBreakLeavesTheKeysAlone() {
        var edited = base
        edited[0].options.slide = true
        #expect(keys(edited) == keys(base), "cutting slides must not make a lesson retrain")
    }

    @Test(arguments: ["label", "echo", "eval", "output", "error", "timeout", "solution", "exercise", "check",
                      "unknown"])
    func everyOptionIsInTheKey(option: String) {
        var edited = base
        switch option {
        case "label": edited[0].options.label = "other"
        case "echo": edited[0].options.echo = false
        case "eval": edited[0].options.eval = false
        case "output": edited[0].options.output = false
        case "error": edited[0].options.error = .allow
        case "timeout": edited[0].options.timeoutSeconds = 5
        case "solution": edited[0].options.solution = true
        case "exercise": edited[0].options.exercise = 1
        case "check": edited[0].options.checks = [CellCheck(expression: "a == 1", line: 2, column: 12)]
        default: edited[0].options.unknown = [CellOptions.UnknownOption(key: "colour", value: "red", line: 6)]
        }
        let before = keys(base)
        let after = keys(edited)
        #expect(after[0] != before[0])
        #expect(after[2] != before[2])
    }

    @Test func paramsSeedAndEngineVersionAreInEveryKey() {
        let before = keys(base)
        for after in [keys(base, params: [("epochs", "3")]), keys(base, params: [("epoch", "2")]),
                      keys(base, params: []), keys(base, seed: 43), keys(base, engine: "0.2.0")] {
            for index in before.indices {
                #expect(after[index] != before[index])
            }
        }
    }

    @Test func proseAndPositionsDoNotChangeKeys() {
        let moved = cells(
            "# Another title", "", "Much more prose,", "over several lines.", "", "> A quote.", "",
            "```swift", "//| label: setup", "let a = 1", "```", "", "Between cells.", "",
            "```swift", "let b = a + 1", "```", "",
            "```swift", "print(b)", "```", "", "Closing words.")
        #expect(moved.map(\.firstLine) != base.map(\.firstLine))
        #expect(keys(moved) == keys(base))
    }
}
