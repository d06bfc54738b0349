import CellScript
import Foundation
import ModelAPI
import Testing
import TestSupport
@testable import Notebook

/// The cache keeps the large arrays of its states apart, once each: states that hold the same
/// tensor share one blob, a blob that is missing, short or corrupt is never used, and pruning
/// or clearing removes what no state needs.
@Suite("Cache blobs")
struct CacheBlobTests {
    /// A 512 KB tensor made in cell 1 and held by every later state; cell 3 makes another.
    static let cells = [
        "let big = randomUniform(shape: [128, 1024], seed: 5)\nprint(reduceSum(big).scalar > 0)",
        "let small = big[0..<2, 0..<2]\nprint(small.shape)",
        "let other = big * 2.0\nprint(other.shape)",
        "print(reduceSum(other - big - big).scalar)",
    ]

    static func run(_ cells: [String], cache folder: URL) -> NotebookRun {
        let text = MinimalRunTests.lesson(cells)
        let document = NotebookParser.parse(text: text, file: "lesson.md")
        let settings = CacheSettings(cache: CellCache(folder: folder), engineVersion: "test", seed: 1, stateThreshold: 0)
        return NotebookExecutor(document: document, text: text, libraries: [ModelAPI()]).run(cache: settings)
    }

    static func blobFiles(_ folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("blobs").path)) ?? []).sorted()
    }

    @Test func statesHoldingTheSameTensorShareOneBlob() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let folder = directory.url.appendingPathComponent("cache")
        #expect(Self.run(Self.cells, cache: folder).succeeded)
        let blobs = Self.blobFiles(folder)
        #expect(blobs.count == 2, "big and other, once each although four states hold big: \(blobs)")
        #expect(blobs.allSatisfy { $0.hasSuffix("-\(128 * 1024 * 4).blob") })
        let info = CellCache(folder: folder).info()
        #expect(info.blobCount == 2 && info.blobBytes > 0 && info.blobBytes < 2 * 128 * 1024 * 4,
                "uniform floats in byte planes deflate a little: \(info.blobBytes)")
        #expect(info.entries.allSatisfy { $0.bytes < 64 << 10 }, "the entries hold ids, not the tensors")
        #expect(info.totalBytes < 3 * 128 * 1024 * 4)

        // An edit of the last cell resumes from the state before it, its tensors read from the blobs.
        var edited = Self.cells
        edited[3] = "print(reduceSum(other - big).scalar == reduceSum(big).scalar)"
        let again = Self.run(edited, cache: folder)
        #expect(again.outcomes.map(\.fromCache) == [true, true, true, false], "\(again.warnings)")
        #expect(again.outcomes[3].output == "true\n")
    }

    @Test(arguments: ["missing", "short", "corrupt", "link"])
    func aBadBlobIsNeverUsed(damage: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let folder = directory.url.appendingPathComponent("cache")
        let first = Self.run(Self.cells, cache: folder)
        #expect(first.succeeded)
        let blobFolder = folder.appendingPathComponent("blobs")
        for name in Self.blobFiles(folder) {
            let url = blobFolder.appendingPathComponent(name)
            switch damage {
            case "missing": try FileManager.default.removeItem(at: url)
            case "short": try Data((try Data(contentsOf: url)).dropLast(4)).write(to: url)
            case "corrupt":
                var bytes = try Data(contentsOf: url)
                bytes[1000] ^= 0x40
                try bytes.write(to: url)
            default:
                let elsewhere = directory.url.appendingPathComponent("elsewhere-\(name)")
                try FileManager.default.moveItem(at: url, to: elsewhere)
                try FileManager.default.createSymbolicLink(at: url, withDestinationURL: elsewhere)
            }
        }
        var edited = Self.cells
        edited[3] = "print(reduceSum(other).scalar > 0)"
        let again = Self.run(edited, cache: folder)
        #expect(again.warnings.contains { $0.contains("stored tensor data") }, "\(damage): \(again.warnings)")
        let scratch = MinimalRunTests.seen(Self.run(edited, cache: directory.url.appendingPathComponent("fresh")))
        #expect(MinimalRunTests.seen(again) == scratch, "\(damage)")
        // A damaged blob is deleted when found and written again by a state that holds its
        // array: the runs after see what a run from scratch sees and soon resume cleanly.
        var clean = false
        for round in 2...4 where !clean {
            edited[3] = "print(reduceSum(other).scalar > \(round))"
            let later = Self.run(edited, cache: folder)
            let fresh = Self.run(edited, cache: directory.url.appendingPathComponent("fresh-\(round)"))
            #expect(MinimalRunTests.seen(later) == MinimalRunTests.seen(fresh), "\(damage), round \(round)")
            clean = later.warnings.isEmpty && later.outcomes.map(\.fromCache) == [true, true, true, false]
        }
        #expect(clean, "\(damage): the cache heals")
    }

    @Test func pruneAndClearRemoveBlobsNoStateNeeds() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let folder = directory.url.appendingPathComponent("cache")
        #expect(Self.run(Self.cells, cache: folder).succeeded)
        var edited = Self.cells
        edited[0] = "let big = randomUniform(shape: [128, 1024], seed: 6)\nprint(reduceSum(big).scalar > 0)"
        #expect(Self.run(edited, cache: folder).succeeded)
        #expect(Self.blobFiles(folder).count == 4, "two runs, two tensors each")
        let cache = CellCache(folder: folder)
        let stray = folder.appendingPathComponent("blobs/notes.txt")
        try Data("mine".utf8).write(to: stray)
        _ = try cache.prune()
        #expect(Self.blobFiles(folder).count == 3, "the last run's two, and a file the cache did not write")
        let served = Self.run(edited, cache: folder)
        #expect(served.outcomes.allSatisfy { $0.fromCache })
        try cache.clear()
        #expect(Self.blobFiles(folder) == ["notes.txt"])
    }

    /// A file under a blob's name with other bytes that fail its checksum (a torn write) is
    /// replaced; the state saved with it restores.
    @Test func aDamagedBlobUnderTheSameNameIsReplacedWhenStoredAgain() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let folder = directory.url.appendingPathComponent("cache")
        #expect(Self.run(Self.cells, cache: folder).succeeded)
        let blobFolder = folder.appendingPathComponent("blobs")
        for name in Self.blobFiles(folder) {
            try Data(repeating: 7, count: 128 * 1024 * 4).write(to: blobFolder.appendingPathComponent(name))
        }
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".cell") {
            try FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
        #expect(Self.run(Self.cells, cache: folder).succeeded)
        var edited = Self.cells
        edited[3] = "print(reduceSum(other).scalar > 0)"
        let again = Self.run(edited, cache: folder)
        #expect(again.warnings.isEmpty, "\(again.warnings)")
        #expect(again.outcomes.map(\.fromCache) == [true, true, true, false])
    }
}
