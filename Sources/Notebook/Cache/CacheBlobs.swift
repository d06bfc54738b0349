#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CellScript
import Digests
import Foundation

/// The large arrays of the cache's saved states, one file each in `<cache>/blobs/`, named by
/// content (`StateBlobID.name`: checksum and length), so a tensor that several states hold
/// (the data, a model's weights, a batch's logits) is stored once.
///
/// Nothing read is trusted: a blob is used only when its size and checksum match its name. A
/// blob is never replaced by different bytes under the same name: when the checksums of two
/// different arrays agree (an accident, or bytes made to collide), the new state is not saved.
final class CacheBlobs: StateBlobSource, Sendable {
    let folder: URL

    init(folder: URL) {
        self.folder = folder
    }

    static let suffix = ".blob"

    func url(for id: StateBlobID) -> URL {
        folder.appendingPathComponent(id.name + Self.suffix)
    }

    // MARK: Reading

    func check(_ id: StateBlobID) throws(SessionStateError) {
        var status = stat()
        guard lstat(url(for: id).path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            throw .malformed("the stored tensor data \(id.name) is missing")
        }
        guard Int(status.st_size) == id.length else {
            throw .malformed("the stored tensor data \(id.name) has \(status.st_size) bytes, not \(id.length)")
        }
    }

    func read(_ id: StateBlobID, into buffer: UnsafeMutableRawBufferPointer) throws(SessionStateError) {
        guard buffer.count == id.length else { throw .malformed("the stored tensor data \(id.name) does not fit its array") }
        let descriptor = open(url(for: id).path, O_RDONLY | O_NOFOLLOW)
        guard descriptor >= 0 else {
            throw .malformed("the stored tensor data \(id.name) cannot be opened: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        if let problem = FileIO.readAll(descriptor, into: buffer, at: 0) {
            throw .malformed("the stored tensor data \(id.name) cannot be read: \(problem)")
        }
        guard Checksum64.of(UnsafeRawBufferPointer(buffer)) == id.checksum else {
            throw .malformed("the stored tensor data \(id.name) is corrupt (its checksum does not match)")
        }
    }

    // MARK: Writing

    /// Writes each blob not already stored with the same bytes: beside its name, then renamed
    /// into place, so a reader sees no blob or the whole blob.
    /// - Throws: `CellCacheError.unwritable` when one cannot be written, or when a stored
    ///   blob of the same name holds other bytes (it is left as it is).
    func store(_ blobs: [StateBlob]) throws(CellCacheError) {
        guard !blobs.isEmpty else { return }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw .unwritable("cannot create \(folder.path): \(error.localizedDescription)")
        }
        for blob in blobs {
            let final = url(for: blob.id)
            if try holdsSameBytes(final, blob) { continue }
            let temporary = folder.appendingPathComponent(".\(blob.id.name).\(UUID().uuidString).tmp")
            let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644)
            guard descriptor >= 0 else {
                throw .unwritable("cannot write \(temporary.path): \(String(cString: strerror(errno)))")
            }
            let problem = blob.withBytes { FileIO.writeAll(descriptor, $0) }
            close(descriptor)
            if let problem {
                unlink(temporary.path)
                throw .unwritable("cannot write \(final.path): \(problem)")
            }
            guard rename(temporary.path, final.path) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(temporary.path)
                throw .unwritable("cannot move \(temporary.path) to \(final.path): \(reason)")
            }
        }
    }

    /// Whether `url` already holds exactly the blob's bytes; false when there is no such file.
    /// - Throws: when it holds other bytes of the same length and checksum (a collision).
    private func holdsSameBytes(_ url: URL, _ blob: StateBlob) throws(CellCacheError) -> Bool {
        var status = stat()
        guard lstat(url.path, &status) == 0 else { return false }
        guard status.st_mode & S_IFMT == S_IFREG, Int(status.st_size) == blob.id.length else {
            // Not what the cache writes under this name (a link, a folder, a truncated file):
            // replaced by the rename, which does not follow links.
            return false
        }
        let descriptor = open(url.path, O_RDONLY | O_NOFOLLOW)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        let same: Bool? = blob.withBytes { bytes in FileIO.sameBytes(descriptor, bytes) }
        switch same {
        case true?: return true
        case nil: return false
        case false?:
            guard let corrupt = try? verified(descriptor, blob.id), !corrupt else { return false }
            throw .unwritable("two different arrays have the checksum \(blob.id.name); the state that holds the second is not saved")
        }
    }

    /// Whether the stored file fails its own checksum (then it is simply replaced).
    private func verified(_ descriptor: Int32, _ id: StateBlobID) throws -> Bool {
        var bytes = [UInt8](repeating: 0, count: id.length)
        let problem = bytes.withUnsafeMutableBytes { FileIO.readAll(descriptor, into: $0, at: 0) }
        if problem != nil { return true }
        return Checksum64.of(bytes) != id.checksum
    }

    // MARK: Listing

    /// The blobs stored, with their sizes; files of other names are not the cache's.
    func list() -> [(id: StateBlobID, bytes: Int)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.compactMap { name in
            guard name.hasSuffix(Self.suffix), let id = StateBlobID(name: String(name.dropLast(Self.suffix.count))) else { return nil }
            var status = stat()
            guard lstat(folder.appendingPathComponent(name).path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
            return (id, Int(status.st_size))
        }
    }

    /// Deletes the blobs not in `kept` and leftover temporary files; then the folder, if empty.
    /// - Returns: the bytes freed.
    func remove(keeping kept: Set<StateBlobID>) throws(CellCacheError) -> Int {
        var freed = 0
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names {
            let isBlob = name.hasSuffix(Self.suffix) && StateBlobID(name: String(name.dropLast(Self.suffix.count))) != nil
            let isTemporary = name.hasPrefix(".") && name.hasSuffix(".tmp")
            guard isBlob || isTemporary else { continue }
            if isBlob, let id = StateBlobID(name: String(name.dropLast(Self.suffix.count))), kept.contains(id) { continue }
            let path = folder.appendingPathComponent(name).path
            var status = stat()
            guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { continue }
            guard unlink(path) == 0 else { throw .unwritable("cannot remove \(path): \(String(cString: strerror(errno)))") }
            freed += Int(status.st_size)
        }
        _ = rmdir(folder.path)
        return freed
    }
}

/// Whole reads, writes and comparisons on a file descriptor, retrying short transfers and
/// interruptions; each returns nil or why it failed.
enum FileIO {
    static func readAll(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> String? {
        guard let base = buffer.baseAddress else { return nil }
        var done = 0
        while done < buffer.count {
            let count = pread(descriptor, base + done, buffer.count - done, off_t(offset + done))
            if count < 0, errno == EINTR { continue }
            if count < 0 { return String(cString: strerror(errno)) }
            if count == 0 { return "the file ends inside it" }
            done += count
        }
        return nil
    }

    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> String? {
        guard let base = bytes.baseAddress else { return nil }
        var done = 0
        while done < bytes.count {
            let count = write(descriptor, base + done, bytes.count - done)
            if count < 0, errno == EINTR { continue }
            if count < 0 { return String(cString: strerror(errno)) }
            done += count
        }
        return nil
    }

    /// Whether the file from its start holds exactly `bytes` (compared a megabyte at a time);
    /// nil when it cannot be read.
    static func sameBytes(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool? {
        let chunk = 1 << 20
        var buffer = [UInt8](repeating: 0, count: chunk)
        var offset = 0
        while offset < bytes.count {
            let length = min(chunk, bytes.count - offset)
            let failed = buffer.withUnsafeMutableBytes { readAll(descriptor, into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<length]), at: offset) }
            if failed != nil { return nil }
            let same = buffer.withUnsafeBytes { stored in
                guard let mine = stored.baseAddress, let theirs = bytes.baseAddress else { return length == 0 }
                return memcmp(mine, theirs + offset, length) == 0
            }
            if !same { return false }
            offset += length
        }
        return true
    }
}
