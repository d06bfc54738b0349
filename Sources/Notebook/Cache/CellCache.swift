#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CellScript
import Digests
import Foundation
import Synchronization

/// A folder of cell cache entries, one `<key hex>.cell` file per cell run (format in
/// CacheEntryFile.swift).
///
/// Nothing read from the folder is trusted: `lookup` answers `.invalid` for an entry that is
/// corrupt, truncated, written for another key or whose data files changed, and the runner
/// recomputes the cell. Writing never takes a lesson down: `store` and `clear` throw
/// `CellCacheError.unwritable`, and the runner warns and runs on without the cache.
public final class CellCache: Sendable {
    /// Where the entries live.
    public let folder: URL
    /// Data file digests computed by this cache object, by path: one run hashes each file
    /// once however many entries list it. (A new run makes a new cache object.)
    private let digests = Mutex<[String: String]>([:])

    /// The large arrays of the saved states, each once (`CacheBlobs`).
    let blobs: CacheBlobs

    /// A cache over `folder`, which need not exist yet (`store` creates it).
    public init(folder: URL) {
        self.folder = folder
        blobs = CacheBlobs(folder: folder.appendingPathComponent(Self.blobFolderName, isDirectory: true))
    }

    static let blobFolderName = "blobs"

    /// Where a state read from this cache finds the arrays it keeps apart.
    public var blobSource: any StateBlobSource { blobs }

    /// The name of the folder that holds every notebook's cache, beside the notebooks.
    public static let rootFolderName = ".lesson-cache"

    /// `<notebook's folder>/.lesson-cache/<notebook file name without extension>/`
    public static func folder(forNotebook notebook: URL) -> URL {
        notebook.deletingLastPathComponent()
            .appendingPathComponent(rootFolderName, isDirectory: true)
            .appendingPathComponent(notebook.deletingPathExtension().lastPathComponent, isDirectory: true)
    }

    /// The entry file for `key`.
    public func entryURL(for key: CellCacheKey) -> URL {
        folder.appendingPathComponent("\(key.hex).cell")
    }

    /// The entry stored for `key`, checked before it is trusted: its checksum and lengths,
    /// that it was written for `key`, and that every data file it lists still has the digest
    /// it had (each is read and hashed again).
    /// - Returns: `.hit` for a valid entry, `.miss` when there is none, `.invalid(reason)` otherwise.
    public func lookup(_ key: CellCacheKey) -> CacheLookup {
        let url = entryURL(for: key)
        guard FileManager.default.fileExists(atPath: url.path) else { return .miss }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            return .invalid("the entry cannot be read: \(error.localizedDescription)")
        }
        let entry: CachedCell
        do {
            entry = try CacheEntryFile.decode(data, expecting: key)
        } catch {
            return .invalid(error.reason)
        }
        if let problem = dataFileProblem(entry.dataFiles) { return .invalid(problem) }
        return .hit(entry)
    }

    /// Like `lookup`, but reads and checks only the entry's head: the outcome and what it
    /// needs, not the saved state. `hasState` says whether `loadState` can give one.
    public func lookupWithoutState(_ key: CellCacheKey) -> CacheHeadLookup {
        let url = entryURL(for: key)
        guard FileManager.default.fileExists(atPath: url.path) else { return .miss }
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            let (entry, layout) = try readHead(handle, expecting: key)
            if let problem = dataFileProblem(entry.dataFiles) { return .invalid(problem) }
            return .hit(entry, hasState: layout.hasState)
        } catch let error as CacheFormatError {
            return .invalid(error.reason)
        } catch {
            return .invalid("the entry cannot be read: \(error.localizedDescription)")
        }
    }

    /// The session state saved with `key`'s entry, read and checked against its checksum.
    /// The state is read once, straight into the array the session decodes.
    /// - Throws: `CellCacheError.unreadable` saying why (missing, corrupt, no state saved).
    public func loadState(for key: CellCacheKey) throws(CellCacheError) -> CachedState {
        let url = entryURL(for: key)
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            let layout = try readHead(handle, expecting: key).layout
            guard layout.hasState else { throw CellCacheError.unreadable("the entry holds no saved state") }
            let descriptor = handle.fileDescriptor
            var failure: String?
            let bytes = [UInt8](unsafeUninitializedCapacity: layout.stateLength) { buffer, initialized in
                initialized = layout.stateLength
                failure = FileIO.readAll(descriptor, into: UnsafeMutableRawBufferPointer(buffer), at: layout.stateOffset)
            }
            var trailer = [UInt8](repeating: 0, count: CacheEntryFile.stateChecksumSize)
            if failure == nil {
                failure = trailer.withUnsafeMutableBytes {
                    FileIO.readAll(descriptor, into: $0, at: layout.stateOffset + layout.stateLength)
                }
            }
            if let failure { throw CellCacheError.unreadable("the saved state cannot be read: \(failure)") }
            return CachedState(bytes: bytes, checksum: try CacheEntryFile.checkState(bytes, trailer: trailer))
        } catch let error as CellCacheError {
            throw error
        } catch let error as CacheFormatError {
            throw .unreadable(error.reason)
        } catch {
            throw .unreadable("the entry cannot be read: \(error.localizedDescription)")
        }
    }

    /// Reads and checks an entry's head (a few kilobytes), not its state.
    private func readHead(_ handle: FileHandle, expecting key: CellCacheKey) throws
        -> (entry: CachedCell, layout: CacheEntryFile.Layout) {
        let size = Int(try handle.seekToEnd())
        try handle.seek(toOffset: 0)
        var head = try handle.read(upToCount: min(size, 4096)) ?? Data()
        let needed = CacheEntryFile.headSize(prefix: head, fileSize: size)
        if needed > head.count {
            try handle.seek(toOffset: 0)
            head = try handle.read(upToCount: needed) ?? Data()
        }
        return try CacheEntryFile.decodeHead(head, fileSize: size, expecting: key)
    }

    /// Why the data files an entry lists cannot be trusted any more; nil when all are unchanged.
    private func dataFileProblem(_ files: [DataFileDigest]) -> String? {
        for file in files {
            guard let digest = digest(of: file.path) else {
                return "data file \(file.path) changed: it is missing or unreadable"
            }
            guard digest == file.sha256 else {
                return "data file \(file.path) changed since the cell ran"
            }
        }
        return nil
    }

    /// The SHA-256 of the file at `path`, hashed once per cache object; nil if it cannot be read.
    func digest(of path: String) -> String? {
        if let known = digests.withLock({ $0[path] }) { return known }
        guard let digest = try? SHA256.hex(contentsOf: URL(fileURLWithPath: path)) else { return nil }
        digests.withLock { $0[path] = digest }
        return digest
    }

    /// Stores `entry` under `key`, replacing any entry there. The file is written beside its
    /// final name and renamed into place, so a reader sees the old entry or the whole new one.
    /// Creates the folder and, in `.lesson-cache/`, a `.gitignore` holding `*`.
    /// - Throws: `CellCacheError.unwritable` when the folder cannot be made or the entry
    ///   cannot be written (a full disk included); the cache is then left as it was.
    public func store(_ entry: CachedCell, for key: CellCacheKey, blobs stateBlobs: [StateBlob] = []) throws(CellCacheError) {
        try makeFolder()
        // The blobs first: an entry is never on disk before the arrays its state names.
        try blobs.store(stateBlobs)
        let final = entryURL(for: key)
        let temporary = folder.appendingPathComponent(".\(key.hex).\(UUID().uuidString).tmp")
        do {
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: temporary.path])
            }
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            for part in CacheEntryFile.encodeParts(entry, key: key) { try handle.write(contentsOf: part) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw .unwritable("cannot write \(final.path): \(error.localizedDescription)")
        }
        guard rename(temporary.path, final.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw .unwritable("cannot move the new entry to \(final.path): \(reason)")
        }
    }

    /// Lists the entries with their sizes and, where they can be read, when they were made and
    /// which cell they hold. Data files are not checked. An absent folder is an empty cache.
    public func info() -> CacheInfo {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var entries: [CacheInfo.Entry] = []
        for name in names where name.hasSuffix(".cell") && !name.hasPrefix(".") {
            let key = CellCacheKey(hex: String(name.dropLast(".cell".count)))
            // Only the head is read: a saved state can be hundreds of megabytes.
            guard let handle = try? FileHandle(forReadingFrom: folder.appendingPathComponent(name)) else { continue }
            defer { try? handle.close() }
            guard let size = try? handle.seekToEnd() else { continue }
            var entry = CacheInfo.Entry(key: key, bytes: Int(size))
            do {
                let cached = try readHead(handle, expecting: key).entry
                entry.createdAt = cached.createdAt
                entry.cellIndex = cached.outcome.cell.index
                entry.label = cached.outcome.cell.options.label
            } catch let error as CacheFormatError {
                entry.problem = error.reason
            } catch {
                entry.problem = "the entry cannot be read: \(error.localizedDescription)"
            }
            entries.append(entry)
        }
        // A grading state is kept under the grading key of the entry of the cell before its exercise.
        let gradingKeys = Set(entries.map { SavedStateGrading.gradingKey($0.key).hex })
        for index in entries.indices where gradingKeys.contains(entries[index].key.hex) {
            entries[index].isGradingState = true
        }
        entries.sort { left, right in
            if left.cellIndex == right.cellIndex, left.isGradingState != right.isGradingState { return right.isGradingState }
            let leftIndex = left.cellIndex ?? Int.max
            let rightIndex = right.cellIndex ?? Int.max
            return leftIndex != rightIndex ? leftIndex < rightIndex : left.key.hex < right.key.hex
        }
        let stored = blobs.list()
        let blobBytes = stored.reduce(0) { $0 + $1.bytes }
        return CacheInfo(entries: entries, blobCount: stored.count, blobBytes: blobBytes,
                         totalBytes: entries.reduce(0) { $0 + $1.bytes } + blobBytes)
    }

    /// Deletes the entries the last complete run does not use (those of earlier runs, other
    /// parameters or cells since edited) and leftover temporary files; keeps every entry the
    /// manifest names, and the manifest. Without a manifest nothing is deleted: there is no
    /// run to keep. Files the cache did not write, and links, are left alone.
    /// - Returns: the entries removed, or nil when there is no manifest to go by.
    /// - Throws: `CellCacheError.unwritable` when the folder is reached through a link or an
    ///   entry cannot be removed.
    public func prune() throws(CellCacheError) -> [CacheInfo.Entry]? {
        try refuseLinks()
        guard let manifest = loadManifest() else { return nil }
        let current = manifest.cells.map(\.key) + (manifest.finalState.map { [$0] } ?? [])
        // The grading states saved after the current cells stay too (`SavedStateGrading`).
        let kept = Set(current.map(\.hex) + current.map { SavedStateGrading.gradingKey($0).hex })
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var removed: [CacheInfo.Entry] = []
        for name in names where Self.isCacheFile(name) && name != Self.manifestName {
            let isEntry = name.hasSuffix(".cell")
            let hex = String(name.dropLast(".cell".count))
            if isEntry, kept.contains(hex) { continue }
            let path = folder.appendingPathComponent(name).path
            var status = stat()
            guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { continue }
            guard unlink(path) == 0 else {
                throw .unwritable("cannot remove \(path): \(String(cString: strerror(errno)))")
            }
            if isEntry { removed.append(CacheInfo.Entry(key: CellCacheKey(hex: hex), bytes: Int(status.st_size))) }
        }
        try removeUnusedBlobs()
        return removed
    }

    /// Deletes the blobs no entry's state refers to (left by entries replaced or removed). An
    /// entry that cannot be read keeps nothing: it is unusable, and is replaced when its cell runs.
    /// - Returns: the bytes freed.
    @discardableResult
    public func removeUnusedBlobs() throws(CellCacheError) -> Int {
        try refuseLinks()
        var used = Set<StateBlobID>()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where name.hasSuffix(".cell") && !name.hasPrefix(".") {
            let key = CellCacheKey(hex: String(name.dropLast(".cell".count)))
            guard let handle = try? FileHandle(forReadingFrom: folder.appendingPathComponent(name)) else { continue }
            defer { try? handle.close() }
            if let entry = try? readHead(handle, expecting: key).entry { used.formUnion(entry.blobs) }
        }
        return try blobs.remove(keeping: used)
    }

    /// Deletes every entry (and leftover temporary file) and then the folder, if nothing else
    /// is in it. An absent folder is already clear. Nothing is followed through a symbolic
    /// link, and files the cache did not write are left alone.
    /// - Throws: `CellCacheError.unwritable` when the folder (or `.lesson-cache` above it) is a
    ///   symbolic link, or an entry cannot be removed.
    public func clear() throws(CellCacheError) {
        try refuseLinks()
        guard FileManager.default.fileExists(atPath: folder.path) else { return }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let ownsGitignore = folder.deletingLastPathComponent().lastPathComponent != Self.rootFolderName
        for name in names where Self.isCacheFile(name) || (ownsGitignore && name == ".gitignore") {
            let path = folder.appendingPathComponent(name).path
            var status = stat()
            guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { continue }
            guard unlink(path) == 0 else {
                throw .unwritable("cannot remove \(path): \(String(cString: strerror(errno)))")
            }
        }
        _ = try blobs.remove(keeping: [])
        // Only an empty folder goes: anything else in it was not put there by the cache.
        _ = rmdir(folder.path)
    }

    /// The names the cache writes: entries, the last run's manifest and the temporary files
    /// of interrupted writes.
    private static func isCacheFile(_ name: String) -> Bool {
        ((name.hasSuffix(".cell") || name.hasSuffix(".grade")) && !name.hasPrefix("."))
            || (name.hasPrefix(".") && name.hasSuffix(".tmp")) || name == manifestName
    }

    // MARK: Graded submissions

    /// A graded submission kept for re-grading (`lesson grade FOLDER`), under a key of the
    /// answer's and the lesson's content (64 hex digits); what it holds is the grader's business.
    public func storeGrade(_ data: Data, key: String) throws(CellCacheError) {
        guard key.count == 64, key.allSatisfy(\.isHexDigit) else { return }
        try replaceFile(named: "\(key).grade", with: data, temporaryPrefix: key)
    }

    /// Writes `data` beside `name` in the folder and renames it into place (the `.tmp` name
    /// `clear` and `prune` recognise), so a reader sees the old file or the whole new one.
    private func replaceFile(named name: String, with data: Data, temporaryPrefix: String) throws(CellCacheError) {
        try makeFolder()
        let final = folder.appendingPathComponent(name)
        let temporary = folder.appendingPathComponent(".\(temporaryPrefix).\(UUID().uuidString).tmp")
        do {
            try data.write(to: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw .unwritable("cannot write \(final.path): \(error.localizedDescription)")
        }
        guard rename(temporary.path, final.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw .unwritable("cannot move \(name) into \(folder.path): \(String(cString: strerror(errno)))")
        }
    }

    /// The graded submission kept under `key`; nil when there is none.
    public func loadGrade(key: String) -> Data? {
        guard key.count == 64, key.allSatisfy(\.isHexDigit) else { return nil }
        return try? Data(contentsOf: folder.appendingPathComponent("\(key).grade"))
    }

    static let manifestName = "last-run.manifest"

    /// Records the last complete run: for each cell in order, its key and its own key
    /// (`CellCacheKeys.ownKeys`), so a later run can find the entries of cells after an edit,
    /// and, when the run's final state is saved in another entry than its last cell's (a
    /// minimal re-run that left the state as it was), that entry's key.
    /// Written beside its name and renamed into place, like an entry.
    public func storeManifest(settings: CellCacheKey, _ cells: [(key: CellCacheKey, own: CellCacheKey)],
                              finalState: CellCacheKey? = nil) throws(CellCacheError) {
        let text = "settings \(settings.hex)\n" + (finalState.map { "state \($0.hex)\n" } ?? "")
            + cells.map { "\($0.key.hex) \($0.own.hex)\n" }.joined()
        try replaceFile(named: Self.manifestName, with: Data(text.utf8), temporaryPrefix: "manifest")
    }

    /// The last complete run's cells (see `storeManifest`); nil when there is none or it is
    /// not what `storeManifest` writes. `finalState` is nil when the last cell's entry holds it.
    public func loadManifest()
        -> (settings: CellCacheKey, cells: [(key: CellCacheKey, own: CellCacheKey)], finalState: CellCacheKey?)? {
        let url = folder.appendingPathComponent(Self.manifestName)
        guard let data = try? Data(contentsOf: url), data.count <= 1 << 24,
              let text = String(data: data, encoding: .utf8) else { return nil }
        var lines = text.split(separator: "\n")[...]
        func keyLine(_ label: String) -> CellCacheKey? {
            guard let parts = lines.first?.split(separator: " "), parts.count == 2, parts[0] == label,
                  parts[1].count == 64, parts[1].allSatisfy(\.isHexDigit) else { return nil }
            lines.removeFirst()
            return CellCacheKey(hex: String(parts[1]))
        }
        guard let settings = keyLine("settings") else { return nil }
        let finalState = keyLine("state")
        var cells: [(key: CellCacheKey, own: CellCacheKey)] = []
        for line in lines {
            let parts = line.split(separator: " ")
            guard parts.count == 2, parts.allSatisfy({ $0.count == 64 && $0.allSatisfy(\.isHexDigit) }) else { return nil }
            cells.append((CellCacheKey(hex: String(parts[0])), CellCacheKey(hex: String(parts[1]))))
        }
        return (settings, cells, finalState)
    }

    /// Refuses a cache reached through a symbolic link (the folder, or `.lesson-cache` above
    /// it): clearing or writing it would touch whatever the link points to.
    private func refuseLinks() throws(CellCacheError) {
        let parent = folder.deletingLastPathComponent()
        let candidates = parent.lastPathComponent == Self.rootFolderName ? [parent, folder] : [folder]
        for candidate in candidates {
            var status = stat()
            if lstat(candidate.path, &status) == 0, status.st_mode & S_IFMT == S_IFLNK {
                throw .unwritable("\(candidate.path) is a symbolic link; the cache does not follow links")
            }
        }
    }

    /// Deletes the entry for `key`, if any (an invalid entry the runner is about to replace).
    /// Failing to delete is harmless: the entry stays invalid and `store` replaces it.
    public func remove(_ key: CellCacheKey) {
        try? FileManager.default.removeItem(at: entryURL(for: key))
    }

    private func makeFolder() throws(CellCacheError) {
        let manager = FileManager.default
        try refuseLinks()
        do {
            try manager.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw .unwritable("cannot create \(folder.path): \(error.localizedDescription)")
        }
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .unwritable("\(folder.path) is not a folder")
        }
        try writeGitignore()
    }

    /// Keeps the cache out of version control: `*` in `.lesson-cache/` (or in the folder
    /// itself when the cache lives somewhere else).
    private func writeGitignore() throws(CellCacheError) {
        let parent = folder.deletingLastPathComponent()
        let home = parent.lastPathComponent == Self.rootFolderName ? parent : folder
        let gitignore = home.appendingPathComponent(".gitignore")
        guard !FileManager.default.fileExists(atPath: gitignore.path) else { return }
        do {
            try Data("*\n".utf8).write(to: gitignore, options: .atomic)
        } catch {
            throw .unwritable("cannot write \(gitignore.path): \(error.localizedDescription)")
        }
    }
}
