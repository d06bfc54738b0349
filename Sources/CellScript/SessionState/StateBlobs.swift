import Digests

/// Where a large array of a saved session is kept apart from the state's bytes: its
/// `Checksum64` and length. Two states holding the same tensor name the same blob, so a store
/// keyed by it (the cell cache's) keeps each tensor once however many states hold it.
public struct StateBlobID: Hashable, Sendable {
    public let checksum: UInt64
    /// Bytes.
    public let length: Int

    public init(checksum: UInt64, length: Int) {
        self.checksum = checksum
        self.length = length
    }

    /// `<16 hex digits of the checksum>-<length>`, safe as a file name.
    public var name: String {
        let hex = String(checksum, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex + "-\(length)"
    }

    /// The id a `name` stands for; nil for anything else.
    public init?(name: String) {
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 16, parts[0].allSatisfy(\.isHexDigit),
              let checksum = UInt64(parts[0], radix: 16), parts[1].count <= 19, parts[1].allSatisfy(\.isASCII),
              let length = Int(parts[1]), length >= 0, String(length) == parts[1] else { return nil }
        self.init(checksum: checksum, length: length)
    }
}

/// One large array of a saved session, held (not copied: arrays share their storage) until
/// the store has written it.
public struct StateBlob: Sendable {
    public let id: StateBlobID
    private let storage: Storage

    private enum Storage: Sendable {
        case floats([Float])
        case ints([Int32])
    }

    init(floats: [Float]) {
        storage = .floats(floats)
        id = floats.withUnsafeBytes { StateBlobID(checksum: Checksum64.of($0), length: $0.count) }
    }

    init(ints: [Int32]) {
        storage = .ints(ints)
        id = ints.withUnsafeBytes { StateBlobID(checksum: Checksum64.of($0), length: $0.count) }
    }

    /// The array's bytes: raw little-endian 32-bit values, as the state would hold them inline.
    public func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        switch storage {
        case .floats(let values): return try values.withUnsafeBytes(body)
        case .ints(let values): return try values.withUnsafeBytes(body)
        }
    }
}

/// Reads the blobs a saved session refers to (the cell cache's blob folder).
public protocol StateBlobSource: AnyObject {
    /// Checks that the blob is there with exactly `id.length` bytes, before its reader
    /// allocates that much. - Throws: `SessionStateError.malformed` saying why not.
    func check(_ id: StateBlobID) throws(SessionStateError)
    /// Fills `buffer` (exactly `id.length` bytes) with the blob's bytes, checked against its
    /// checksum. - Throws: `SessionStateError.malformed` when it is missing, short or corrupt.
    func read(_ id: StateBlobID, into buffer: UnsafeMutableRawBufferPointer) throws(SessionStateError)
}

/// The arrays an export keeps apart, each once, in the order first written.
final class StateBlobCollector {
    /// Arrays of at least this many bytes are kept apart; smaller ones stay inline, where a
    /// file of their own would cost more than it saves.
    static let threshold = 64 << 10

    private(set) var blobs: [StateBlob] = []
    private var ids: Set<StateBlobID> = []

    func add(_ blob: StateBlob) -> StateBlobID {
        if ids.insert(blob.id).inserted { blobs.append(blob) }
        return blob.id
    }
}

/// A session exported with its large arrays apart (`Session.exportState(keepingLargeArraysApart:)`).
public struct ExportedState: Sendable {
    /// The state; it names each blob by its id, so equal bytes mean an equal state.
    public let bytes: [UInt8]
    /// The large arrays, each once; empty when they were written inline.
    public let blobs: [StateBlob]
}
