import CellScript
import Foundation
import ModelAPI
import Testing
import TestSupport
@testable import Notebook

/// Autodiff histories in a whole run: kept while a cell to come takes gradients, dropped after
/// the last one (freeing the graphs' intermediate tensors), and never silently missing from a
/// state the cache restores.
@Suite("Autodiff histories in a run")
struct HistoryReleaseTests {
    static let cells = [
        "let v = Variable([1.0, 2.0])\nlet y = v * v",
        "let big = y * 3.0\nprint(big)",
        "let g = gradients(of: big, wrt: [v])\nprint(g[0])",
        "let later = y + 1.0\nprint(later)",
    ]

    static func executor(_ cells: [String]) -> (NotebookExecutor, String) {
        let text = MinimalRunTests.lesson(cells)
        let document = NotebookParser.parse(text: text, file: "lesson.md")
        return (NotebookExecutor(document: document, text: text, libraries: [ModelAPI()]), text)
    }

    static func refused(_ executor: NotebookExecutor, _ code: String) -> Bool {
        let cell = Cell(source: code, options: CellOptions(), firstLine: 1, fenceLine: 1, index: 99, info: "swift")
        guard case .failed(let diagnostics) = executor.runCell(cell).status else { return false }
        return diagnostics.contains { $0.message.contains("no longer recorded") }
    }

    @Test func historiesGoAfterTheLastCellThatTakesGradientsAndStayBefore() throws {
        let (executor, _) = Self.executor(Self.cells)
        let run = executor.run()
        #expect(run.succeeded)
        #expect(run.outcomes[2].output.contains("array([ 6., 12.], dtype=float32)"), "the graph was there for cell 3")
        #expect(Self.refused(executor, "gradients(of: later, wrt: [v])"), "dropped after the last reader")

        let (keeping, _) = Self.executor(Self.cells + ["print(gradients(of: later, wrt: [v])[0])"])
        let kept = keeping.run()
        #expect(kept.outcomes.last?.output.contains("array([2., 4.], dtype=float32)") == true, "\(kept.outcomes.last?.renderedDiagnostics ?? [])")

        let (off, _) = Self.executor(Self.cells)
        off.releasesHistories = false
        #expect(off.run().succeeded)
        #expect(!Self.refused(off, "gradients(of: later, wrt: [v])"), "with releasing off the graphs stay")
    }

    @Test func aCheckOrAnInlineValueThatTakesGradientsKeepsThemToo() throws {
        var cells = Self.cells
        cells[3] = "//| check: gradients(of: later, wrt: [v]).count == 1\nlet later = y + 1.0"
        let (executor, _) = Self.executor(cells)
        let run = executor.run()
        #expect(run.outcomes[3].checks.map(\.passed) == [true], "\(run.outcomes[3].checks)")

        let text = MinimalRunTests.lesson(Self.cells) + "\nThe gradient: `{swift} gradients(of: later, wrt: [v]).count`.\n"
        let document = NotebookParser.parse(text: text, file: "lesson.md")
        let inline = NotebookExecutor(document: document, text: text, libraries: [ModelAPI()]).run()
        #expect(inline.succeeded, "\(inline.inlineValues)")
    }

    /// No state is saved before the last cell that takes gradients (it would come back without
    /// the graphs), so an edit there reruns from the top and gets the real gradient; an edit of
    /// a later cell still runs alone.
    @Test func theCacheNeverResumesWhereAGradientWouldNeedALostHistory() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let folder = directory.url.appendingPathComponent("cache")
        func run(_ cells: [String]) -> NotebookRun {
            let text = MinimalRunTests.lesson(cells)
            let document = NotebookParser.parse(text: text, file: "lesson.md")
            let settings = CacheSettings(cache: CellCache(folder: folder), engineVersion: "test", seed: 1, stateThreshold: 0)
            return NotebookExecutor(document: document, text: text, libraries: [ModelAPI()]).run(cache: settings)
        }
        #expect(run(Self.cells).succeeded)
        let keys = try #require(CellCache(folder: folder).loadManifest()).cells.map(\.key)
        let states = keys.map { key -> Bool in
            if case .hit(_, let hasState) = CellCache(folder: folder).lookupWithoutState(key) { return hasState }
            return false
        }
        #expect(states == [false, false, true, true], "states only from the last gradient cell on")

        var edited = Self.cells
        edited[2] = "let g = gradients(of: big, wrt: [v])\nprint(g[0], \"edited\")"
        let again = run(edited)
        #expect(again.outcomes[2].output.contains("array([ 6., 12.], dtype=float32) edited"), "\(again.outcomes[2].renderedDiagnostics) \(again.warnings)")
        #expect(again.outcomes.allSatisfy { !$0.fromCache }, "nothing before it has a state to resume from")

        edited[3] = "let later = y + 2.0\nprint(later)"
        let last = run(edited)
        #expect(last.outcomes.map(\.fromCache) == [true, true, true, false], "\(last.warnings)")
        #expect(last.outcomes[3].output.contains("array([3., 6.], dtype=float32)"))
    }

    /// A student's answer counts as a cell of the run: one that takes gradients of a value the
    /// lesson computed earlier finds its graph kept, though the lesson's own solution takes none.
    @Test func aGradedAnswerThatTakesGradientsKeepsTheHistoriesItNeeds() throws {
        let lesson = MinimalRunTests.lesson([
            "let v = Variable([1.0, 2.0])\nlet y = v * v",
            "//| solution: true\n//| check: answer.count == 1\nlet answer = [y]",
            "print(y)",
        ])
        let student = "```swift\n//| exercise: 1\nlet answer = gradients(of: y, wrt: [v])\n```\n"
        let document = NotebookParser.parse(text: lesson, file: "lesson.md")
        let sheet = try AnswerSheet(student: NotebookParser.parse(text: student, file: "student.md"), text: student,
                                    exerciseCount: document.exercises.count)
        let plan = GradingPlan(lesson: document, lessonText: lesson, answers: sheet)
        let run = plan.executor(libraries: [ModelAPI()]).run()
        #expect(plan.grades(run.outcomes).map(\.result) == [.passed], "\(run.outcomes[1].renderedDiagnostics)")
    }
}
