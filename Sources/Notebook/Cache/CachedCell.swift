import CellScript
import Foundation

/// A data file a cell read, with the SHA-256 of its content when it was read.
public struct DataFileDigest: Equatable, Sendable {
    /// The file's path: absolute, or relative to the current directory.
    public var path: String
    /// 64 lowercase hex digits, as `SHA256.hex` gives them.
    public var sha256: String

    public init(path: String, sha256: String) {
        self.path = path
        self.sha256 = sha256
    }
}

/// What the cache keeps for one cell: its outcome and the live state it left behind.
public struct CachedCell: Equatable, Sendable {
    /// Everything the cell produced: status with diagnostics, output, pieces with figures,
    /// displayed value, rendered diagnostics, start time and duration. Its `cell` positions
    /// (`firstLine`, `fenceLine`, `index`) are those of the run that stored it.
    public var outcome: CellOutcome
    /// The session state after the cell (opaque to the cache); nil if it could not be saved.
    public var state: Data?
    /// Every data file read up to and including this cell, with its digest when it was read.
    public var dataFiles: [DataFileDigest]
    /// When the entry was made.
    public var createdAt: Date
    /// The values of the inline expressions in the prose after the cell (`{swift} expr`), by
    /// their code: they depend only on the session after the cell, which the key stands for.
    public var inlineValues: [String: String]
    /// The data flow's fingerprints of the session after the cell, kept with its state
    /// (`Session.savedFingerprints`); empty without a state.
    public var fingerprints: [String: UInt64]
    /// The blobs (large arrays kept apart, `CacheBlobs`) the state refers to.
    public var blobs: [StateBlobID]

    public init(outcome: CellOutcome, state: Data?, dataFiles: [DataFileDigest] = [], createdAt: Date,
                inlineValues: [String: String] = [:], fingerprints: [String: UInt64] = [:], blobs: [StateBlobID] = []) {
        self.blobs = blobs
        self.outcome = outcome
        self.state = state
        self.dataFiles = dataFiles
        self.createdAt = createdAt
        self.inlineValues = inlineValues
        self.fingerprints = fingerprints
    }
}

/// A session state read from a cache entry (`CellCache.loadState`), its checksum checked.
public struct CachedState: Sendable {
    /// The state, as `Session.exportState` wrote it.
    public let bytes: [UInt8]
    /// Its `Checksum64`: a state exported later with the same checksum and length is the
    /// same state, and need not be written again.
    public let checksum: UInt64
}

/// The answer to `CellCache.lookup`.
public enum CacheLookup: Sendable {
    /// A valid entry whose data files are unchanged.
    case hit(CachedCell)
    /// No entry for the key.
    case miss
    /// An entry exists but must not be trusted: corrupt, truncated, written for another key,
    /// of another format version, or a data file it read has changed or gone. The reason
    /// says which; the caller recomputes the cell (and may `remove` the entry).
    case invalid(String)
}

/// The answer to `CellCache.lookupWithoutState`: the entry without its state, and whether
/// it has one to load.
public enum CacheHeadLookup: Sendable {
    case hit(CachedCell, hasState: Bool)
    case miss
    case invalid(String)
}

/// Why the cache could not be written or a saved state read. The runner warns and runs on.
public enum CellCacheError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The folder or an entry could not be created, written or removed (a full disk, a
    /// read-only folder, a file where the folder should be).
    case unwritable(String)
    /// A saved state could not be read or failed its checksum.
    case unreadable(String)

    public var description: String {
        switch self {
        case .unwritable(let reason): return "the cell cache cannot be written: \(reason)"
        case .unreadable(let reason): return "the saved state cannot be used: \(reason)"
        }
    }
}

/// What is in a cache folder, for `lesson cache` style listings.
public struct CacheInfo: Equatable, Sendable {
    /// One `.cell` file.
    public struct Entry: Equatable, Sendable {
        public var key: CellCacheKey
        /// Size of the file in bytes.
        public var bytes: Int
        /// From the stored entry; nil when the entry cannot be read.
        public var createdAt: Date?
        /// The stored outcome's cell index; nil when the entry cannot be read.
        public var cellIndex: Int?
        /// The stored cell's `label` option, if it has one.
        public var label: String?
        /// Why the entry cannot be read (checksum, truncation, ...); nil for a readable entry.
        public var problem: String?
        /// A state saved for grading the exercise after this cell (`SavedStateGrading`), not a
        /// cell of a run.
        public var isGradingState = false

        public init(key: CellCacheKey, bytes: Int, createdAt: Date? = nil, cellIndex: Int? = nil,
                    label: String? = nil, problem: String? = nil) {
            self.key = key
            self.bytes = bytes
            self.createdAt = createdAt
            self.cellIndex = cellIndex
            self.label = label
            self.problem = problem
        }
    }

    /// Entries sorted by cell index, then key; unreadable entries last.
    public var entries: [Entry]
    /// The blobs the states keep their large arrays in (each once, however many states hold it).
    public var blobCount = 0
    public var blobBytes = 0
    /// The sum of the entries' and the blobs' sizes.
    public var totalBytes: Int
}
