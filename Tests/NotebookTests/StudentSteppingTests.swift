import Foundation
import Testing
@testable import Notebook

/// `NotebookStepper` for a student: exercises never run the solution in view, answers are judged
/// as grading judges them and then set aside for the lesson's solution.
@Suite("Stepping as a student")
struct StudentSteppingTests {
    /// Exercise 1's visible check passes for `[2]`; its hidden check does not.
    static let lesson = """
        ```swift
        let numbers = [1, 2, 3, 4]
        ```

        ```swift
        //| label: doubled
        //| solution: true
        //| check: doubled.first == 2
        //| hidden-check: doubled.count == 4
        let doubled = numbers.map { $0 * 2 }
        print("SECRET-SOLUTION-OUTPUT")
        doubled
        ```

        ```swift
        //| label: total
        //| solution: true
        //| check: total == 20
        let total = doubled.reduce(0, +)
        ```

        ```swift
        total
        ```
        """

    static func stepper(student: Bool = true) -> NotebookStepper {
        let document = NotebookParser.parse(text: lesson, file: "lesson.md")
        return NotebookStepper(document: document, executor: NotebookExecutor(document: document, text: lesson),
                               student: student)
    }

    @Test("an exercise without an answer is refused, not run; skipping it runs the solution with nothing of it kept")
    func unansweredExercise() throws {
        let stepper = Self.stepper()
        try stepper.perform(.run)
        #expect(stepper.refusal(for: .run) == .unanswered(1))
        #expect(throws: StepRefusal.unanswered(1)) { try stepper.perform(.run) }
        #expect(stepper.position == 1 && stepper.displayValue(of: "doubled") == nil)

        var seen: [CellOutcome] = []
        try stepper.perform(.skip, onOutcome: { seen.append($0) })
        #expect(stepper.position == 2 && stepper.solvedUnseen == [1])
        #expect(stepper.displayValue(of: "doubled") == "[2, 4, 6, 8]", "later cells see the lesson's values")
        let outcome = try #require(seen.first)
        #expect(outcome.output.isEmpty && outcome.pieces.isEmpty && outcome.displayedValue == nil && outcome.checks.isEmpty)
        guard case .ran(let kept) = stepper.states[1] else { Issue.record("not run"); return }
        #expect(!kept.output.contains("SECRET"))
        // Going forward over an unanswered exercise runs it unseen too.
        #expect(try stepper.perform(.goTo(4)))
        #expect(stepper.solvedUnseen == [1, 2])
        guard case .ran(let last) = stepper.states[3] else { Issue.record("not run"); return }
        #expect(last.displayedValue == "20")
        // Back before them: no longer solved.
        try stepper.perform(.goTo(1))
        #expect(stepper.solvedUnseen.isEmpty)
    }

    @Test("an answer runs with the visible checks only, then the lesson's solution takes its place")
    func answerJudgedThenSetAside() throws {
        let stepper = Self.stepper()
        try stepper.perform(.run)
        stepper.edit(1, code: "let doubled = [2]\nprint(\"mine\", doubled)\nlet helper = 7")
        var seen: [CellOutcome] = []
        try stepper.perform(.run, onOutcome: { seen.append($0) })
        let outcome = try #require(seen.first)
        #expect(outcome.output == "mine [2]\n")
        #expect(outcome.checks.map(\.expression) == ["doubled.first == 2"], "no hidden check")
        #expect(outcome.failedChecks.isEmpty)
        #expect(stepper.displayValue(of: "doubled") == "[2, 4, 6, 8]", "the lesson's solution ran after the answer")
        #expect(stepper.displayValue(of: "helper") == nil)
        #expect(stepper.solvedUnseen.isEmpty)
        guard case .ran(let kept) = stepper.states[1] else { Issue.record("not run"); return }
        #expect(kept.output == "mine [2]\n", "the list shows the answer's run")
    }

    @Test("running an answer that does not pass stays at the exercise, the session as it was; one that passes moves on")
    func answerGate() throws {
        let stepper = Self.stepper()
        try stepper.perform(.run)
        stepper.edit(1, code: "let doubled = [3]")
        var seen: [CellOutcome] = []
        #expect(try stepper.perform(.run, onOutcome: { seen.append($0) }) == false)
        #expect(stepper.position == 1 && seen.count == 1)
        #expect(seen.first?.failedChecks.map(\.expression) == ["doubled.first == 2"])
        #expect(stepper.displayValue(of: "doubled") == nil, "neither the answer's nor the solution's value")
        guard case .ran(let shown) = stepper.states[1] else { Issue.record("not kept"); return }
        #expect(!shown.passesAsAnswer)
        stepper.edit(1, code: "let doubled = [2]")
        #expect(try stepper.perform(.run))
        #expect(stepper.position == 2 && stepper.displayValue(of: "doubled") == "[2, 4, 6, 8]")
        #expect(stepper.executionCount == 3)
    }

    @Test("an answer that raises, or fails a check, is judged so; its errors are located in the answer")
    func failingAnswers() throws {
        let stepper = Self.stepper()
        try stepper.perform(.run)
        stepper.edit(1, code: "let doubled = [3]")
        let wrong = try #require(stepper.runCurrent())
        #expect(wrong.failedChecks.map(\.expression) == ["doubled.first == 2"])
        #expect(stepper.back())
        stepper.edit(1, code: "let doubled = numbers.map { $0 * 2 }\nnoSuchName")
        let raising = try #require(stepper.runCurrent())
        guard case .failed = raising.status else { Issue.record("\(raising.status)"); return }
        #expect(raising.renderedDiagnostics.first?.contains("exercise 1 (your answer):2:") == true,
                "\(raising.renderedDiagnostics)")
        #expect(!raising.failsRun, "an answer runs under error: allow, as in grading")
    }

    @Test("an answer that never ends stops at the answer time limit, as in grading, and the session goes on")
    func endlessAnswer() throws {
        let stepper = Self.stepper()
        stepper.answerTimeLimit = 0.2
        try stepper.perform(.run)
        stepper.edit(1, code: "var n = 0\nwhile true { n += 1 }")
        let outcome = try #require(stepper.runCurrent())
        guard case .failed(let diagnostics) = outcome.status else { Issue.record("\(outcome.status)"); return }
        #expect(diagnostics.first?.message.contains("time limit") == true, "\(diagnostics)")
        #expect(stepper.displayValue(of: "doubled") == "[2, 4, 6, 8]")
    }

    @Test("an answer that rebinds the lesson's data to fake its check fails, as in grading")
    func rebindingAnswer() throws {
        let text = """
            ```swift
            let numbers = [1, 2, 3, 4]
            ```

            ```swift
            //| solution: true
            //| check: doubled.count == numbers.count
            let doubled = numbers.map { $0 * 2 }
            ```
            """
        let document = NotebookParser.parse(text: text, file: "lesson.md")
        let stepper = NotebookStepper(document: document, executor: NotebookExecutor(document: document, text: text),
                                      student: true)
        try stepper.perform(.run)
        stepper.edit(1, code: "let numbers = [9]\nlet doubled = [18]")
        let outcome = try #require(stepper.runCurrent())
        #expect(outcome.failedChecks.map(\.expression) == ["doubled.count == numbers.count"])
        #expect(stepper.displayValue(of: "numbers") == "[1, 2, 3, 4]")
    }

    @Test("the session follows the lesson until a cell before is edited, skipped or run again")
    func followsLesson() throws {
        let stepper = Self.stepper()
        try stepper.perform(.run)
        #expect(stepper.followsLesson(before: 1))
        stepper.edit(1, code: "let doubled = [2]")
        try stepper.perform(.run)
        #expect(stepper.followsLesson(before: 2), "an answer is set aside for the lesson's solution")
        try stepper.perform(.runAgain(0))
        #expect(!stepper.followsLesson(before: 2))
        #expect(!stepper.followsLesson(before: 3), "not reached")
        try stepper.perform(.goTo(0))
        stepper.edit(0, code: "let numbers = [1]")
        try stepper.perform(.run)
        #expect(!stepper.followsLesson(before: 1))
    }

    @Test("a lesson solution that fails when run in place of a passing answer is reported, not hidden behind the answer")
    func brokenSolutionAfterAnswer() throws {
        let text = """
            ```swift
            //| solution: true
            //| check: x == 1
            let x = 1
            undefinedName
            ```
            """
        let document = NotebookParser.parse(text: text, file: "lesson.md")
        let stepper = NotebookStepper(document: document, executor: NotebookExecutor(document: document, text: text),
                                      student: true)
        stepper.edit(0, code: "let x = 1")
        #expect(try stepper.perform(.run))
        #expect(stepper.unseenFailure == 0)
        try stepper.perform(.back)
        #expect(stepper.unseenFailure == nil)
    }

    @Test("an answer that is the solution word for word is still the student's answer")
    func answerEqualToSolution() throws {
        let stepper = Self.stepper()
        stepper.edit(1, code: stepper.cells[1].source)
        #expect(stepper.edits[1] != nil && !stepper.runsUnseen(1))
        let teacher = Self.stepper(student: false)
        teacher.edit(1, code: teacher.cells[1].source)
        #expect(teacher.edits.isEmpty)
    }

    @Test("outside student mode a solution cell is a cell like any other")
    func notAStudent() throws {
        let stepper = Self.stepper(student: false)
        try stepper.perform(.run)
        let outcome = try #require(stepper.runCurrent())
        #expect(outcome.output.contains("SECRET-SOLUTION-OUTPUT"))
        #expect(outcome.checks.count == 2)
        #expect(!stepper.isExercise(1))
    }
}

/// The answers file `lesson step --student` keeps: the handout with answers in place.
@Suite("A student's answers file")
struct AnswerFileTests {
    static let lesson = NotebookParser.parse(text: StudentSteppingTests.lesson, file: "lesson.md")

    static func save(_ code: String?, _ number: Int, into existing: String?) throws(AnswerFile.Refusal) -> String {
        try AnswerFile.saving(code, exercise: number, into: existing, file: "lesson.answers.md", lesson: lesson,
                              lessonText: StudentSteppingTests.lesson)
    }

    @Test("the first answer makes the handout with it in place; grading reads exactly that answer")
    func firstAnswer() throws {
        let text = try Self.save("let doubled = [2]\r\n\n", 1, into: nil)
        #expect(!text.contains("SECRET") && !text.contains("hidden-check") && !text.contains("solution:"))
        #expect(text.contains("//| exercise: 1\n//| label: doubled\n//| check: doubled.first == 2\nlet doubled = [2]\n```"))
        #expect(try AnswerFile.answers(in: text, file: "a.md", lesson: Self.lesson) == [1: "let doubled = [2]"])
    }

    @Test("later saves change only that exercise's code; prose added by hand stays; a missing cell is added")
    func laterAnswers() throws {
        var text = try Self.save("let doubled = [2]", 1, into: nil)
        text = text.replacingOccurrences(of: "```swift\n//| exercise: 2", with: "My notes.\n\n```swift\n//| exercise: 2")
        text = try Self.save("let total = 20\nprint(total)", 2, into: text)
        text = try Self.save("let doubled = [2, 4]", 1, into: text)
        #expect(text.contains("My notes.\n"))
        #expect(try AnswerFile.answers(in: text, file: "a.md", lesson: Self.lesson)
                == [1: "let doubled = [2, 4]", 2: "let total = 20\nprint(total)"])
        // Removing an answer puts the placeholder back.
        text = try Self.save(nil, 1, into: text)
        #expect(text.contains(StudentHandout.placeholder(1)))
        #expect(try AnswerFile.answers(in: text, file: "a.md", lesson: Self.lesson) == [2: "let total = 20\nprint(total)"])
        // A file that lost exercise 1's cell gets one at its end.
        let only2 = "```swift\n//| exercise: 2\nlet total = 1\n```"
        let added = try Self.save("let doubled = [9]", 1, into: only2)
        #expect(added.hasPrefix(only2 + "\n"))
        #expect(try AnswerFile.answers(in: added, file: "a.md", lesson: Self.lesson) == [1: "let doubled = [9]", 2: "let total = 1"])
    }

    @Test("an answer with a fence line, or a file that no longer reads as answers, is refused")
    func refusals() throws {
        for hostile in ["let a = 1\n```\n\n```swift\n//| exercise: 2\nlet total = 20", "~~~", "   ```swift"] {
            #expect(throws: AnswerFile.Refusal.self, "\(hostile)") { try Self.save(hostile, 1, into: nil) }
        }
        let twice = "```swift\n//| exercise: 1\nlet doubled = [2]\n```\n\n```swift\n//| exercise: 1\n```\n"
        #expect(throws: AnswerFile.Refusal.self) { try Self.save("let doubled = [2]", 1, into: twice) }
        #expect(throws: AnswerFile.Refusal.self) { try Self.save("let doubled = [2]", 1, into: "no cells here") }
    }
}
