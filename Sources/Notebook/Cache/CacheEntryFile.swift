import CellScript
import Digests
import Foundation

/// The bytes of one `<key hex>.cell` file. All integers little-endian; lengths are 64-bit.
///
///     magic            8 bytes  "LSNCELL\n"
///     format version   u32      5 (3: cell options and outcomes carry exercises and checks;
///                                 4: outcomes carry the data flow, the globals read and written;
///                                 meta carries the inline values after the cell;
///                                 5: states keep large arrays apart, meta lists their blobs)
///     key              u64 length + the key's hex digits (ASCII)
///     meta length      u64      \
///     outcome length   u64       } section lengths
///     state present    u8 (0/1) |
///     state length     u64      /
///     meta             createdAt (f64 seconds since 1970), data files (count, then path, sha256),
///                      inline values (count, then code, text), the data flow's fingerprints of
///                      the saved state (count, then name, u64), the blobs the state refers to
///                      (count, then checksum u64 and length u64 each)
///     outcome          the `CellOutcome` (see OutcomeCoding.swift)
///     checksum         32 bytes: SHA-256 of everything above
///     state            the opaque session-state blob, as given
///     state checksum   u64: `Checksum64` of the state
///
/// The state (often hundreds of megabytes) comes after the checksummed head with its own fast
/// checksum, so a lookup reads and checks only the small head, and only the one state a run
/// resumes from is read and checked.
///
/// Reading checks, in order: magic, version, that the sections and checksums exactly fill the
/// file (truncation), the head's checksum (corruption), the key, then each section must decode
/// and be used up exactly; the state's checksum when the state is read.
enum CacheEntryFile {
    static let magic = Data("LSNCELL\n".utf8)
    static let formatVersion: UInt32 = 5
    static let checksumSize = 32
    static let stateChecksumSize = 8
    /// Bytes before the key's digits: magic, version, the key's length.
    static let fixedPrefix = 8 + 4 + 8
    /// Bytes after the key: four section fields.
    static let fixedLengths = 8 + 8 + 1 + 8

    static func encode(_ entry: CachedCell, key: CellCacheKey) -> Data {
        encodeParts(entry, key: key).reduce(into: Data()) { $0.append($1) }
    }

    /// The entry's bytes in three parts, head (with its checksum), state and state checksum,
    /// so a state of hundreds of megabytes is written out as it is, never copied into one blob.
    static func encodeParts(_ entry: CachedCell, key: CellCacheKey) -> [Data] {
        var meta = BinaryWriter()
        meta.double(entry.createdAt.timeIntervalSince1970)
        meta.array(entry.dataFiles) { writer, file in
            writer.string(file.path)
            writer.string(file.sha256)
        }
        meta.array(entry.inlineValues.sorted { $0.key < $1.key }) { writer, value in
            writer.string(value.key)
            writer.string(value.value)
        }
        meta.array(entry.fingerprints.sorted { $0.key < $1.key }) { writer, fingerprint in
            writer.string(fingerprint.key)
            writer.uint64(fingerprint.value)
        }
        meta.array(entry.blobs) { writer, blob in
            writer.uint64(blob.checksum)
            writer.uint64(UInt64(blob.length))
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
        file.raw(Data(SHA256.digest(file.data)))
        var trailer = BinaryWriter()
        trailer.uint64(Checksum64.of(state))
        return [file.data, state, trailer.data]
    }

    /// Where the parts of an entry are, from its head.
    struct Layout {
        var headLength: Int
        var hasState: Bool
        var stateOffset: Int
        var stateLength: Int
    }

    /// The entry's head (everything up to its checksum) read from `data`, which may hold
    /// just the head or the whole file; `fileSize` is the whole file's size.
    /// - Returns: the entry without its state (`state` nil) and where the state is.
    static func decodeHead(_ data: Data, fileSize: Int, expecting key: CellCacheKey) throws(CacheFormatError)
        -> (entry: CachedCell, layout: Layout)
    {
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
        let headerLength = data.count - reader.remaining
        let left = UInt64(max(fileSize - headerLength, 0))
        let trailer = UInt64(checksumSize + stateChecksumSize)
        // Compared by subtraction so that huge lengths cannot overflow a sum.
        guard left >= trailer,
              metaLength <= left - trailer,
              outcomeLength <= left - trailer - metaLength,
              stateLength == left - trailer - metaLength - outcomeLength else {
            throw CacheFormatError("truncated or padded: the header's section lengths do not match the file's size")
        }
        let headLength = headerLength + Int(metaLength) + Int(outcomeLength)
        guard data.count >= headLength + checksumSize else {
            throw CacheFormatError("truncated: the entry ends inside its head")
        }
        let body = data.prefix(headLength)
        let checksum = data.subdata(in: data.startIndex + headLength..<data.startIndex + headLength + checksumSize)
        guard Data(SHA256.digest(Data(body))) == checksum else {
            throw CacheFormatError("checksum mismatch: the entry is corrupt")
        }
        guard storedKey == key.hex else {
            throw CacheFormatError("written for key \(storedKey), not \(key.hex)")
        }
        var meta = BinaryReader(try reader.raw(Int(metaLength)))
        var outcomeReader = BinaryReader(try reader.raw(Int(outcomeLength)))
        let createdAt = Date(timeIntervalSince1970: try meta.double())
        let dataFiles = try meta.array { reader throws(CacheFormatError) in
            DataFileDigest(path: try reader.string(), sha256: try reader.string())
        }
        let inlinePairs = try meta.array { reader throws(CacheFormatError) in (try reader.string(), try reader.string()) }
        let inlineValues = Dictionary(inlinePairs, uniquingKeysWith: { first, _ in first })
        let fingerprintPairs = try meta.array { reader throws(CacheFormatError) in (try reader.string(), try reader.uint64()) }
        let fingerprints = Dictionary(fingerprintPairs, uniquingKeysWith: { first, _ in first })
        let blobs = try meta.array { reader throws(CacheFormatError) -> StateBlobID in
            let checksum = try reader.uint64()
            let length = try reader.uint64()
            guard length <= UInt64(Int.max) else { throw CacheFormatError("a blob of \(length) bytes") }
            return StateBlobID(checksum: checksum, length: Int(length))
        }
        let outcome = try outcomeReader.outcome()
        guard meta.isAtEnd, outcomeReader.isAtEnd else {
            throw CacheFormatError("a section holds bytes after its content")
        }
        let layout = Layout(headLength: headLength, hasState: hasState, stateOffset: headLength + checksumSize,
                            stateLength: Int(stateLength))
        return (CachedCell(outcome: outcome, state: nil, dataFiles: dataFiles, createdAt: createdAt,
                           inlineValues: inlineValues, fingerprints: fingerprints, blobs: blobs), layout)
    }

    /// How many leading bytes of a `fileSize`-byte entry hold its head and checksum, read from
    /// the first bytes of the file (`prefix`); the whole file when the prefix cannot tell.
    static func headSize(prefix: Data, fileSize: Int) -> Int {
        var reader = BinaryReader(prefix)
        guard let start = try? reader.raw(magic.count), start == magic, (try? reader.uint32()) != nil,
              (try? reader.string()) != nil, let metaLength = try? reader.uint64(),
              let outcomeLength = try? reader.uint64(), (try? reader.bool()) != nil, (try? reader.uint64()) != nil
        else { return fileSize }
        let header = UInt64(prefix.count - reader.remaining)
        let (sections, overflow) = metaLength.addingReportingOverflow(outcomeLength)
        guard !overflow, sections <= UInt64(fileSize) else { return fileSize }
        return Int(min(header + sections + UInt64(checksumSize), UInt64(fileSize)))
    }

    /// The state section and its checksum (`stateLength + 8` bytes), checked.
    static func decodeState(_ section: Data, length: Int) throws(CacheFormatError) -> Data {
        guard section.count == length + stateChecksumSize else {
            throw CacheFormatError("truncated: the saved state is cut short")
        }
        let state = section.prefix(length)
        _ = try checkState(state, trailer: section.suffix(stateChecksumSize))
        return state
    }

    /// Checks a state against the checksum stored after it (`trailer`, 8 bytes).
    /// - Returns: the checksum.
    static func checkState(_ state: some ContiguousBytes, trailer: some Sequence<UInt8>) throws(CacheFormatError) -> UInt64 {
        var reader = BinaryReader(Data(trailer))
        let stored = try reader.uint64()
        guard stored == Checksum64.of(state) else {
            throw CacheFormatError("checksum mismatch: the saved state is corrupt")
        }
        return stored
    }

    /// The whole entry in `data` (the file's bytes), state included, for `key`.
    /// - Throws: `CacheFormatError` saying what is wrong.
    static func decode(_ data: Data, expecting key: CellCacheKey) throws(CacheFormatError) -> CachedCell {
        var (entry, layout) = try decodeHead(data, fileSize: data.count, expecting: key)
        let section = data.subdata(in: data.startIndex + layout.stateOffset..<data.startIndex + data.count)
        let state = try decodeState(section, length: layout.stateLength)
        entry.state = layout.hasState ? state : nil
        return entry
    }
}
