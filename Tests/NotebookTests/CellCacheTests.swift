import CellScript
import Figures
import Foundation
import Testing
import TestSupport
@testable import Notebook

func makeCell(index: Int = 2, label: String? = "train") -> Cell {
    var options = CellOptions()
    options.label = label
    options.error = .allow
    options.timeoutSeconds = 12.5
    options.unknown = [CellOptions.UnknownOption(key: "colour", value: "red", line: 9)]
    options.solution = true
    options.exercise = 3
    options.slide = true
    options.checks = [CellCheck(expression: "x == 1", line: 9, column: 12)]
    return Cell(source: "let x = 1\nprint(x)", options: options, firstLine: 10, fenceLine: 8, index: index,
                info: "swift title=\"Training\"")
}

let diagnostics = [
    CellDiagnostic(.runtime, "index 5 out of range", at: SourceLocation(line: 11, column: 3), notes: ["count is 3"]),
    CellDiagnostic(.interrupted, "time limit", at: nil),
]

private let statuses: [CellStatus] = [
    .ran, .failed(diagnostics), .expectedFailure(diagnostics), .missingExpectedError, .skipped, .notRun,
]

func makeOutcome(status: CellStatus = .failed(diagnostics), index: Int = 2,
                         label: String? = "train") -> CellOutcome {
    let chart = LineChart(title: "Perplexity", xLabel: "epoch", yLabel: "ppl",
                          series: [.init(name: "train", y: [900, 300.5, .infinity]), .init(name: "valid", y: [])],
                          logScale: true)
    let pieces: [OutputPiece] = [
        .text("1\n"), .figure(.lineChart(chart)),
        Heatmap(title: "h", rows: 2, columns: 2, values: [0, -1, .nan, 3], rowLabel: "unit")
            .map { OutputPiece.figure(.heatmap($0)) } ?? .text("no heatmap"),
        .text("é ✓\n"),
        .figure(.scatter(ScatterPlot(title: "map", xLabel: "pc 1", yLabel: "pc 2",
                                     points: [.init(x: 1, y: -2, label: "the"), .init(x: 0.5, y: 3e-8, label: "<unk>")]))),
    ]
    var outcome = CellOutcome(cell: makeCell(index: index, label: label), status: status, output: "1\né ✓\n",
                              pieces: pieces, displayedValue: "Out: 1",
                              renderedDiagnostics: ["nb.md:11:3: error: index 5 out of range\n  x[5]\n  ^"],
                              startedAt: Date(timeIntervalSince1970: 1_700_000_000.25), duration: 1.5)
    outcome.checks = [CheckResult(expression: "x == 1", line: 9, column: 12, passed: true),
                      CheckResult(expression: "x > \"<é>\"", line: 10, column: 12, passed: false, message: "is false")]
    return outcome
}

func makeEntry(status: CellStatus = .failed(diagnostics), index: Int = 2, label: String? = "train",
                       dataFiles: [DataFileDigest] = [], state: Data? = Data([0, 1, 2, 255])) -> CachedCell {
    CachedCell(outcome: makeOutcome(status: status, index: index, label: label), state: state,
               dataFiles: dataFiles, createdAt: Date(timeIntervalSince1970: 1_700_000_100))
}

let keyA = CellCacheKey(hex: String(repeating: "a", count: 64))
let keyB = CellCacheKey(hex: String(repeating: "b", count: 64))

/// The reason of an `.invalid` lookup, nil for a hit or a miss.
func invalidReason(_ lookup: CacheLookup) -> String? {
    if case .invalid(let reason) = lookup { return reason }
    return nil
}

func hit(_ lookup: CacheLookup) -> CachedCell? {
    if case .hit(let entry) = lookup { return entry }
    return nil
}

@Suite("CellCache")
struct CellCacheTests {
    @Test(arguments: statuses)
    func roundTripKeepsEverything(status: CellStatus) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cache = CellCache(folder: directory.url.appendingPathComponent("cache"))
        let entry = makeEntry(status: status)
        try cache.store(entry, for: keyA)
        let found = try #require(hit(cache.lookup(keyA)))
        // NaN is not equal to itself, so compare the heatmap's bits separately.
        #expect(found.outcome.cell == entry.outcome.cell)
        #expect(found.outcome.status == entry.outcome.status)
        #expect(found.outcome.output == entry.outcome.output)
        #expect(found.outcome.pieces.count == 5)
        #expect(found.outcome.pieces[1] == entry.outcome.pieces[1])
        if case .figure(.heatmap(let map)) = found.outcome.pieces[2] {
            #expect(map.values.map(\.bitPattern) == [0, -1, .nan, 3].map { (value: Double) in value.bitPattern })
            #expect(map.rowLabel == "unit")
        } else {
            Issue.record("the heatmap piece did not come back")
        }
        #expect(found.outcome.pieces[3] == .text("é ✓\n"))
        #expect(found.outcome.pieces[4] == entry.outcome.pieces[4], "the scatter plot, labels and all")
        #expect(found.outcome.displayedValue == entry.outcome.displayedValue)
        #expect(found.outcome.renderedDiagnostics == entry.outcome.renderedDiagnostics)
        #expect(found.outcome.startedAt == entry.outcome.startedAt)
        #expect(found.outcome.duration == entry.outcome.duration)
        #expect(found.state == entry.state)
        #expect(found.createdAt == entry.createdAt)
    }

    @Test func missingStateAndEmptyStateStayDistinct() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cache = CellCache(folder: directory.url)
        try cache.store(makeEntry(status: .ran, state: nil), for: keyA)
        try cache.store(makeEntry(status: .ran, state: Data()), for: keyB)
        #expect(try #require(hit(cache.lookup(keyA))).state == nil)
        #expect(try #require(hit(cache.lookup(keyB))).state == Data())
    }

    @Test func noEntryIsAMiss() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let lookup = CellCache(folder: directory.url.appendingPathComponent("never-made")).lookup(keyA)
        guard case .miss = lookup else {
            Issue.record("expected a miss, got \(lookup)")
            return
        }
    }

    @Test func storingAgainReplacesTheEntryAndLeavesNoTemporaryFiles() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cache = CellCache(folder: directory.url)
        try cache.store(makeEntry(status: .ran), for: keyA)
        try cache.store(makeEntry(status: .skipped), for: keyA)
        #expect(try #require(hit(cache.lookup(keyA))).outcome.status == .skipped)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
        #expect(names.sorted() == [".gitignore", "\(keyA.hex).cell"])
    }

    @Test func gitignoreGoesInTheLessonCacheFolder() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let folder = CellCache.folder(forNotebook: directory.url.appendingPathComponent("intro.lesson.md"))
        #expect(folder.lastPathComponent == "intro.lesson")
        #expect(folder.deletingLastPathComponent().lastPathComponent == ".lesson-cache")
        try CellCache(folder: folder).store(makeEntry(), for: keyA)
        let gitignore = directory.url.appendingPathComponent(".lesson-cache/.gitignore")
        #expect(try String(contentsOf: gitignore, encoding: .utf8) == "*\n")
    }
}

@Suite("CellCacheRelocation")
struct CellCacheRelocationTests {
    @Test func outcomeFollowsTheCellWhenProseAboveItGrew() throws {
        let newText = "# Title\n\nNew prose.\n\n```swift\nlet a = [1]\nprint(a[3])\n```\n"
        let oldCell = try #require(NotebookParser.parse(text: "```swift\nlet a = [1]\nprint(a[3])\n```\n").cells.first)
        let newCell = try #require(NotebookParser.parse(text: newText).cells.first)
        let diagnostic = CellDiagnostic(.runtime, "index 3 out of range", at: SourceLocation(line: 3, column: 7))
        let stored = CachedCell(
            outcome: CellOutcome(cell: oldCell, status: .failed([diagnostic]), renderedDiagnostics: ["old"]),
            state: nil, createdAt: Date(timeIntervalSince1970: 0))
        let outcome = stored.outcome(for: newCell, file: "nb.md", source: newText)
        #expect(outcome.cell == newCell)
        #expect(outcome.status.diagnostics.first?.location == SourceLocation(line: 7, column: 7))
        #expect(outcome.renderedDiagnostics == ["nb.md:7:7: error: index 3 out of range\nprint(a[3])\n      ^"])
    }

    @Test func theWhereOfASyntaxNoteMovesWithTheCell() throws {
        let oldText = "```swift\nlet a = [1].map { $0\n```\n"
        let newText = "# Title\n\nProse.\n\n" + oldText
        let oldDocument = NotebookParser.parse(text: oldText)
        let run = NotebookExecutor(document: oldDocument, text: oldText).run()
        let note = try #require(run.outcomes.first?.status.diagnostics.first?.notes.first)
        #expect(note.hasSuffix("(at 2:17)"), "\(note)")
        let newCell = try #require(NotebookParser.parse(text: newText).cells.first)
        let moved = try #require(run.outcomes.first).relocated(to: newCell, file: "nb.md", source: newText)
        #expect(moved.status.diagnostics.first?.notes.first?.hasSuffix("(at 6:17)") == true, "\(moved.status)")
        #expect(moved.renderedDiagnostics.first?.contains("note: to match this opening '{' (at 6:17)") == true,
                "\(moved.renderedDiagnostics)")
    }
}
