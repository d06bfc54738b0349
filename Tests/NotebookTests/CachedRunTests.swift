import Foundation
import Testing
import TestSupport
import CellScript
@testable import Notebook

/// `NotebookExecutor.run(cache:)`: resuming from the cell cache on real files.
@Suite("Running from the cell cache")
struct CachedRunTests {
    static let lesson = """
        ---
        params:
          n: 2
        ---

        ```swift
        var x = 10
        print("first")
        ```

        ```swift
        x += n
        x
        ```

        ```swift
        x * 3
        ```
        """

    /// Runs `text` with a cache in `folder`; every cell stores its state (threshold 0).
    static func run(_ text: String, cache folder: URL, params: [String: String] = [:]) -> NotebookRun {
        let document = NotebookParser.parse(text: text, file: "lesson.md")
        let settings = CacheSettings(cache: CellCache(folder: folder), engineVersion: "test", seed: 1, stateThreshold: 0)
        return NotebookExecutor(document: document, text: text).run(params: params, cache: settings)
    }

    @Test func aSecondRunTakesEveryCellFromTheCache() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let folder = directory.url.appendingPathComponent("cache")
        let first = Self.run(Self.lesson, cache: folder)
        #expect(first.succeeded && first.outcomes.allSatisfy { !$0.fromCache })
        let second = Self.run(Self.lesson, cache: folder)
        #expect(second.succeeded, "\(second.warnings)")
        #expect(second.outcomes.allSatisfy { $0.fromCache })
        #expect(second.outcomes.map(\.displayedValue) == first.outcomes.map(\.displayedValue))
        #expect(second.outcomes[0].output == "first\n")
        let original = try #require(first.outcomes[0].startedAt)
        let remembered = try #require(second.outcomes[0].startedAt)
        #expect(abs(remembered.timeIntervalSince(original)) < 0.001, "when it originally ran")
    }

    @Test func eachCellsDataFlowIsKeptWithItsEntry() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let folder = directory.url.appendingPathComponent("cache")
        let first = Self.run(Self.lesson, cache: folder)
        #expect(first.outcomes.map(\.dataFlow) == [
            CellDataFlow(reads: ["print"], writes: ["x"]),
            CellDataFlow(reads: ["x", "n"], writes: ["x"]),
            CellDataFlow(reads: ["x"], writes: []),
        ])
        let second = Self.run(Self.lesson, cache: folder)
        #expect(second.outcomes.allSatisfy { $0.fromCache })
        #expect(second.outcomes.map(\.dataFlow) == first.outcomes.map(\.dataFlow))
    }

    @Test func anEditedCellRunsFromTheRestoredStateOfTheCellsBefore() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let folder = directory.url.appendingPathComponent("cache")
        _ = Self.run(Self.lesson, cache: folder)
        let edited = Self.lesson.replacingOccurrences(of: "x * 3", with: "x * 4")
        let run = Self.run(edited, cache: folder)
        #expect(run.outcomes.map(\.fromCache) == [true, true, false])
        #expect(run.outcomes[2].displayedValue == "48", "x = 12 came back from the cache")
    }

    @Test func aChangedParamMissesEveryCell() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let folder = directory.url.appendingPathComponent("cache")
        _ = Self.run(Self.lesson, cache: folder)
        let run = Self.run(Self.lesson, cache: folder, params: ["n": "5"])
        #expect(run.outcomes.allSatisfy { !$0.fromCache })
        #expect(run.outcomes[1].displayedValue == "15")
    }

    @Test func aCorruptEntryIsRecomputedWithAWarning() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let folder = directory.url.appendingPathComponent("cache")
        _ = Self.run(Self.lesson, cache: folder)
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "cell" }
        #expect(files.count == 3)
        for file in files {
            var bytes = try Data(contentsOf: file)
            bytes[bytes.count / 2] ^= 0xFF
            try bytes.write(to: file)
        }
        let run = Self.run(Self.lesson, cache: folder)
        #expect(run.succeeded)
        #expect(run.outcomes.allSatisfy { !$0.fromCache })
        #expect(run.warnings.contains { $0.hasPrefix("cache: cell 1:") }, "\(run.warnings)")
        #expect(Self.run(Self.lesson, cache: folder).outcomes.allSatisfy { $0.fromCache }, "rewritten")
    }

    @Test func anUnwritableCacheMeansRunningWithoutIt() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let blocker = try directory.write(Data("not a folder".utf8), to: "cache")
        let run = Self.run(Self.lesson, cache: blocker.appendingPathComponent("inner"))
        #expect(run.succeeded)
        #expect(run.outcomes[2].displayedValue == "36")
        #expect(run.warnings.contains { $0.contains("running without the cache") }, "\(run.warnings)")
    }

    @Test func aStateThatCannotBeSavedResumesBeforeIt() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let folder = directory.url.appendingPathComponent("cache")
        let text = "```swift\nvar x = 1\n```\n\n```swift\nfunc twice(_ v: Int) -> Int { v * 2 }\n```\n\n```swift\ntwice(x)\n```\n"
        let first = Self.run(text, cache: folder)
        #expect(first.succeeded)
        #expect(first.warnings.contains { $0.contains("cannot be saved") }, "\(first.warnings)")
        #expect(Self.run(text, cache: folder).outcomes.allSatisfy { $0.fromCache }, "nothing to run: no state needed")
        let edited = text.replacingOccurrences(of: "twice(x)", with: "twice(x) + 1")
        let second = Self.run(edited, cache: folder)
        #expect(second.outcomes.map(\.fromCache) == [true, false, false])
        #expect(second.outcomes[2].displayedValue == "3")
    }

    @Test func steppingTakesCellsOnTheNotebooksPathFromTheCache() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let folder = directory.url.appendingPathComponent("cache")
        _ = Self.run(Self.lesson, cache: folder)
        let document = NotebookParser.parse(text: Self.lesson, file: "lesson.md")
        func stepper() -> NotebookStepper {
            NotebookStepper(document: document, executor: NotebookExecutor(document: document, text: Self.lesson),
                            cache: CacheSettings(cache: CellCache(folder: folder), engineVersion: "test", seed: 1,
                                                 stateThreshold: 0))
        }
        let cached = stepper()
        #expect(cached.runCurrent()?.fromCache == true)
        #expect(cached.runCurrent()?.displayedValue == "12")
        #expect(cached.displayValue(of: "x") == "12", "the state came back with the outcome")
        #expect(cached.back())
        #expect(cached.displayValue(of: "x") == "10")

        // Off the notebook's path (a cell skipped by hand) nothing comes from the cache.
        let offPath = stepper()
        offPath.skip()
        #expect(offPath.runCurrent()?.fromCache == false)
        #expect(offPath.displayValue(of: "x") == nil)
    }
}

