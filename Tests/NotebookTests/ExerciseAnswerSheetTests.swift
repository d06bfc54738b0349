import Testing
@testable import Notebook

/// Joins lines with "\n" so line numbers in the tests can be read off the array.
private func file(_ lines: String...) -> String {
    lines.joined(separator: "\n") + "\n"
}

/// Reads `text` (named student.md) as answers to a lesson with `exercises` exercises.
private func sheet(_ text: String, exercises: Int = 2) throws(AnswerSheetError) -> AnswerSheet {
    try AnswerSheet(student: NotebookParser.parse(text: text, file: "student.md"), text: text,
                    exerciseCount: exercises)
}

/// What `sheet` refused the file with, one `file:line: error:` line per problem; nil if it did not.
private func refusal(_ text: String, exercises: Int = 2) -> String? {
    do {
        _ = try sheet(text, exercises: exercises)
        return nil
    } catch {
        return error.description
    }
}

/// Which cells of a student's file are the answers, and which files are refused because their
/// cells cannot be matched to the lesson's exercises one to one.
@Suite("Reading a student's answers")
struct ExerciseAnswerSheetTests {
    @Test("each exercise's cell is found; only its code is kept, its option lines are not")
    func matchesCellsAndKeepsOnlyCode() throws {
        let answers = try sheet(file(
            "# Answers",
            "```swift",
            "let scratch = 1",
            "```",
            "```swift",
            "//| exercise: 2",
            "//| check: true",
            "//| eval: false",
            "let total = 20",
            "//| check: still code",
            "```",
            "```swift",
            "//| exercise: 1",
            "// Exercise 1: write your code here.",
            "```"))
        #expect(answers.cells.keys.sorted() == [1, 2])
        #expect(answers.cells[2]?.source == "let total = 20\n//| check: still code")
        #expect(answers.cells[2]?.firstLine == 9)
        #expect(answers.cells[1]?.source == "// Exercise 1: write your code here.")
        #expect(answers.file == "student.md")
    }

    @Test("the text kept for quoting lines is the parser's: no byte order mark, no carriage returns")
    func textIsNormalised() throws {
        let answers = try sheet("\u{FEFF}```swift\r\n//| exercise: 1\r\nlet x = 1\r\n```\r\n")
        #expect(answers.text == "```swift\n//| exercise: 1\nlet x = 1\n```\n")
    }

    @Test("an exercise answered by two cells is refused at the second")
    func answeredTwice() {
        let text = file("```swift", "//| exercise: 2", "let a = 1", "```", "",
                        "```swift", "//| exercise: 2", "// Exercise 2: write your code here.", "```")
        #expect(refusal(text) == "student.md:6: error: exercise 2 is answered twice, here and at line 1; "
                    + "keep one cell marked `//| exercise: 2`")
    }

    @Test("an exercise the lesson does not have is refused")
    func unknownExercise() {
        #expect(refusal(file("```swift", "//| exercise: 3", "let a = 1", "```"))
                    == "student.md:2: error: the lesson has no exercise 3 (it has exercises 1 to 2)")
        #expect(refusal(file("```swift", "//| exercise: 2", "let a = 1", "```"), exercises: 1)
                    == "student.md:2: error: the lesson has no exercise 2 (it has only exercise 1)")
    }

    @Test("an exercise: value that is not a whole number from 1 is refused", arguments: [
        "one", "0", "-1", "1.5", "1 2", "2 # the second", "99999999999999999999999",
    ])
    func invalidNumber(value: String) {
        #expect(refusal(file("```swift", "//| label: mine", "//| exercise: \(value)", "let a = 1", "```"))
                    == "student.md:3: error: `exercise:` must be the number of one of the lesson's exercises "
                    + "(1 to 2), not `\(value)`")
    }

    @Test("an empty exercise: value is refused")
    func emptyNumber() {
        #expect(refusal(file("```swift", "//| exercise:", "let a = 1", "```"))
                    == "student.md:2: error: `exercise:` must be the number of one of the lesson's exercises (1 to 2)")
    }

    @Test("a cell that names its exercise twice is refused, even twice the same")
    func namedTwiceInOneCell() {
        for second in ["2", "1"] {
            #expect(refusal(file("```swift", "//| exercise: 1", "//| exercise: \(second)", "let a = 1", "```"))
                        == "student.md:3: error: this cell names its exercise twice (`exercise:` at lines 2 and 3)")
        }
    }

    @Test("a code block marked exercise that the parser does not take as a cell is refused", arguments: [
        // In a list item: cmark makes it part of the item, the parser keeps it as prose.
        ["- My answer:", "", "  ```swift", "  //| exercise: 1", "  let a = 1", "  ```"],
        // In a block quote.
        ["> ```swift", "> //| exercise: 1", "> let a = 1", "> ```"],
        // Indented four spaces: an indented code block, not a fence.
        ["Answer:", "", "    //| exercise: 1", "    let a = 1"],
        // A fence whose info string is not `swift`.
        ["```Swift", "//| exercise: 1", "let a = 1", "```"],
    ])
    func notACell(lines: [String]) {
        let text = (["```swift", "//| exercise: 2", "let b = 2", "```", ""] + lines).joined(separator: "\n") + "\n"
        let line = 5 + (lines.firstIndex { $0.contains("```") || $0.contains("//|") } ?? 0) + 1
        #expect(refusal(text) == "student.md:\(line): error: this code block is marked `//| exercise:` but is not "
                    + "a cell, so it cannot be graded: an answer is a ```swift fence at the top level (not indented, "
                    + "not in a list or quote)")
    }

    @Test("a file with cells but none marked exercise is refused: it is not an answer file")
    func noExerciseCells() {
        let lesson = file("```swift", "//| solution: true", "let a = 1", "```")
        #expect(refusal(lesson) == "student.md:1: error: no cell is marked `//| exercise: N`, so nothing here "
                    + "answers the lesson's exercises (is this the handout `lesson run --student` wrote?)")
    }

    @Test("a file without any cell is refused: it is not a notebook")
    func noCells() {
        #expect(refusal("# Just notes\n\nNo code.\n") == "student.md:1: error: this is not a lesson notebook: "
                    + "it has no ```swift cells (answers go in cells marked `//| exercise: N`)")
    }

    @Test("every problem is reported, in file order")
    func everyProblem() {
        let text = file(
            "```swift", "//| exercise: 7", "```",
            "```swift", "//| exercise: 1", "let a = 1", "```",
            "- ```swift", "  //| exercise: 2", "  ```",
            "```swift", "//| exercise: 1", "let a = 2", "```")
        let lines = refusal(text)?.split(separator: "\n").map { $0.prefix { $0 != " " } }
        #expect(lines == ["student.md:2:", "student.md:8:", "student.md:11:"])
    }
}
