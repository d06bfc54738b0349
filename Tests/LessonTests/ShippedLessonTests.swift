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
        #expect(result.stdout.contains("ptb-lstm.md: 43 cells, no errors"), "\(result)")
        #expect(result.stdout.contains("quickstart.md: 10 cells, no errors"), "\(result)")
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
