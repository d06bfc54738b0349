import Foundation
import Testing
@testable import Notebook

/// Checks see the answer's values only for the names the lesson's solution declares or changes:
/// an answer cannot redefine the lesson's data to make a check pass, and an exercise that
/// changes the lesson's values is still graded on what it changed.
@Suite("grading: answers cannot redefine the lesson's data")
struct ExerciseRedefinitionTests {
    static let lesson = """
        # Doubles

        ```swift
        let numbers = [1, 2, 3, 4]
        var log: [Int] = []
        let counter = ptbIteratorless()
        ```

        ```swift
        //| solution: true
        //| check: doubled == numbers.map { $0 * 2 }
        //| check: doubled.count == 4
        let doubled = numbers.map { $0 * 2 }
        ```

        ```swift
        //| solution: true
        //| check: log == [5]
        log.append(5)
        ```
        """
        .replacingOccurrences(of: "let counter = ptbIteratorless()\n", with: "")

    static func student(_ first: String, _ second: String = "log.append(5)") -> String {
        "```swift\n//| exercise: 1\n\(first)\n```\n\n```swift\n//| exercise: 2\n\(second)\n```\n"
    }

    /// The attack: the check compares against `numbers`, so an answer that redefines `numbers`
    /// passed with any `doubled` of its own.
    @Test func redefiningTheLessonsDataFailsTheCheck() {
        let graded = grade(Self.student("let numbers = [0]\nlet doubled = [0]"), against: Self.lesson)
        #expect(graded.results == [.failed, .passed], "\(graded.grades)")
        let shadowing = grade(Self.student("var numbers: [Int] = []\nnumbers = [0, 0, 0, 0]\nlet doubled = [0, 0, 0, 0]"),
                              against: Self.lesson)
        #expect(shadowing.results == [.failed, .passed], "\(shadowing.grades)")
    }

    @Test func honestAnswersStillPass() {
        let graded = grade(Self.student("var doubled: [Int] = []\nfor n in numbers { doubled.append(n + n) }"),
                           against: Self.lesson)
        #expect(graded.results == [.passed, .passed], "\(graded.grades)")
    }

    /// The second exercise changes a lesson variable: the check sees the change.
    @Test func anExerciseThatChangesLessonValuesIsGradedOnTheChange() {
        let right = grade(Self.student("let doubled = numbers.map { $0 * 2 }", "log += [5]"), against: Self.lesson)
        #expect(right.results == [.passed, .passed], "\(right.grades)")
        let wrong = grade(Self.student("let doubled = numbers.map { $0 * 2 }", "log.append(6)"), against: Self.lesson)
        #expect(wrong.results == [.passed, .failed], "\(wrong.grades)")
    }
}
