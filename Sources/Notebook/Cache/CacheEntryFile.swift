import Engine
import Foundation

/// The bytes of one `<key hex>.cell` file. All integers little-endian; lengths are 64-bit.
///
///     magic            8 bytes  "LSNCELL\n"
///     format version   u32      1
///     key              u64 length + the key's hex digits (ASCII)
///     meta length      u64      \
///     outcome length   u64       } section lengths
///     state present    u8 (0/1) |
///     state length     u64      /
///     meta             createdAt (f64 seconds since 1970), data files (count, then path, sha256)
///     outcome          the `CellOutcome` (see OutcomeCoding.swift)
///     state            the opaque session-state blob, as given
///     checksum         32 bytes: SHA-256 of everything above
///
/// Reading checks, in order: magic, version, that the sections and checksum exactly fill the
/// file (truncation), the checksum (corruption), the key, then each section must decode and
/// be used up exactly.
enum CacheEntryFile {
    static let magic = Data("LSNCELL\n".utf8)
    static let formatVersion: UInt32 = 1
    static let checksumSize = 32

    static func encode(_ entry: CachedCell, key: CellCacheKey) -> Data {
        var meta = BinaryWriter()
        meta.double(entry.createdAt.timeIntervalSince1970)
        meta.array(entry.dataFiles) { writer, file in
            writer.string(file.path)
            writer.string(file.sha256)
        }
        var outcome = BinaryWriter()
        outcome.outcome(entry.outcome)
        let state = entry.state ?? Data()

        var file = BinaryWriter()
        file.raw(magic)
        file.uint32(formatVersion)
        file.string(key.hex)
        file.uint64(UInt64(meta.data.count))
        file.uint64(UInt64(outcome.data.count))
        file.bool(entry.state != nil)
        file.uint64(UInt64(state.count))
        file.raw(meta.data)
        file.raw(outcome.data)
        file.raw(state)
        file.raw(Data(SHA256.digest(file.data)))
        return file.data
    }

    /// The entry in `data`, which must have been written for `key`.
    /// - Throws: `CacheFormatError` saying what is wrong.
    static func decode(_ data: Data, expecting key: CellCacheKey) throws(CacheFormatError) -> CachedCell {
        var reader = BinaryReader(data)
        guard data.count >= magic.count, try reader.raw(magic.count) == magic else {
            throw CacheFormatError("not a cell cache entry (bad magic number)")
        }
        let version = try reader.uint32()
        guard version == formatVersion else {
            throw CacheFormatError("format version \(version), expected \(formatVersion)")
        }
        let storedKey = try reader.string()
        let metaLength = try reader.uint64()
        let outcomeLength = try reader.uint64()
        let hasState = try reader.bool()
        let stateLength = try reader.uint64()
        let left = UInt64(reader.remaining)
        // Compared by subtraction so that huge lengths cannot overflow a sum.
        guard left >= UInt64(checksumSize),
              metaLength <= left - UInt64(checksumSize),
              outcomeLength <= left - UInt64(checksumSize) - metaLength,
              stateLength == left - UInt64(checksumSize) - metaLength - outcomeLength else {
            throw CacheFormatError("truncated or padded: the header's section lengths do not match the file's size")
        }
        let body = data.prefix(data.count - checksumSize)
        let checksum = data.suffix(checksumSize)
        guard Data(SHA256.digest(Data(body))) == Data(checksum) else {
            throw CacheFormatError("checksum mismatch: the entry is corrupt")
        }
        guard storedKey == key.hex else {
            throw CacheFormatError("written for key \(storedKey), not \(key.hex)")
        }
        var meta = BinaryReader(try reader.raw(Int(metaLength)))
        var outcomeReader = BinaryReader(try reader.raw(Int(outcomeLength)))
        let state = try reader.raw(Int(stateLength))

        let createdAt = Date(timeIntervalSince1970: try meta.double())
        let dataFiles = try meta.array { reader throws(CacheFormatError) in
            DataFileDigest(path: try reader.string(), sha256: try reader.string())
        }
        let outcome = try outcomeReader.outcome()
        guard meta.isAtEnd, outcomeReader.isAtEnd else {
            throw CacheFormatError("a section holds bytes after its content")
        }
        return CachedCell(outcome: outcome, state: hasState ? state : nil, dataFiles: dataFiles, createdAt: createdAt)
    }
}
