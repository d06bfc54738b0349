import Foundation
import Testing
import TestSupport
@testable import Notebook

/// Joins lines with "\n" so line numbers in the tests can be read off the array.
private func notebook(_ lines: String...) -> String {
    lines.joined(separator: "\n") + "\n"
}

private func run(_ text: String) -> NotebookRun {
    NotebookExecutor(document: NotebookParser.parse(text: text, file: "lesson.md"), text: text).run()
}

@Suite("Exercise options")
struct ExerciseOptionTests {
    @Test func solutionChecksSlideAndExerciseAreRead() {
        let document = NotebookParser.parse(text: notebook(
            "```swift",
            "//| solution: true",
            "//| check: total == 10",
            "//|   check:   a < b && c > \"<x>\"",
            "//| slide: yes",
            "//| exercise: 2",
            "let total = 10",
            "```"))
        let options = document.cells[0].options
        #expect(options.solution)
        #expect(options.slide)
        #expect(options.exercise == 2)
        #expect(options.checks == [CellCheck(expression: "total == 10", line: 3, column: 12),
                                   CellCheck(expression: "a < b && c > \"<x>\"", line: 4, column: 16)])
        #expect(document.warnings.isEmpty, "\(document.warnings)")
        #expect(document.cells[0].source == "let total = 10")
    }

    @Test func defaultsAreOff() {
        let options = NotebookParser.parse(text: notebook("```swift", "let x = 1", "```")).cells[0].options
        #expect(!options.solution && !options.slide && options.exercise == nil && options.checks.isEmpty)
    }

    @Test func emptyAndUnparsableChecksWarnAtTheirColumn() {
        let document = NotebookParser.parse(text: notebook(
            "```swift",
            "//| check:",
            "//| check: total ==",
            "//| check: let y = 2",
            "//| exercise: first",
            "//| solution: maybe",
            "let total = 10",
            "```"), file: "lesson.md")
        #expect(document.warnings.map(\.line) == [2, 3, 4, 5, 6])
        #expect(document.warnings.map(\.column) == [11, 20, 12, 15, 15])
        #expect(document.warnings[0].message.contains("`check` is empty"))
        #expect(document.warnings[1].message.contains("`check` is not a Swift expression"))
        #expect(document.warnings[1].description.hasPrefix("lesson.md:3:20: warning:"))
        #expect(document.warnings[2].message.contains("one expression"))
        #expect(document.warnings[3].message.contains("`exercise` must be a whole number"))
        // The empty check is dropped; the broken ones are kept so running them fails visibly.
        #expect(document.cells[0].options.checks.map(\.expression) == ["total ==", "let y = 2"])
    }

    @Test func theUnknownOptionWarningListsTheNewKeys() {
        let document = NotebookParser.parse(text: notebook("```swift", "//| colour: red", "let x = 1", "```"))
        let message = document.warnings.first?.message ?? ""
        for key in ["solution", "check", "exercise", "slide"] { #expect(message.contains(key)) }
    }

    @Test func exercisesAreNumberedInFileOrder() {
        let document = NotebookParser.parse(text: notebook(
            "```swift", "let a = 1", "```",
            "```swift", "//| solution: true", "//| label: first", "let b = 2", "```",
            "```swift", "//| solution: true", "let c = 3", "```"))
        #expect(document.exercises.map(\.number) == [1, 2])
        #expect(document.exercises.map(\.cell.index) == [2, 3])
        #expect(document.exercises.map(\.title) == ["Exercise 1: first", "Exercise 2"])
        #expect(document.exerciseNumber(ofCell: 3) == 2)
        #expect(document.exerciseNumber(ofCell: 1) == nil)
    }
}

@Suite("Running checks")
struct CheckExecutionTests {
    static let lesson = notebook(
        "```swift",
        "//| check: xs.count == 3",
        "//| check: xs.count == 4",
        "//| check: xs.count",
        "//| check: xs[10] == 1",
        "//| check: total ==",
        "var xs = [1, 2, 3]",
        "print(\"cell ran\")",
        "```",
        "```swift",
        "xs.count",
        "```")

    @Test func eachCheckPassesOnlyOnTrue() throws {
        let result = run(Self.lesson)
        let checks = result.outcomes[0].checks
        #expect(checks.map(\.passed) == [true, false, false, false, false])
        #expect(checks.map(\.line) == [2, 3, 4, 5, 6])
        #expect(checks[1].message == "is false: xs.count is 3", "a comparison says what its sides were")
        #expect(checks[2].message == "is 3 (a Int), not true or false")
        #expect(checks[3].message?.hasPrefix("raised an error:") == true, "\(checks[3])")
        #expect(checks[4].message?.hasPrefix("is not a Swift expression") == true)
        #expect(checks[0].message == nil)
        // A failed check fails the run but does not stop it: the next cell still ran.
        #expect(result.outcomes[0].status == .ran)
        #expect(result.outcomes[0].failsRun)
        #expect(!result.succeeded)
        #expect(result.outcomes[1].displayedValue == "3")
        // Checks print nothing into the cell's output.
        #expect(result.outcomes[0].output == "cell ran\n")
    }

    @Test func passingChecksLeaveTheRunSucceeded() {
        let result = run(notebook("```swift", "//| check: x * 2 == 8", "let x = 4", "```"))
        #expect(result.succeeded)
        #expect(result.outcomes[0].checks.map(\.passed) == [true])
    }

    @Test func checksCannotChangeTheGlobalsLaterCellsSee() {
        let result = run(notebook(
            "```swift",
            "//| check: { counter += 100; return counter > 100 }()",
            "//| check: { items.append(9); return items.count == 2 }()",
            "var counter = 1",
            "var items = [1]",
            "```",
            "```swift",
            "[counter, items.count]",
            "```"))
        // The checks did change the globals while they ran...
        #expect(result.outcomes[0].checks.map(\.passed) == [true, true])
        // ...and the session was put back before the next cell.
        #expect(result.outcomes[1].displayedValue == "[1, 1]")
    }

    @Test func aCellThatRaisesHasNoCheckResults() {
        let result = run(notebook(
            "```swift", "//| check: true", "//| error: allow", "let a = [1]", "print(a[5])", "```"))
        #expect(result.outcomes[0].checks.isEmpty)
        #expect(!result.outcomes[0].failsRun)
    }

    @Test func checkResultsComeBackFromTheCacheWhereTheCellNowIs() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let settings = CacheSettings(cache: CellCache(folder: directory.url), engineVersion: "test", seed: 1,
                                     stateThreshold: 0)
        let first = NotebookExecutor(document: NotebookParser.parse(text: Self.lesson, file: "lesson.md"),
                                     text: Self.lesson).run(cache: settings)
        let moved = "# Title\n\nProse.\n\n" + Self.lesson
        let second = NotebookExecutor(document: NotebookParser.parse(text: moved, file: "lesson.md"), text: moved)
            .run(cache: settings)
        #expect(second.outcomes.allSatisfy { $0.fromCache }, "\(second.warnings)")
        #expect(second.outcomes[0].checks.map(\.passed) == first.outcomes[0].checks.map(\.passed))
        #expect(second.outcomes[0].checks.map(\.message) == first.outcomes[0].checks.map(\.message))
        #expect(second.outcomes[0].checks.map(\.line) == [6, 7, 8, 9, 10])
        #expect(!second.succeeded)
    }

    @Test func theStepperGetsCheckResults() {
        let text = notebook("```swift", "//| check: x == 2", "let x = 1", "```")
        let executor = NotebookExecutor(document: NotebookParser.parse(text: text, file: "lesson.md"), text: text)
        let outcome = executor.runCell(NotebookParser.parse(text: text).cells[0])
        #expect(outcome.checks.map(\.passed) == [false])
    }
}

@Suite("Student handout and grading plan")
struct HandoutAndGradingTests {
    static let lesson = notebook(
        "---",
        "title: Tiny",
        "---",
        "",
        "```swift",
        "let numbers = [1, 2, 3]",
        "```",
        "",
        "```swift",
        "//| label: doubled",
        "//| solution: true",
        "//| check: doubled == [2, 4, 6]",
        "let doubled = numbers.map { $0 * 2 }",
        "print(\"SECRET\")",
        "```",
        "",
        "```swift",
        "//| solution: true",
        "//| check: total == 12",
        "let total = doubled.reduce(0, +)",
        "```",
        "",
        "Prose after.")

    @Test func theHandoutReplacesOnlySolutionCodeAndParses() {
        let document = NotebookParser.parse(text: Self.lesson, file: "lesson.md")
        let handout = StudentHandout.text(of: document, text: Self.lesson)
        #expect(!handout.contains("SECRET") && !handout.contains("solution:"))
        #expect(handout.contains("//| exercise: 1\n//| label: doubled\n//| check: doubled == [2, 4, 6]\n"
                                 + "// Exercise 1: write your code here.\n```"))
        #expect(handout.hasPrefix("---\ntitle: Tiny\n---\n\n```swift\nlet numbers = [1, 2, 3]\n```\n"))
        #expect(handout.hasSuffix("\nProse after.\n"))
        let parsed = NotebookParser.parse(text: handout, file: "handout.md")
        #expect(parsed.warnings.isEmpty, "\(parsed.warnings)")
        #expect(parsed.cells.count == 3)
        #expect(parsed.cells.map(\.options.exercise) == [nil, 1, 2])
        #expect(parsed.cells[1].options.checks.map(\.expression) == ["doubled == [2, 4, 6]"])
        #expect(parsed.cells[1].options.label == "doubled")
    }

    @Test func anIndentedFenceInsideTheSolutionIsCodeNotItsEnd() {
        let text = notebook(
            "```swift", "//| solution: true", "let fence = 1", "    ```", "let after = 2", "```", "", "Prose.")
        let document = NotebookParser.parse(text: text)
        #expect(document.cells.count == 1)
        let handout = StudentHandout.text(of: document, text: text)
        #expect(handout == notebook(
            "```swift", "//| exercise: 1", "// Exercise 1: write your code here.", "```", "", "Prose."))
    }

    /// Found by the fuzzer: `lesson run --student` trapped on a lesson whose lines the parser
    /// and the handout counted differently ("\r\r\n" in a solution). Each exercise's lines now
    /// also end before the next exercise's fence, whatever the file holds.
    @Test func aHandoutOfALessonWithStrayCarriageReturnsKeepsEveryExercise() {
        let text = "~~~ swift\r\n//| solution: yes\r\nlet a = 1\r\n> > \r\r\n~~~\r\n\r\nProse.\r\n\r\n"
            + "```swift\r\n//| solution: true\r\n//| check: b == 2\r\nlet b = 2\r\n```\r\n"
        let document = NotebookParser.parse(text: text)
        #expect(document.exercises.count == 2)
        let handout = StudentHandout.text(of: document, text: text)
        #expect(handout == notebook(
            "~~~ swift", "//| exercise: 1", "// Exercise 1: write your code here.", "~~~", "", "Prose.", "",
            "```swift", "//| exercise: 2", "//| check: b == 2", "// Exercise 2: write your code here.", "```"))
    }

    @Test func gradingPutsAnswersInPlaceAndKeepsTheLessonsChecks() throws {
        let lesson = NotebookParser.parse(text: Self.lesson, file: "lesson.md")
        var answers = StudentHandout.text(of: lesson, text: Self.lesson)
        answers = answers.replacingOccurrences(of: "// Exercise 1: write your code here.",
                                               with: "let doubled = [2, 4, 7]\n// a comment")
        answers = answers.replacingOccurrences(of: "//| check: doubled == [2, 4, 6]", with: "//| check: true")
        let student = NotebookParser.parse(text: answers, file: "student.md")
        let sheet = try AnswerSheet(student: student, text: answers, exerciseCount: 2)
        let plan = GradingPlan(lesson: lesson, lessonText: Self.lesson, answers: sheet)
        #expect(plan.lesson.cells.map(\.source) == lesson.cells.map(\.source), "the lesson runs as it is")
        #expect(plan.slots.map { $0.answer != nil } == [true, false])
        #expect(plan.document.cells[1].source == "let doubled = [2, 4, 7]\n// a comment")
        #expect(plan.document.cells[1].options.checks.map(\.expression) == ["doubled == [2, 4, 6]"])
        #expect(plan.document.cells[2].source == "let total = doubled.reduce(0, +)")
        let outcomes = plan.executor().run().outcomes
        let grades = plan.grades(outcomes)
        #expect(grades.map(\.result) == [.failed, .notAttempted])
        #expect(grades[0].detail == "check `doubled == [2, 4, 6]` failed: is false: doubled is [2, 4, 7]")
        #expect(grades[0].label == "doubled")
        #expect(outcomes[1].checks.map(\.line) == [12])
    }

    @Test func anAnswersErrorPointsIntoTheStudentsFile() throws {
        let lesson = NotebookParser.parse(text: Self.lesson, file: "lesson.md")
        let answers = StudentHandout.text(of: lesson, text: Self.lesson)
            .replacingOccurrences(of: "// Exercise 2: write your code here.", with: "\n\nlet total = doubled[9]")
        let student = NotebookParser.parse(text: answers, file: "student.md")
        let sheet = try AnswerSheet(student: student, text: answers, exerciseCount: 2)
        let plan = GradingPlan(lesson: lesson, lessonText: Self.lesson, answers: sheet)
        let grades = plan.grades(plan.executor().run().outcomes)
        #expect(grades.map(\.result) == [.notAttempted, .error])
        let line = try #require(answers.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.contains("doubled[9]") }) + 1
        #expect(grades[1].detail?.hasPrefix("student.md:\(line):") == true, "\(grades[1].detail ?? "")")
        #expect(grades[1].detail?.contains("let total = doubled[9]") == true)
    }
}
