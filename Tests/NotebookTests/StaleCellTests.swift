import CellScript
import Foundation
import Testing
@testable import Notebook

/// Running a passed cell again in place (`StepCommand.runAgain`) marks the later cells whose
/// inputs it changed stale, with the names; `runStale` brings them up to date.
@Suite("Stale cells in the stepper")
struct StaleCellTests {
    static let lesson = """
        ```swift
        var base = 1
        let unrelated = 100
        ```

        ```swift
        let doubled = base * 2
        ```

        ```swift
        let other = unrelated + 1
        ```

        ```swift
        let quadrupled = doubled * 2
        ```

        ```swift
        base += 1
        ```
        """

    static func stepper() -> NotebookStepper {
        let document = NotebookParser.parse(text: lesson, file: "lesson.md")
        return NotebookStepper(document: document, executor: NotebookExecutor(document: document, text: lesson))
    }

    static func value(_ stepper: NotebookStepper, _ index: Int) -> String? {
        guard case .ran(let outcome) = stepper.states[index] else { return nil }
        return outcome.displayedValue
    }

    @Test func runningACellAgainMarksWhatReadsItsWritesTransitively() throws {
        let stepper = Self.stepper()
        try stepper.perform(.goTo(5))
        #expect(stepper.stale.isEmpty)
        // Cell 4 (base += 1) already ran: base is 2. Running cell 1 again makes base 1 and
        // unrelated 100 again: both are written, so cell 2 (base) and cell 3 (unrelated) are stale,
        // and cell 4 through doubled.
        try stepper.perform(.runAgain(0))
        #expect(stepper.stale == [1: ["base"], 2: ["unrelated"], 3: ["doubled"], 4: ["base"]])
        #expect(stepper.position == 5, "running a cell again does not move")
    }

    @Test func runStaleRunsThemInOrderUntilNoneIsLeft() throws {
        let stepper = Self.stepper()
        try stepper.perform(.goTo(5))
        try stepper.perform(.runAgain(4))   // base: 2 -> 3
        #expect(stepper.stale == [:], "nothing after the last cell")
        try stepper.perform(.runAgain(1))   // doubled = 3 * 2
        #expect(stepper.stale == [3: ["doubled"]])
        var ran: [Int] = []
        try stepper.perform(.runStale, onOutcome: { ran.append($0.cell.index) })
        #expect(ran == [4], "cell numbers are 1-based in outcomes")
        #expect(stepper.stale.isEmpty)
        #expect(stepper.displayValue(of: "quadrupled") == "12")
        #expect(throws: StepRefusal.nothingStale) { try stepper.perform(.runStale) }
    }

    @Test func onlyPassedCellsRunAgainAndGoingBackUndoesIt() throws {
        let stepper = Self.stepper()
        try stepper.perform(.goTo(2))
        #expect(throws: StepRefusal.notReached(2)) { try stepper.perform(.runAgain(2)) }
        #expect(throws: StepRefusal.noSuchCell(9, cellCount: 5)) { try stepper.perform(.runAgain(9)) }
        try stepper.perform(.goTo(5))
        try stepper.perform(.runAgain(0))
        #expect(!stepper.stale.isEmpty)
        try stepper.perform(.back)
        #expect(stepper.stale.isEmpty, "going back restores the session from before cell 5 and what was shown then")
        #expect(stepper.displayValue(of: "base") == "1")
        try stepper.perform(.run)
        #expect(stepper.displayValue(of: "base") == "2")
    }
}
