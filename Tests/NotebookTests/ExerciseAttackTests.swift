import Foundation
import TestSupport
import Testing
@testable import Notebook

/// What grading a student's file came to.
enum Graded {
    /// The file was refused, with the reason.
    case refused(String)
    /// The grades, the run's outcomes and the notebook the report shows.
    case graded([ExerciseGrade], outcomes: [CellOutcome], document: NotebookDocument)

    var grades: [ExerciseGrade] {
        if case .graded(let grades, _, _) = self { return grades }
        return []
    }

    var results: [ExerciseGrade.Result] { grades.map(\.result) }

    var document: NotebookDocument? {
        if case .graded(_, _, let document) = self { return document }
        return nil
    }

    var outcomes: [CellOutcome] {
        if case .graded(_, let outcomes, _) = self { return outcomes }
        return []
    }
}

/// Grades `student` (named student.md) against `lesson` (named lesson.md) as `lesson grade` does.
func grade(_ student: String, against lesson: String = AttackLesson.text) -> Graded {
    let lessonDocument = NotebookParser.parse(text: lesson, file: "lesson.md")
    let studentDocument = NotebookParser.parse(text: student, file: "student.md")
    let sheet: AnswerSheet
    do {
        sheet = try AnswerSheet(student: studentDocument, text: student, exerciseCount: lessonDocument.exercises.count)
    } catch {
        return .refused(error.description)
    }
    let plan = GradingPlan(lesson: lessonDocument, lessonText: lesson, answers: sheet)
    let outcomes = plan.executor().run().outcomes
    return .graded(plan.grades(outcomes), outcomes: outcomes, document: plan.document)
}

/// The 1-based line of the first line of `text` that contains `needle`, 0 when none does.
func line(of needle: String, in text: String) -> Int {
    let lines = text.replacingOccurrences(of: "\r\n", with: "\n")
        .split(separator: "\n", omittingEmptySubsequences: false)
    return (lines.firstIndex { $0.contains(needle) } ?? -1) + 1
}

/// A lesson with two exercises, the second using what the first defines.
enum AttackLesson {
    static let text = SumsLesson.markdown()

    /// The prose of the lesson, block by block, as the report shows it.
    static var prose: [String] {
        NotebookParser.parse(text: text).blocks.compactMap { block in
            if case .prose(let prose) = block { return prose.source }
            return nil
        }
    }

    /// A student file with two answer cells, fenced with `fence`.
    static func student(_ answer1: String, _ answer2: String, fence: String = "```") -> String {
        """
        # My answers

        \(fence)swift
        //| exercise: 1
        //| label: doubled
        //| check: doubled == [2, 4, 6, 8]
        \(answer1)
        \(fence)

        \(fence)swift
        //| exercise: 2
        \(answer2)
        \(fence)

        """
    }
}

/// Answers written to get around grading: each must be graded on its code, never pass by
/// changing the lesson. Every test here failed on the grader that spliced the student's
/// text into the lesson's Markdown and parsed it again.
@Suite("Grading hostile answers")
struct ExerciseAttackTests {
    @Test("a fence line in an answer cannot close the lesson's cell, add checked cells or swallow the lesson")
    func fenceInjection() throws {
        let answer1 = HostileAnswers.fenceInjection() + "\n"
        let student = AttackLesson.student(answer1, "let total = 0", fence: "````")
        let graded = grade(student)
        #expect(graded.results == [.error, .failed], "\(graded)")
        let detail = graded.grades.first?.detail ?? ""
        #expect(detail.hasPrefix("student.md:\(line(of: "numbers.map", in: student) + 1):"), "\(detail)")
        #expect(graded.grades.last?.detail == "check `total == 20` failed: is false: total is 0")
        let document = try #require(graded.document)
        #expect(document.cells.count == 4)
        #expect(document.cells.map(\.options.checks.count) == [0, 1, 1, 0])
        #expect(document.cells.last?.source == "print(\"the total is\", total)")
        #expect(document.blocks.compactMap { if case .prose(let p) = $0 { p.source } else { nil } }
            == AttackLesson.prose)
    }

    @Test("an answer cannot add prose or HTML to the lesson")
    func proseInjection() throws {
        let lesson = AttackLesson.text
            .replacingOccurrences(of: "title: Sums", with: "title: Sums\nallow-raw-html: true")
        let answer1 = """
            let doubled = numbers.map { $0 * 2 }
            ```

            # Injected heading

            <script>alert("injected")</script>

            ```swift
            let more = 1
            """
        let graded = grade(AttackLesson.student(answer1, "let total = 20", fence: "````"), against: lesson)
        #expect(graded.results == [.error, .passed], "\(graded)")
        let document = try #require(graded.document)
        let prose = document.blocks.compactMap { if case .prose(let p) = $0 { p.source } else { nil } }
        #expect(!prose.joined().contains("Injected") && !prose.joined().contains("<script>"))
        #expect(document.cells[1].source == answer1, "the answer is the cell's code, all of it")
    }

    @Test("an answer's own options never apply, in its option lines or in its code")
    func ownOptions() {
        // The option lines of the answer cell: a check that always passes, a policy that
        // expects an error, no evaluation. None of them is the lesson's.
        let ownLines = """
            //| check: true
            //| error: expected
            //| eval: false
            //| solution: false
            //| timeout: 0.001
            let doubled = [0]
            """
        let inLines = grade(AttackLesson.student(ownLines, "let total = 20"))
        #expect(inLines.results == [.failed, .passed], "\(inLines)")
        // Option lines inside the code, after a fence line, standing in for exercise 2's cell,
        // with an HTML comment to hide the lesson's own cells after them.
        let inCode = HostileAnswers.fenceInjection(label: nil, laterCell: "print(\"done\")", ending: "<!--")
        let graded = grade(AttackLesson.student(inCode, "let total = 1", fence: "````"))
        #expect(graded.results == [.error, .failed], "\(graded)")
    }

    @Test("a file that answers exercise 1 twice is refused, whichever answer comes first")
    func answeredTwice() {
        let right = "```swift\n//| exercise: 1\nlet doubled = [2, 4, 6, 8]\n```\n"
        let wrong = "```swift\n//| exercise: 1\nlet doubled = [0]\n```\n"
        for student in [right + "\n" + wrong, wrong + "\n" + right] {
            guard case .refused(let reason) = grade(student) else {
                Issue.record("graded: \(grade(student).results)")
                continue
            }
            #expect(reason == "student.md:6: error: exercise 1 is answered twice, here and at line 1; "
                        + "keep one cell marked `//| exercise: 1`")
        }
    }

    @Test("what answer 1 defines beyond its exercise does not reach exercise 2's checks")
    func answerDefinesTheNextExercise() {
        let graded = grade(AttackLesson.student("let doubled = numbers.map { $0 * 2 }\nlet total = 20",
                                                "print(\"nothing to do\")"))
        #expect(graded.results == [.passed, .failed], "\(graded)")
        #expect(graded.grades.last?.detail?.contains("total") == true, "\(graded)")
        // The lesson's own values reach the cells after the answers.
        #expect(graded.outcomes.last?.output == "the total is 20\n", "\(graded.outcomes.last?.output ?? "")")
    }
}
