import Foundation
import Testing
@testable import Notebook

/// Stepping: run, skip, back (the session returns to before the cell), go to a cell.
@Suite("Stepping through notebooks")
struct NotebookStepperTests {
    static let lesson = """
        ```swift
        var x = 1
        ```

        ```swift
        x += 10
        x
        ```

        ```swift
        //| eval: false
        x = 100
        ```

        ```swift
        x * 2
        ```

        ```swift
        undefinedName
        ```

        ```swift
        x + 1
        ```
        """

    static func makeStepper(_ text: String = lesson, params: [String: String] = [:]) -> NotebookStepper {
        let document = NotebookParser.parse(text: text, file: "lesson.md")
        return NotebookStepper(document: document, executor: NotebookExecutor(document: document, text: text),
                               params: params)
    }

    @Test func runMovesOnAndKeepsOutcomes() throws {
        let stepper = Self.makeStepper()
        #expect(stepper.current?.index == 1)
        stepper.runCurrent()
        let second = try #require(stepper.runCurrent())
        #expect(second.displayedValue == "11")
        #expect(stepper.position == 2)
        #expect(stepper.executionCount == 2)
        #expect(stepper.displayValue(of: "x") == "11")
    }

    @Test func backRestoresTheSessionAndRunningAgainGivesTheSameResult() throws {
        let stepper = Self.makeStepper()
        stepper.runCurrent()
        stepper.runCurrent()
        #expect(stepper.back())
        #expect(stepper.position == 1)
        #expect(stepper.displayValue(of: "x") == "1", "x += 10 is undone")
        #expect(stepper.states[1] == .pending)
        #expect(try #require(stepper.runCurrent()).displayedValue == "11", "not 21")
        #expect(stepper.back() && stepper.back())
        #expect(stepper.displayValue(of: "x") == nil, "before the first cell nothing is bound")
        #expect(!stepper.back())
    }

    @Test func skipLeavesTheSessionAlone() throws {
        let stepper = Self.makeStepper()
        stepper.runCurrent()
        stepper.skip()
        #expect(stepper.states[1] == .skipped)
        #expect(stepper.displayValue(of: "x") == "1")
        #expect(try #require(stepper.runCurrent()).status == .ran, "eval: false runs when asked to")
        #expect(stepper.displayValue(of: "x") == "100")
    }

    @Test func goForwardRunsTheCellsBetweenAndStopsAtAFailure() throws {
        let stepper = Self.makeStepper()
        var seen: [Int] = []
        #expect(stepper.go(to: 3) { seen.append($0.cell.index) })
        #expect(seen == [1, 2], "the eval: false cell is skipped on the way")
        #expect(stepper.states[2] == .skipped)
        #expect(stepper.position == 3)
        #expect(stepper.displayValue(of: "x") == "11")
        #expect(!stepper.go(to: 6), "cell 5 fails under error: stop")
        #expect(stepper.position == 5)
        #expect(stepper.go(to: 1))
        #expect(stepper.displayValue(of: "x") == "1")
        #expect(stepper.states[1...].allSatisfy { $0 == .pending })
        #expect(!stepper.go(to: 99))
    }

    @Test func paramsAreBoundBeforeTheFirstCell() {
        let text = "---\nparams:\n  n: 3\n---\n\n```swift\nn * 2\n```\n"
        let stepper = Self.makeStepper(text, params: ["n": "21"])
        #expect(stepper.runCurrent()?.displayedValue == "42")
        #expect(stepper.back())
        #expect(stepper.displayValue(of: "n") == "21", "going back never unbinds the params")
    }

    /// The rules `lesson step` and `lesson serve` share: what each move needs, what it does.
    @Test func commandsFollowOneSetOfRules() throws {
        let stepper = Self.makeStepper()
        let count = stepper.cells.count
        #expect(stepper.refusal(for: .back) == .atStart)
        #expect(stepper.refusal(for: .rerun) == .nothingRan)
        #expect(stepper.refusal(for: .reset) == nil)
        #expect(stepper.refusal(for: .goTo(count)) == nil, "standing after the last cell is a place")
        for bad in [-1, count + 1, Int.max, Int.min] {
            #expect(stepper.refusal(for: .goTo(bad)) == .noSuchCell(bad, cellCount: count))
        }
        #expect(stepper.refusal(for: .runTo(count)) == .noSuchCell(count, cellCount: count), "there is no cell to run there")
        #expect(throws: StepRefusal.atStart) { try stepper.perform(.back) }
        #expect(stepper.position == 0, "a refused move changes nothing")

        var ran: [Int] = []
        #expect(try stepper.perform(.runTo(1), willRun: { ran.append($0.index) }))
        #expect(ran == [1, 2] && stepper.position == 2 && stepper.displayValue(of: "x") == "11")
        #expect(try stepper.perform(.rerun, willRun: { ran.append($0.index) }))
        #expect(ran == [1, 2, 2] && stepper.displayValue(of: "x") == "11", "run again from the state before it")
        #expect(try stepper.perform(.runTo(0)) && stepper.position == 1, "runTo behind goes back, then runs")
        #expect(stepper.displayValue(of: "x") == "1")
        #expect(try !stepper.perform(.goTo(count)), "cell 5 fails under error: stop")
        #expect(stepper.position == 5)
        #expect(try stepper.perform(.reset) && stepper.position == 0 && stepper.displayValue(of: "x") == nil)
        try stepper.perform(.goTo(count - 1))
        try stepper.perform(.skip)
        #expect(stepper.isAtEnd)
        #expect(stepper.refusal(for: .run) == .atEnd && stepper.refusal(for: .skip) == .atEnd)
        #expect(StepRefusal.atEnd.kind == .conflict && StepRefusal.noSuchCell(9, cellCount: 2).kind == .badRequest)
    }
}
