import CellScript
import Foundation
import ModelAPI
import Testing
import TestSupport
@testable import Notebook

/// Minimal re-runs: after an edit, only the cells that read (or write) what changed run; the
/// rest come from the cache, and everything a reader sees is what a run from scratch gives.
@Suite("Minimal re-runs")
struct MinimalRunTests {
    static let cells = [
        "var a = 1\nlet b = 2",
        "var total = a + b\nprint(\"total\", total)",
        "let squares = (0..<b).map { $0 * $0 }\nsquares",
        "let scaled = 3 * a\nprint(scaled)",
        "a += 1\na",
        "let label = \"t\" + String(total)\nlabel",
        "var log: [Int] = []\nlog.append(b)\nlog.count",
        "print(scaled * total, squares.count, label, log)",
    ]

    static func lesson(_ cells: [String]) -> String {
        "# Minimal\n\n" + cells.map { "```swift\n\($0)\n```\n" }.joined(separator: "\nSome prose.\n\n")
    }

    static func run(_ text: String, cache folder: URL?, libraries: [any BuiltinLibrary] = []) -> NotebookRun {
        let document = NotebookParser.parse(text: text, file: "lesson.md")
        let settings = folder.map { CacheSettings(cache: CellCache(folder: $0), engineVersion: "test", seed: 1, stateThreshold: 10) }
        return NotebookExecutor(document: document, text: text, libraries: libraries).run(cache: settings)
    }

    /// What a reader sees of each cell.
    static func seen(_ run: NotebookRun) -> [String] {
        run.outcomes.map { outcome in
            "\(outcome.status) | \(outcome.output) | \(outcome.displayedValue ?? "-") | \(outcome.renderedDiagnostics)"
        }
    }

    static func ran(_ run: NotebookRun) -> [Int] {
        run.outcomes.filter { !$0.fromCache && $0.startedAt != nil }.map(\.cell.index)
    }

    /// Runs `cells` with a fresh cache, then `edited` with that cache.
    static func editedRun(_ cells: [String], _ edited: [String], libraries: [any BuiltinLibrary] = []) throws -> NotebookRun {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let folder = directory.url.appendingPathComponent("cache")
        let first = run(lesson(cells), cache: folder, libraries: libraries)
        #expect(first.succeeded)
        return run(lesson(edited), cache: folder, libraries: libraries)
    }

    /// Cells with objects changed in place through another name and the random generator.
    static let libraryCells = [
        "let w = Variable([1.0, 2.0])\nlet alias = w",
        "let noise = randomUniform(shape: [2], seed: 3)\nprint(noise)",
        "let r = randomUniform(shape: [2])\nprint(r)",
        "w.assign([3.0, 4.0])",
        "print(reduceSum(alias))",
        "let z = zeros(shape: [2])\nprint(z)",
        "let r2 = randomUniform(shape: [2])\nprint(r2)",
        "print(reduceSum(w), r2)",
    ]

    /// The cells with prose after them that quotes values (`{swift} ...`).
    static func quoting(_ cells: [String], _ quotes: [Int: String]) -> String {
        "# Minimal\n\n" + cells.enumerated().map { index, cell in
            "```swift\n\(cell)\n```\n" + (quotes[index + 1].map { "\nIt says `{swift} \($0)`.\n" } ?? "")
        }.joined(separator: "\nSome prose.\n\n")
    }

    /// Values the prose quotes after an edit are evaluated on the session as it stands, which
    /// gives what a run from scratch gives when no later cell changed what they read; when one
    /// did, the run falls back and says which.
    @Test func quotedValuesAfterAnEditAreRightOrTheRunFallsBack() throws {
        let quotes = [2: "total * 10", 6: "label + \"!\"", 8: "scaled"]
        var edited = Self.cells
        edited[2] = "let squares = (0..<(b + 3)).map { $0 * $0 }\nsquares"
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let folder = directory.url.appendingPathComponent("cache")
        #expect(Self.run(Self.quoting(Self.cells, quotes), cache: folder).succeeded)
        let minimal = Self.run(Self.quoting(edited, quotes), cache: folder)
        let scratch = Self.run(Self.quoting(edited, quotes), cache: nil)
        #expect(Self.ran(minimal) == [3, 8], "\(minimal.warnings)")
        #expect(Self.seen(minimal) == Self.seen(scratch))
        #expect(minimal.inlineValues == scratch.inlineValues)
        #expect(minimal.inlineValues.values.compactMap { if case .text(let t) = $0 { t } else { nil } }.sorted() == ["30", "3", "t3!"].sorted())
        // The next run takes everything, the quoted values included, from the cache.
        let again = Self.run(Self.quoting(edited, quotes), cache: folder)
        #expect(again.outcomes.allSatisfy { $0.fromCache } && again.inlineValues == scratch.inlineValues, "\(again.warnings)")

        // `a` is quoted after cell 3, and cell 5 changes it later: the final state's `a` is
        // not the one the prose saw, so the run falls back.
        let stale = [3: "a"]
        let second = try TemporaryDirectory()
        defer { second.remove() }
        let other = second.url.appendingPathComponent("cache")
        #expect(Self.run(Self.quoting(Self.cells, stale), cache: other).succeeded)
        let fallback = Self.run(Self.quoting(edited, stale), cache: other)
        #expect(fallback.warnings.contains { $0.contains("the prose after cell 3 quotes a, which cell 5 changes later") },
                "\(fallback.warnings)")
        #expect(fallback.inlineValues == Self.run(Self.quoting(edited, stale), cache: nil).inlineValues)
    }

    /// A run that takes every cell from the cache keeps the manifest's word on where the final
    /// state is, so the next edit still runs alone.
    @Test func aRunFromTheCacheKeepsWhereTheFinalStateIs() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let folder = directory.url.appendingPathComponent("cache")
        #expect(Self.run(Self.lesson(Self.cells), cache: folder).succeeded)
        // An edit that leaves the state as it was: the last cell's new entry holds none, and the
        // manifest names the one that does.
        var printing = Self.cells
        printing[7] = "print(scaled * total + 1, squares.count, label, log)"
        #expect(Self.ran(Self.run(Self.lesson(printing), cache: folder)) == [8])
        let everything = Self.run(Self.lesson(printing), cache: folder)
        #expect(everything.outcomes.allSatisfy { $0.fromCache })
        var edited = Self.cells
        edited[7] = "print(scaled * total + 2, squares.count, label, log)"
        let next = Self.run(Self.lesson(edited), cache: folder)
        #expect(Self.ran(next) == [8], "\(next.warnings)")
        #expect(!next.warnings.contains { $0.contains("final state was not saved") }, "\(next.warnings)")
    }

    /// An edit that stops a cell from defining a name falls back: the final state still has
    /// the name, which a run from the top would not.
    @Test func anEditThatNoLongerDefinesANameFallsBack() throws {
        var defining = Self.cells
        defining[5] = "let label = \"t\" + String(total)\nlet extra = 5\nlabel"
        var readsIt = defining
        readsIt[7] = "print(scaled * total, squares.count, label, log, extra)"
        var edited = readsIt
        edited[5] = "let label = \"t\" + String(total)\nlabel"
        let run = try Self.editedRun(readsIt, edited)
        #expect(run.warnings.contains { $0.contains("cell 6 no longer writes extra, which its last version wrote") }, "\(run.warnings)")
        #expect(Self.seen(run) == Self.seen(Self.run(Self.lesson(edited), cache: nil)), "cell 8 fails as it does from the top")
        // Keeping the name but changing its value still runs the cell and its readers alone.
        var changed = readsIt
        changed[5] = "let label = \"t\" + String(total)\nlet extra = 6\nlabel"
        let alone = try Self.editedRun(readsIt, changed)
        #expect(Self.ran(alone) == [6, 8], "\(alone.warnings)")
        #expect(Self.seen(alone) == Self.seen(Self.run(Self.lesson(changed), cache: nil)))
    }

    @Test func editingTheLastCellRunsOnlyIt() throws {
        var edited = Self.cells
        edited[7] = "print(scaled * total + 1, label)"
        let run = try Self.editedRun(Self.cells, edited)
        #expect(Self.ran(run) == [8], "\(run.warnings)")
        #expect(Self.seen(run) == Self.seen(Self.run(Self.lesson(edited), cache: nil)))
    }

    @Test func editingACellRunsItAndWhatReadsItsNames() throws {
        var edited = Self.cells
        edited[2] = "let squares = (0..<(b + 2)).map { $0 * $0 }\nsquares"
        let run = try Self.editedRun(Self.cells, edited)
        #expect(Self.ran(run) == [3, 8], "\(run.warnings)")
        #expect(Self.seen(run) == Self.seen(Self.run(Self.lesson(edited), cache: nil)))
        #expect(run.warnings.isEmpty)
    }

    @Test func aCellThatReadsANameALaterCellChangesFallsBackAndSaysWhy() throws {
        var edited = Self.cells
        edited[1] = "var total = a + b + 10\nprint(\"total\", total)"
        let run = try Self.editedRun(Self.cells, edited)
        #expect(run.warnings.contains { $0.contains("cell 2 reads a, which cell 5 changes later") }, "\(run.warnings)")
        #expect(Self.ran(run) == [1, 2, 3, 4, 5, 6, 7, 8],
                "today's rule: from the latest saved state before the edit (none: the cells are quick)")
        #expect(Self.seen(run) == Self.seen(Self.run(Self.lesson(edited), cache: nil)))
    }

    @Test func objectsAndTheGeneratorGiveWhatARunFromScratchGives() throws {
        var fewer = 0
        for seed in 1...20 {
            var generator = SplitMix64(seed: UInt64(seed) &* 7919)
            var edited = Self.libraryCells
            let index = Int.random(in: 0..<edited.count, using: &generator)
            if Bool.random(using: &generator), let digit = edited[index].lastIndex(where: \.isNumber) {
                edited[index].replaceSubrange(digit...digit, with: String(Int.random(in: 1...9, using: &generator)))
            } else {
                edited[index] += "\nprint(\"edited \(seed)\")"
            }
            let minimal = try Self.editedRun(Self.libraryCells, edited, libraries: [ModelAPI()])
            let scratch = Self.run(Self.lesson(edited), cache: nil, libraries: [ModelAPI()])
            #expect(Self.seen(minimal) == Self.seen(scratch), "seed \(seed): \(edited)\n\(minimal.warnings)")
            if Self.ran(minimal).count < edited.count - index { fewer += 1 }
        }
        // Cells that draw from the generator read it and a later one changes it, so their edits
        // fall back; the others run alone or with their readers (10 of these 20).
        #expect(fewer >= 8, "only \(fewer) of 20 edits ran fewer cells than today's rule")
    }

    /// An edit that leaves the session as it found it (a cell that only prints) stores no new
    /// state: the manifest names the entry that holds it, and later edits, a return to the
    /// original and an edit that does change the state all still run only the last cell.
    @Test func anEditThatChangesNoStateReusesTheSavedOne() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let folder = directory.url.appendingPathComponent("cache")
        let cache = CellCache(folder: folder)
        #expect(Self.run(Self.lesson(Self.cells), cache: folder).succeeded)
        let original = try #require(cache.loadManifest())
        #expect(original.finalState == nil)
        let originalLast = try #require(original.cells.last?.key)
        func lastHasState() -> Bool? {
            guard let key = cache.loadManifest()?.cells.last?.key,
                  case .hit(_, let hasState) = cache.lookupWithoutState(key) else { return nil }
            return hasState
        }
        func check(_ cells: [String], reused: CellCacheKey?, _ note: Comment) {
            let run = Self.run(Self.lesson(cells), cache: folder)
            #expect(Self.ran(run) == [8], "\(note): \(run.warnings)")
            #expect(Self.seen(run) == Self.seen(Self.run(Self.lesson(cells), cache: nil)), note)
            #expect(cache.loadManifest()?.finalState == reused, note)
            #expect(lastHasState() == (reused == nil), note)
        }
        var edited = Self.cells
        edited[7] = "print(scaled * total + 1, label)"
        check(edited, reused: originalLast, "an edit that only prints")
        edited[7] = "print(label)"
        check(edited, reused: originalLast, "a second such edit")
        check(Self.cells, reused: nil, "back to the original: its own entry holds the state")
        edited[7] = "let extra = scaled + 1\nprint(extra)"
        check(edited, reused: nil, "an edit that defines a name saves the new state")
        edited[7] = "let extra = scaled + 1\nprint(extra, label)"
        let manifest = try #require(cache.loadManifest())
        check(edited, reused: manifest.cells.last?.key, "the same state again")

        // The entry the manifest names is gone: the run falls back and says why.
        let holder = try #require(cache.loadManifest()?.finalState)
        try FileManager.default.removeItem(at: cache.entryURL(for: holder))
        edited[7] = "print(extra)"
        let run = Self.run(Self.lesson(edited), cache: folder)
        #expect(run.warnings.contains { $0.contains("the entry holding the last run's final state is gone or stale") },
                "\(run.warnings)")
        #expect(Self.seen(run) == Self.seen(Self.run(Self.lesson(edited), cache: nil)))
    }

    @Test func changedParamsFallBackAndSayWhy() throws {
        let text = "---\nparams:\n  n: 2\n---\n\n```swift\nlet doubled = n * 2\n```\n\n```swift\ndoubled + 1\n```\n"
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let folder = directory.url.appendingPathComponent("cache")
        let document = NotebookParser.parse(text: text, file: "lesson.md")
        func run(_ params: [String: String]) -> NotebookRun {
            NotebookExecutor(document: document, text: text).run(
                params: params, cache: CacheSettings(cache: CellCache(folder: folder), engineVersion: "test", seed: 1))
        }
        _ = run([:])
        let changed = run(["n": "5"])
        #expect(changed.warnings.contains { $0.contains("the params, the seed or the engine changed") }, "\(changed.warnings)")
        #expect(changed.outcomes.map(\.displayedValue) == [nil, "11"])
    }

    /// A manifest that is garbage, or whose entries were damaged, is never trusted: the run falls
    /// back (saying why when entries are bad) and shows what a run from scratch shows.
    @Test func aDamagedManifestOrEntryIsNotTrusted() throws {
        var edited = Self.cells
        edited[7] = "print(label)"
        for damage in ["garbage", "no header", "entry"] {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let folder = directory.url.appendingPathComponent("cache")
            _ = Self.run(Self.lesson(Self.cells), cache: folder)
            let manifest = folder.appendingPathComponent("last-run.manifest")
            switch damage {
            case "garbage":
                try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(to: manifest)
            case "no header":
                let text = try String(contentsOf: manifest, encoding: .utf8)
                try Data(text.split(separator: "\n").dropFirst().joined(separator: "\n").utf8).write(to: manifest)
            default:
                let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
                for file in files where file.pathExtension == "cell" { try Data([1, 2, 3]).write(to: file) }
            }
            let run = Self.run(Self.lesson(edited), cache: folder)
            #expect(Self.seen(run) == Self.seen(Self.run(Self.lesson(edited), cache: nil)), "\(damage)")
            #expect(!Self.ran(run).isEmpty)
            if damage == "entry" {
                #expect(run.warnings.contains { $0.contains("gone or stale") || $0.contains("running it again") }, "\(run.warnings)")
            }
        }
    }

    @Test func aLessonThatCannotBeSavedFallsBack() throws {
        var cells = Self.cells
        cells[3] = "func scale(_ x: Int) -> Int { x * a }\nlet scaled = scale(3)"
        var edited = cells
        edited[7] = "print(scaled)"
        let run = try Self.editedRun(cells, edited)
        #expect(run.warnings.contains { $0.contains("the last run's final state was not saved") }, "\(run.warnings)")
        #expect(Self.seen(run) == Self.seen(Self.run(Self.lesson(edited), cache: nil)))
    }

    /// Random edits of random cells: the minimal run (or its fallback) shows exactly what a run
    /// from scratch shows, and most edits run fewer cells than today's rule would.
    @Test func randomEditsGiveWhatARunFromScratchGives() throws {
        var fewer = 0
        for seed in 1...30 {
            var generator = SplitMix64(seed: UInt64(seed))
            var edited = Self.cells
            var firstEdited = edited.count
            for _ in 0..<Int.random(in: 1...2, using: &generator) {
                let index = Int.random(in: 0..<edited.count, using: &generator)
                firstEdited = min(firstEdited, index)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0:
                    // Another number where the cell has one.
                    if let digit = edited[index].firstIndex(where: \.isNumber) {
                        edited[index].replaceSubrange(digit...digit, with: String(Int.random(in: 2...9, using: &generator)))
                    }
                case 1:
                    edited[index] += "\nprint(\"edited \(seed)\")"
                default:
                    edited[index] += "\nlet extra\(index) = \(Int.random(in: 0...9, using: &generator))"
                }
            }
            let minimal = try Self.editedRun(Self.cells, edited)
            let scratch = Self.run(Self.lesson(edited), cache: nil)
            #expect(Self.seen(minimal) == Self.seen(scratch), "seed \(seed): \(edited)\n\(minimal.warnings)")
            #expect(minimal.succeeded == scratch.succeeded)
            if Self.ran(minimal).count < edited.count - firstEdited { fewer += 1 }
        }
        #expect(fewer >= 10, "only \(fewer) of 30 edits ran fewer cells than today's rule")
    }
}
