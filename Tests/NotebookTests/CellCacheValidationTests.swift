import Digests
import Engine
import Foundation
import Testing
import TestSupport
@testable import Notebook

// Entries that must not be trusted, and folders that cannot be written. Fixtures are in
// CellCacheTests.swift.

@Suite("CellCacheValidation")
struct CellCacheValidationTests {
    /// A cache in a fresh folder holding one entry for `keyA`, and that entry's file.
    private func storedEntry(_ entry: CachedCell = makeEntry()) throws -> (TemporaryDirectory, CellCache, URL) {
        let directory = try TemporaryDirectory()
        let cache = CellCache(folder: directory.url.appendingPathComponent("cache"))
        try cache.store(entry, for: keyA)
        return (directory, cache, cache.entryURL(for: keyA))
    }

    @Test func truncatedFileIsInvalid() throws {
        let (directory, cache, file) = try storedEntry()
        defer { directory.remove() }
        let bytes = try Data(contentsOf: file)
        try bytes.prefix(bytes.count - 10).write(to: file)
        let reason = try #require(invalidReason(cache.lookup(keyA)))
        #expect(reason.contains("truncated"))
    }

    @Test func flippedByteIsInvalid() throws {
        let (directory, cache, file) = try storedEntry()
        defer { directory.remove() }
        var bytes = [UInt8](try Data(contentsOf: file))
        bytes[bytes.count / 2] ^= 0x01
        try Data(bytes).write(to: file)
        let reason = try #require(invalidReason(cache.lookup(keyA)))
        #expect(reason.contains("checksum"))
    }

    @Test func entryOfAnotherKeyIsInvalid() throws {
        let (directory, cache, file) = try storedEntry()
        defer { directory.remove() }
        try FileManager.default.copyItem(at: file, to: cache.entryURL(for: keyB))
        let reason = try #require(invalidReason(cache.lookup(keyB)))
        #expect(reason.contains("written for key \(keyA.hex)"))
    }

    @Test func hugeLengthInTheHeaderIsInvalidNotATrap() throws {
        let (directory, cache, file) = try storedEntry()
        defer { directory.remove() }
        var bytes = [UInt8](try Data(contentsOf: file))
        // magic (8) + version (4) + key length (8) + key (64): the meta section's length.
        for offset in 84..<92 { bytes[offset] = 0xFF }
        try Data(bytes).write(to: file)
        #expect(invalidReason(cache.lookup(keyA)) != nil)
    }

    @Test func otherFormatVersionIsInvalid() throws {
        let (directory, cache, file) = try storedEntry()
        defer { directory.remove() }
        var bytes = [UInt8](try Data(contentsOf: file))
        bytes[8] = 2
        try Data(bytes).write(to: file)
        let reason = try #require(invalidReason(cache.lookup(keyA)))
        #expect(reason.contains("format version 2, expected 5"))
    }

    /// Every prefix and every single-bit flip of an entry is rejected, none traps.
    @Test func everyTruncationAndBitFlipIsRejected() throws {
        let bytes = [UInt8](CacheEntryFile.encode(makeEntry(), key: keyA))
        for length in 0..<bytes.count {
            #expect(throws: CacheFormatError.self) {
                try CacheEntryFile.decode(Data(bytes.prefix(length)), expecting: keyA)
            }
        }
        for index in bytes.indices {
            var flipped = bytes
            flipped[index] ^= 0x80
            #expect(throws: CacheFormatError.self) { try CacheEntryFile.decode(Data(flipped), expecting: keyA) }
        }
    }

    @Test func changedDataFileIsInvalid() throws {
        let (directory, _, _) = try storedEntry()
        defer { directory.remove() }
        let data = try directory.write(Data("the cat sat\n".utf8), to: "data/ptb.train.txt")
        let cache = CellCache(folder: directory.url.appendingPathComponent("cache"))
        let digest = DataFileDigest(path: data.path, sha256: try SHA256.hex(contentsOf: data))
        try cache.store(makeEntry(dataFiles: [digest]), for: keyA)
        #expect(hit(cache.lookup(keyA)) != nil)
        try Data("the dog sat\n".utf8).write(to: data)
        // A cache object hashes each file once (one run); the next run makes a new one.
        let nextRun = CellCache(folder: directory.url.appendingPathComponent("cache"))
        let reason = try #require(invalidReason(nextRun.lookup(keyA)))
        #expect(reason.contains("data file \(data.path) changed"))
    }

    @Test func theHeadIsReadWithoutTheStateWhichIsCheckedWhenLoaded() throws {
        let state = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let entry = makeEntry(state: state)
        let (directory, cache, file) = try storedEntry(entry)
        defer { directory.remove() }
        guard case .hit(let head, let hasState) = cache.lookupWithoutState(keyA) else {
            Issue.record("expected a hit")
            return
        }
        #expect(hasState && head.state == nil)
        #expect(head.outcome.output == entry.outcome.output && head.outcome.displayedValue == entry.outcome.displayedValue)
        let loaded = try cache.loadState(for: keyA)
        #expect(Data(loaded.bytes) == state && loaded.checksum == Checksum64.of(state))

        // Corrupt one byte of the state only: the head still reads, the state does not.
        var bytes = [UInt8](try Data(contentsOf: file))
        bytes[bytes.count - 5_000] ^= 0x01
        try Data(bytes).write(to: file)
        if case .hit = cache.lookupWithoutState(keyA) {} else { Issue.record("the head is intact") }
        #expect(throws: CellCacheError.unreadable("checksum mismatch: the saved state is corrupt")) {
            try cache.loadState(for: keyA)
        }
        #expect(invalidReason(cache.lookup(keyA)) != nil, "a full lookup checks the state too")

        // Truncated inside the state.
        try Data(bytes.prefix(bytes.count - 10)).write(to: file)
        if case .invalid = cache.lookupWithoutState(keyA) {} else { Issue.record("lengths no longer fit") }

        // An entry stored without a state.
        try cache.store(makeEntry(state: nil), for: keyA)
        guard case .hit(_, let none) = cache.lookupWithoutState(keyA) else {
            Issue.record("expected a hit")
            return
        }
        #expect(!none)
        #expect(throws: CellCacheError.unreadable("the entry holds no saved state")) { try cache.loadState(for: keyA) }
    }

    @Test func deletedDataFileIsInvalid() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = try directory.write(Data("words\n".utf8), to: "words.txt")
        let cache = CellCache(folder: directory.url.appendingPathComponent("cache"))
        let digest = DataFileDigest(path: data.path, sha256: try SHA256.hex(contentsOf: data))
        try cache.store(makeEntry(dataFiles: [digest]), for: keyA)
        try FileManager.default.removeItem(at: data)
        let reason = try #require(invalidReason(cache.lookup(keyA)))
        #expect(reason.contains("data file \(data.path) changed"))
    }

    @Test func removeDropsAnInvalidEntry() throws {
        let (directory, cache, file) = try storedEntry()
        defer { directory.remove() }
        try Data([1, 2, 3]).write(to: file)
        #expect(invalidReason(cache.lookup(keyA)) != nil)
        cache.remove(keyA)
        guard case .miss = cache.lookup(keyA) else {
            Issue.record("the entry is still there")
            return
        }
    }

    /// Root ignores permission bits, so the folder is made impossible by a file in its path.
    @Test(arguments: ["blocker", "blocker/cache"])
    func folderUnderAFileIsUnwritable(relativeFolder: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(Data("not a folder".utf8), to: "blocker")
        let cache = CellCache(folder: directory.url.appendingPathComponent(relativeFolder))
        #expect(throws: CellCacheError.self) { try cache.store(makeEntry(), for: keyA) }
        guard case .miss = cache.lookup(keyA) else {
            Issue.record("a lookup in an unwritable folder should miss")
            return
        }
        #expect(cache.info().entries.isEmpty)
    }

    @Test func unwritableErrorSaysWhere() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(Data("x".utf8), to: "blocker")
        let folder = directory.url.appendingPathComponent("blocker/cache")
        do {
            try CellCache(folder: folder).store(makeEntry(), for: keyA)
            Issue.record("store should have failed")
        } catch {
            if case .unwritable(let reason) = error {
                #expect(reason.contains(folder.path))
            }
        }
    }

    @Test func infoListsEntriesWithSizesAndClearEmptiesTheCache() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cache = CellCache(folder: directory.url.appendingPathComponent("cache"))
        #expect(cache.info() == CacheInfo(entries: [], totalBytes: 0))
        try cache.store(makeEntry(index: 3, label: nil), for: keyB)
        try cache.store(makeEntry(index: 1, label: "setup", state: Data(count: 1000)), for: keyA)
        let corrupt = CellCacheKey(hex: String(repeating: "c", count: 64))
        try Data([9, 9, 9]).write(to: cache.entryURL(for: corrupt))

        let info = cache.info()
        #expect(info.entries.map(\.key) == [keyA, keyB, corrupt])
        #expect(info.entries.map(\.cellIndex) == [1, 3, nil])
        #expect(info.entries.map(\.label) == ["setup", nil, nil])
        #expect(info.entries[0].createdAt == Date(timeIntervalSince1970: 1_700_000_100))
        #expect(info.entries[2].problem != nil)
        for entry in info.entries {
            let attributes = try FileManager.default.attributesOfItem(atPath: cache.entryURL(for: entry.key).path)
            #expect((attributes[.size] as? NSNumber)?.intValue == entry.bytes)
        }
        #expect(info.entries[0].bytes > info.entries[1].bytes + 900)
        #expect(info.totalBytes == info.entries.reduce(0) { $0 + $1.bytes })
        try cache.storeManifest(settings: keyB, [(keyA, keyB)])
        #expect(cache.loadManifest()?.cells.map(\.key) == [keyA])
        #expect(cache.loadManifest()?.finalState == nil)
        try cache.storeManifest(settings: keyB, [(keyA, keyB)], finalState: keyB)
        #expect(cache.loadManifest()?.cells.map(\.key) == [keyA] && cache.loadManifest()?.finalState == keyB)

        try cache.clear()
        #expect(!FileManager.default.fileExists(atPath: cache.folder.path))
        #expect(cache.info().entries.isEmpty)
        guard case .miss = cache.lookup(keyA) else {
            Issue.record("a cleared cache should miss")
            return
        }
        try cache.clear()
    }
}
