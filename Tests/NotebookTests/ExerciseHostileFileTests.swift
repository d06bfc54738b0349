import Foundation
import Testing
@testable import Notebook

/// Student files written oddly on purpose (line endings, fences, sizes, options): each answer
/// is still graded as the code it is, and its errors are located in the student's file.
@Suite("Grading oddly written answer files")
struct ExerciseHostileFileTests {
    static let right1 = "let doubled = numbers.map { $0 * 2 }"

    @Test("CRLF line endings: graded, and an error quotes the student's line without the CR")
    func crlf() {
        let student = AttackLesson.student("let doubled = numbers.map { $0 * 2 ", "let total = 20")
            .replacingOccurrences(of: "\n", with: "\r\n")
        let graded = grade(student)
        #expect(graded.results == [.error, .passed], "\(graded)")
        let detail = graded.grades.first?.detail ?? ""
        #expect(detail.hasPrefix("student.md:\(line(of: "numbers.map", in: student)):"), "\(detail)")
        #expect(detail.contains("\nlet doubled = numbers.map { $0 * 2 \n"), "\(detail)")
        #expect(!detail.contains("\r"))
    }

    @Test("CR line endings alone: lines are counted as cmark counts them, and quoted")
    func carriageReturns() {
        let student = AttackLesson.student("let doubled = numbers.map { $0 * 2 ", "let total = 20")
            .replacingOccurrences(of: "\n", with: "\r")
        #expect(NotebookParser.parse(text: student).warnings.isEmpty, "every fence is closed")
        let graded = grade(student)
        #expect(graded.results == [.error, .passed], "\(graded)")
        let detail = graded.grades.first?.detail ?? ""
        #expect(detail.hasPrefix("student.md:7:"), "\(detail)")
        #expect(detail.contains("\nlet doubled = numbers.map { $0 * 2 \n"), "\(detail)")
    }

    @Test("a CRLF lesson: the errors of its own cells quote its lines too")
    func crlfLesson() {
        let lesson = (AttackLesson.text + "```swift\nprint(missing)\n```\n").replacingOccurrences(of: "\n", with: "\r\n")
        let graded = grade(AttackLesson.student(Self.right1, "let total = 20"), against: lesson)
        #expect(graded.results == [.passed, .passed], "\(graded)")
        let error = graded.outcomes.last?.renderedDiagnostics.first ?? ""
        #expect(error.hasPrefix("lesson.md:\(line(of: "print(missing)", in: lesson)):7:"), "\(error)")
        #expect(error.contains("\nprint(missing)\n      ^"), "\(error)")
    }

    @Test("a byte order mark: graded, and lines are counted as without it")
    func byteOrderMark() {
        let answer = "\n" + Self.right1 + "\nlet broken = doubled[9]"
        let student = "\u{FEFF}" + AttackLesson.student(answer, "let total = 20")
        let graded = grade(student)
        #expect(graded.results == [.error, .passed], "\(graded)")
        #expect(graded.grades.first?.detail?.hasPrefix("student.md:\(line(of: "doubled[9]", in: student)):14:") == true,
                "\(graded.grades.first?.detail ?? "")")
    }

    @Test("tilde fences: a backtick fence line inside is a Swift error at its line")
    func tildeFences() {
        let answer = Self.right1 + "\n```\n\n```swift\n//| check: true\nlet total = 20"
        let student = AttackLesson.student(answer, "let total = 20", fence: "~~~~")
        let graded = grade(student)
        #expect(graded.results == [.error, .passed], "\(graded)")
        let fenceLine = line(of: "numbers.map", in: student) + 1
        #expect(graded.grades.first?.detail?.hasPrefix("student.md:\(fenceLine):") == true,
                "\(graded.grades.first?.detail ?? "")")
    }

    @Test("an indented fence: its code loses the fence's indent, and a fence line in it is still code")
    func indentedFence() {
        // The fence is indented 3 spaces, so CommonMark takes 3 spaces off each code line: the
        // last line is "   ```", which would close a fence at the margin.
        let student = """
            ```swift
            //| exercise: 2
            let total = 20
            ```

               ```swift
               //| exercise: 1
               \(Self.right1)
                  ```
               ```

            """
        let graded = grade(student)
        #expect(graded.results == [.error, .passed], "\(graded)")
        #expect(graded.grades.first?.detail?.hasPrefix("student.md:9:") == true, "\(graded.grades.first?.detail ?? "")")
    }

    @Test("a fence inside a string literal is part of the answer, which passes")
    func fenceInStringLiteral() {
        let answer = """
            \(Self.right1)
            let fence = "```"
            let markdown = \"\"\"
            ```swift
            //| check: true
            ```
            \"\"\"
            print(markdown.count, fence)
            """
        let graded = grade(AttackLesson.student(answer, "let total = 20", fence: "````"))
        #expect(graded.results == [.passed, .passed], "\(graded)")
    }

    @Test("a 10,000-line answer is graded, its error located at its last line")
    func longAnswer() {
        let lines = ["var doubled = [0]"] + Array(repeating: "doubled[0] += 1", count: 9_998)
            + ["doubled = numbers[7...]"]
        let student = AttackLesson.student(lines.joined(separator: "\n"), "let total = 20")
        let graded = grade(student)
        #expect(graded.results == [.error, .passed], "\(graded)")
        #expect(graded.grades.first?.detail?.hasPrefix("student.md:\(line(of: "numbers[7...]", in: student)):") == true,
                "\(graded.grades.first?.detail ?? "")")
    }

    @Test("an answer cell marked `eval: false` still runs and is graded")
    func evalFalse() {
        let student = AttackLesson.student("//| eval: false\n//| output: false\n" + Self.right1 + "\nprint(\"ran\")",
                                           "let total = 2")
        let graded = grade(student)
        #expect(graded.results == [.passed, .failed], "\(graded)")
        #expect(graded.outcomes.dropFirst().first?.output == "ran\n")
    }
}
