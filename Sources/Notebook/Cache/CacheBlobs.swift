#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Bytes
import CBlobCodec
import CellScript
import Digests
import Foundation

/// The large arrays of the cache's saved states, one file each in `<cache>/blobs/`, named by
/// content (`StateBlobID.name`: checksum and length), so a tensor that several states hold
/// (the data, a model's weights, a batch's logits) is stored once.
///
/// A blob file is a header (magic `LSNBLOB\n`, the method byte, the array's length and
/// checksum, 25 bytes) and the array: raw, or split into byte planes and deflated
/// (`CBlobCodec`), which takes float32 tensors to about three quarters of their size.
///
/// Nothing read is trusted: a blob is used only when its header names it and its bytes, once
/// read, have its checksum. A file already under a blob's name with a valid header is taken
/// to hold that blob (names are 64-bit checksums of what cells computed; the cache never holds
/// states of code from other people: grading does not use it); one without is replaced.
final class CacheBlobs: StateBlobSource, Sendable {
    let folder: URL

    init(folder: URL) {
        self.folder = folder
    }

    static let suffix = ".blob"
    static let magic = Array("LSNBLOB\n".utf8)
    static let headerSize = 8 + 1 + 8 + 8

    enum Method: UInt8 {
        case raw = 0
        /// Byte planes, deflated.
        case planes = 1
    }

    func url(for id: StateBlobID) -> URL {
        folder.appendingPathComponent(id.name + Self.suffix)
    }

    // MARK: Reading

    /// Opens the blob's file and checks its header against `id`.
    private func openBlob(_ id: StateBlobID) throws(SessionStateError) -> (descriptor: Int32, method: Method, stored: Int) {
        let descriptor = open(url(for: id).path, O_RDONLY | O_NOFOLLOW)
        guard descriptor >= 0 else {
            throw .malformed("the stored tensor data \(id.name) is missing (\(String(cString: strerror(errno))))")
        }
        do throws(SessionStateError) {
            var status = stat()
            guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
                throw .malformed("the stored tensor data \(id.name) is not a file")
            }
            guard let method = Self.header(descriptor, matches: id) else {
                throw .malformed("the stored tensor data \(id.name) has a bad header")
            }
            let stored = Int(status.st_size) - Self.headerSize
            guard method != .raw || stored == id.length else {
                throw .malformed("the stored tensor data \(id.name) has \(stored) bytes, not \(id.length)")
            }
            return (descriptor, method, stored)
        } catch {
            close(descriptor)
            throw error
        }
    }

    /// The method of the file's header when the header names `id`; nil otherwise.
    private static func header(_ descriptor: Int32, matches id: StateBlobID) -> Method? {
        var bytes = [UInt8](repeating: 0, count: headerSize)
        guard bytes.withUnsafeMutableBytes({ FileIO.readAll(descriptor, into: $0, at: 0) }) == nil else { return nil }
        var reader = ByteReader(bytes)
        guard let start = try? reader.take(magic.count, "the magic"), Array(start) == magic,
              let methodByte = try? reader.uint8("the method"), let method = Method(rawValue: methodByte),
              let length = try? reader.uint64("the length"), let checksum = try? reader.uint64("the checksum"),
              length == UInt64(id.length), checksum == id.checksum else { return nil }
        return method
    }

    /// The header naming `id`, stored with `method`.
    private static func header(_ id: StateBlobID, _ method: Method) -> Data {
        var writer = ByteWriter()
        writer.raw(magic)
        writer.uint8(method.rawValue)
        writer.uint64(UInt64(id.length))
        writer.uint64(id.checksum)
        return writer.data
    }

    func check(_ id: StateBlobID) throws(SessionStateError) {
        close(try openBlob(id).descriptor)
    }

    /// Reads the blob; one found damaged is deleted, so the next state that holds its array
    /// writes it again (a damaged file under a good header would otherwise be kept).
    func read(_ id: StateBlobID, into buffer: UnsafeMutableRawBufferPointer) throws(SessionStateError) {
        guard buffer.count == id.length else { throw .malformed("the stored tensor data \(id.name) does not fit its array") }
        do throws(SessionStateError) {
            try readChecked(id, into: buffer)
        } catch {
            unlink(url(for: id).path)
            throw error
        }
    }

    private func readChecked(_ id: StateBlobID, into buffer: UnsafeMutableRawBufferPointer) throws(SessionStateError) {
        let (descriptor, method, stored) = try openBlob(id)
        defer { close(descriptor) }
        switch method {
        case .raw:
            if let problem = FileIO.readAll(descriptor, into: buffer, at: Self.headerSize) {
                throw .malformed("the stored tensor data \(id.name) cannot be read: \(problem)")
            }
        case .planes:
            guard let base = buffer.baseAddress else { break }
            let status = lesson_blob_inflate(descriptor, Int64(Self.headerSize), Int64(stored),
                                             base.assumingMemoryBound(to: UInt8.self), buffer.count)
            guard status == 0 else {
                let reason = status == -1 ? String(cString: strerror(errno)) : "its compressed bytes are damaged"
                throw .malformed("the stored tensor data \(id.name) cannot be read: \(reason)")
            }
        }
        guard Checksum64.of(UnsafeRawBufferPointer(buffer)) == id.checksum else {
            throw .malformed("the stored tensor data \(id.name) is corrupt (its checksum does not match)")
        }
    }

    // MARK: Writing

    /// Writes each blob not already stored: beside its name, then renamed into place, so a
    /// reader sees no blob or the whole blob. Each is compressed unless that saves under a tenth.
    /// - Throws: `CellCacheError.unwritable` when one cannot be written.
    func store(_ blobs: [StateBlob]) throws(CellCacheError) {
        guard !blobs.isEmpty else { return }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw .unwritable("cannot create \(folder.path): \(error.localizedDescription)")
        }
        for blob in blobs where !isStored(blob.id) {
            let final = url(for: blob.id)
            let temporary = folder.appendingPathComponent(".\(blob.id.name).\(UUID().uuidString).tmp")
            let descriptor = open(temporary.path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644)
            guard descriptor >= 0 else {
                throw .unwritable("cannot write \(temporary.path): \(String(cString: strerror(errno)))")
            }
            let problem = blob.withBytes { Self.write(blob.id, $0, to: descriptor) }
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

    /// Whether a regular file with a header naming `id` is already there.
    private func isStored(_ id: StateBlobID) -> Bool {
        guard let (descriptor, _, _) = try? openBlob(id) else { return false }
        close(descriptor)
        return true
    }

    /// Header and bytes, compressed when that saves a tenth or more; nil or why it failed.
    private static func write(_ id: StateBlobID, _ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> String? {
        func writeHeader(_ method: Method) -> String? {
            header(id, method).withUnsafeBytes { FileIO.writeAll(descriptor, $0) }
        }
        if let problem = writeHeader(.planes) { return problem }
        if let base = bytes.baseAddress, bytes.count % 4 == 0 {
            let stored = lesson_blob_deflate(base.assumingMemoryBound(to: UInt8.self), bytes.count, descriptor)
            if stored < 0 { return String(cString: strerror(errno)) }
            if stored > 0, stored < Int64(bytes.count) - Int64(bytes.count / 10) { return nil }
        }
        // Not worth it (or not 32-bit values): the raw bytes instead.
        guard ftruncate(descriptor, 0) == 0, lseek(descriptor, 0, SEEK_SET) == 0 else { return String(cString: strerror(errno)) }
        return writeHeader(.raw) ?? FileIO.writeAll(descriptor, bytes)
    }

    // MARK: Listing

    /// The blobs stored, with their sizes on disk; files of other names are not the cache's.
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
            let id = name.hasSuffix(Self.suffix) ? StateBlobID(name: String(name.dropLast(Self.suffix.count))) : nil
            let isTemporary = name.hasPrefix(".") && name.hasSuffix(".tmp")
            guard id != nil || isTemporary else { continue }
            if let id, kept.contains(id) { continue }
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

/// Whole reads and writes on a file descriptor, retrying short transfers and
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
}
