import Foundation
import Testing
import TestSupport
@testable import Notebook

/// Joins lines with "\n" so line numbers in the tests can be read off the array.
private func notebook(_ lines: String...) -> String {
    lines.joined(separator: "\n") + "\n"
}

/// The plan for `student` (student.md) against `lesson` (lesson.md).
private func plan(_ student: String, against lesson: String, answerTimeLimit: Double? = nil) throws -> GradingPlan {
    let lessonDocument = NotebookParser.parse(text: lesson, file: "lesson.md")
    let sheet = try AnswerSheet(student: NotebookParser.parse(text: student, file: "student.md"), text: student,
                                exerciseCount: lessonDocument.exercises.count)
    return GradingPlan(lesson: lessonDocument, lessonText: lesson, answers: sheet, answerTimeLimit: answerTimeLimit)
}

/// How the graded run treats answers and the lesson's own code: each answer on the lesson's
/// state, the lesson's solution after it, limits for answers only, no cache.
@Suite("The graded run")
struct ExerciseGradingRunTests {
    @Test("a wrong answer does not make the next exercise fail: each runs on the lesson's values")
    func eachExerciseOnItsOwn() throws {
        // Answer 1 is wrong and even changes a global of the lesson; answer 2 is right.
        let student = AttackLesson.student("let numbers = [0]\nlet doubled = [0]", "let total = doubled.reduce(0, +)")
        let graded = grade(student)
        #expect(graded.results == [.failed, .passed], "\(graded)")
        #expect(graded.outcomes.last?.output == "the total is 20\n")
    }

    @Test("the lesson's own solution raising after an answer is a warning located in the lesson")
    func brokenSolutionWarns() throws {
        let lesson = notebook(
            "```swift", "let xs = [1]", "```",
            "```swift", "//| solution: true", "//| check: y == 2", "let y = 2", "let z = xs[3]", "```",
            "```swift", "y + 1", "```")
        let graded = try plan(notebook("```swift", "//| exercise: 1", "let y = 2", "```"), against: lesson)
        let run = graded.executor().run()
        #expect(graded.grades(run.outcomes).map(\.result) == [.passed])
        #expect(run.warnings.count == 1)
        let warning = run.warnings.first ?? ""
        #expect(warning.hasPrefix("the lesson's own solution of cell 2, run after the answer"), "\(warning)")
        #expect(warning.contains("\nlesson.md:8:"), "\(warning)")
        #expect(warning.contains("\nlet z = xs[3]\n"), "\(warning)")
        // `y` is the solution's: later cells run on it.
        #expect(run.outcomes.last?.displayedValue == "3")
    }

    @Test("answers run under error: allow and the answer time limit; the lesson's own code keeps its limits")
    func limits() throws {
        let lesson = AttackLesson.text
            .replacingOccurrences(of: "//| label: total", with: "//| label: total\n//| timeout: 9")
        let graded = try plan(AttackLesson.student("let doubled = [2]", "let total = 1"), against: lesson,
                              answerTimeLimit: 5)
        #expect(graded.answers.keys.sorted() == [2, 3])
        #expect(graded.answers[2]?.cell.options.timeoutSeconds == 5)
        #expect(graded.answers[3]?.cell.options.timeoutSeconds == 9, "the lesson's own timeout wins")
        #expect(graded.answers.values.allSatisfy { $0.cell.options.error == .allow })
        let solutions = graded.lesson.cells.filter(\.options.solution)
        #expect(solutions.map(\.options.timeoutSeconds) == [nil, 9])
        #expect(solutions.allSatisfy { $0.options.error == .allow })
        #expect(graded.lesson.cells.map(\.source) == NotebookParser.parse(text: lesson).cells.map(\.source))
        #expect(graded.document.cells.map(\.source)[1...2] == ["let doubled = [2]", "let total = 1"])
    }

    @Test("a graded run neither takes cells from the cell cache nor stores any")
    func noCache() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let settings = CacheSettings(cache: CellCache(folder: directory.url), engineVersion: "test", seed: 1,
                                     stateThreshold: 0)
        let lesson = AttackLesson.text
        _ = NotebookExecutor(document: NotebookParser.parse(text: lesson, file: "lesson.md"), text: lesson)
            .run(cache: settings)
        let stored = try FileManager.default.subpathsOfDirectory(atPath: directory.url.path).sorted()
        #expect(!stored.isEmpty)
        let graded = try plan(AttackLesson.student("let doubled = [2]", "// Exercise 2: write your code here."),
                              against: lesson)
        let run = graded.executor().run(cache: settings)
        #expect(run.outcomes.allSatisfy { !$0.fromCache })
        #expect(graded.grades(run.outcomes).map(\.result) == [.failed, .notAttempted])
        #expect(try FileManager.default.subpathsOfDirectory(atPath: directory.url.path).sorted() == stored)
    }
}
