import Foundation
import TestSupport
import Testing

/// The lessons in `Notebooks/`: both pass `lesson check`, and the quickstart (which needs
/// no corpus and runs in well under a second) runs to the end, with its charts.
/// The flagship needs the Penn Treebank and minutes, so it is only checked here.
@Suite("shipped lessons")
struct ShippedLessonTests {
    static let notebooks = TestPaths.packageRoot().appendingPathComponent("Notebooks")

    @Test("lesson check finds nothing wrong in the shipped lessons")
    func checkPasses() throws {
        let paths = ["ptb-lstm.md", "quickstart.md"].map { Self.notebooks.appendingPathComponent($0).path }
        let result = try LessonCommand.run(["check"] + paths, in: Self.notebooks)
        #expect(result.exited && result.status == 0, "\(result)")
        #expect(result.stdout.contains("ptb-lstm.md: 62 cells, no errors"), "\(result)")
        #expect(result.stdout.contains("quickstart.md: 10 cells, no errors"), "\(result)")
    }

    /// The flagship's committed run (`Output/`, made by hand: 15 epochs take over 20 minutes)
    /// must be the lesson as it stands: every inline value evaluated, every exercise's checks
    /// passed, and a student handout that `lesson check` accepts and that holds no solution.
    @Test("the flagship's committed report, student report and handout are of the lesson as it is")
    func flagshipCommittedRun() throws {
        let output = TestPaths.packageRoot().appendingPathComponent("Output")
        let report = try String(contentsOf: output.appendingPathComponent("ptb-lstm.html"), encoding: .utf8)
        let lesson = try String(contentsOf: Self.notebooks.appendingPathComponent("ptb-lstm.md"), encoding: .utf8)
        let exercises = lesson.components(separatedBy: "//| solution: true").count - 1
        #expect(exercises == 10)
        #expect(!report.contains("class=\"inline-error\"") && !report.contains("class=\"inline-pending\""))
        let inlineCount = lesson.components(separatedBy: "`{swift} ").count - 1
        #expect(report.components(separatedBy: "class=\"inline-value\"").count - 1 == inlineCount)
        for number in 1...exercises { #expect(report.contains("Solution (exercise \(number): "), "exercise \(number)") }
        #expect(!report.contains("✗"), "every check passed")
        #expect(report.contains("id=\"cell-62\"") && !report.contains("id=\"cell-63\""), "the report is of the 62-cell lesson")

        let student = try String(contentsOf: output.appendingPathComponent("ptb-lstm.student.html"), encoding: .utf8)
        #expect(!student.contains("validation sentences:") && !student.contains("let farthestId"))
        let handout = output.appendingPathComponent("ptb-lstm.student.md").path
        let handoutText = try String(contentsOf: URL(fileURLWithPath: handout), encoding: .utf8)
        for number in 1...exercises { #expect(handoutText.contains("//| exercise: \(number)\n")) }
        #expect(!handoutText.contains("let validSentences = idToWord(validData)"))
        let check = try LessonCommand.run(["check", handout], in: Self.notebooks)
        #expect(check.status == 0 && check.stdout.contains("62 cells, no errors"), "\(check)")
    }

    @Test("the quickstart runs every cell, trains, plots and predicts")
    func quickstartRuns() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let notebook = Self.notebooks.appendingPathComponent("quickstart.md").path
        let arguments = ["run", notebook, "-o", "quickstart.html", "--param", "epochs=2", "--no-cache"]
        let result = try LessonCommand.run(arguments, in: directory.url)
        #expect(result.exited && result.status == 0, "\(result)")
        #expect(result.stdout.contains("vocabulary: 50 words"), "\(result)")
        #expect(result.stdout.contains("training sentences: 1600\n✓ check: trainSentences == 1600\n"), "\(result)")
        #expect(result.stdout.contains("Epoch 2: Valid Perplexity:"), "\(result)")
        #expect(!result.stdout.contains("Epoch 3:"), "\(result)")
        #expect(result.stdout.contains("[heatmap] LSTM output h after 10 words: 10 × 24"), "\(result)")
        #expect(result.stdout.contains("a quiet robot sleeps -> "), "\(result)")
        let report = try String(contentsOf: directory.url.appendingPathComponent("quickstart.html"), encoding: .utf8)
        #expect(report.components(separatedBy: "<svg").count - 1 >= 3)
    }

    @Test("the quickstart's student build hides the exercise's solution and its handout checks clean")
    func quickstartStudentBuild() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let notebook = Self.notebooks.appendingPathComponent("quickstart.md").path
        let run = try LessonCommand.run(["run", notebook, "--student", "--param", "epochs=1", "--no-cache"],
                                        in: directory.url)
        #expect(run.exited && run.status == 0, "\(run)")
        let report = try String(contentsOf: directory.url.appendingPathComponent("Output/quickstart.student.html"),
                                encoding: .utf8)
        #expect(report.contains("<strong>Exercise 1</strong>: sentences in training"))
        #expect(!report.contains("training sentences: 1600"))
        let check = try LessonCommand.run(["check", "Output/quickstart.student.md"], in: directory.url)
        #expect(check.status == 0 && check.stdout.contains("10 cells, no errors"), "\(check)")
    }
}
