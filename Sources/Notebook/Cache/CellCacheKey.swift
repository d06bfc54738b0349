import Digests
import Foundation

/// The identity of one cell's run: 64 lowercase hex digits of a SHA-256, also the entry's
/// file name (`<hex>.cell`).
public struct CellCacheKey: Hashable, Sendable, CustomStringConvertible {
    public let hex: String

    public init(hex: String) {
        self.hex = hex
    }

    public var description: String { hex }
}

/// Computes the chained cache keys of a notebook's cells.
public enum CellCacheKeys {
    /// Bumped whenever what goes into a key changes, so old entries stop matching.
    static let versionTag = "lesson-cell-key-v3"

    /// Chained keys, one per cell in order: SHA-256 of a version tag, the engine version, the seed,
    /// the params (name=value in order), the previous cell's key, the cell's source and its options
    /// (every option but `slide`, in a fixed order). Data files are not in the key: they are checked at lookup.
    ///
    /// A cell's key therefore changes with any earlier cell, but never with a later cell, with
    /// prose, or with where the cell sits in the file.
    /// - Parameters:
    ///   - cells: the notebook's cells, in order.
    ///   - params: the values the run binds, in declaration order.
    ///   - engineVersion: `EngineVersion.string` in the runner; injected for tests.
    ///   - seed: the run's random seed.
    /// - Returns: `cells.count` keys, index-aligned with `cells`.
    public static func keys(for cells: [Cell], params: [(name: String, value: String)], engineVersion: String,
                            seed: UInt64) -> [CellCacheKey] {
        chained(cells, params: params, engineVersion: engineVersion, seed: seed, chaining: true)
    }

    /// Keys of the cells on their own: like `keys`, without the previous cell's key, so a cell's
    /// key says only whether its own source, options, params, seed and engine are the same.
    public static func ownKeys(for cells: [Cell], params: [(name: String, value: String)], engineVersion: String,
                               seed: UInt64) -> [CellCacheKey] {
        chained(cells, params: params, engineVersion: engineVersion, seed: seed, chaining: false)
    }

    /// What every key of a run shares (the key tag, engine version, seed and params): a
    /// manifest made with other settings describes nothing this run can reuse.
    public static func settingsKey(params: [(name: String, value: String)], engineVersion: String,
                                   seed: UInt64) -> CellCacheKey {
        CellCacheKey(hex: SHA256.hex(settingsPreimage(params: params, engineVersion: engineVersion, seed: seed).data))
    }

    /// The start of every key's preimage: the key tag, the engine version, the seed, the params.
    private static func settingsPreimage(params: [(name: String, value: String)], engineVersion: String,
                                         seed: UInt64) -> BinaryWriter {
        var preimage = BinaryWriter()
        preimage.string(versionTag)
        preimage.string(engineVersion)
        preimage.uint64(seed)
        preimage.array(params) { writer, param in
            writer.string(param.name)
            writer.string(param.value)
        }
        return preimage
    }

    private static func chained(_ cells: [Cell], params: [(name: String, value: String)], engineVersion: String,
                                seed: UInt64, chaining: Bool) -> [CellCacheKey] {
        var keys: [CellCacheKey] = []
        var previous = chaining ? "" : "unchained"
        let settings = settingsPreimage(params: params, engineVersion: engineVersion, seed: seed)
        for cell in cells {
            var preimage = settings
            preimage.string(previous)
            preimage.string(cell.source)
            preimage.string(cell.info)
            preimage.cellOptions(cell.options, withLines: false)
            let key = CellCacheKey(hex: SHA256.hex(preimage.data))
            keys.append(key)
            if chaining { previous = key.hex }
        }
        return keys
    }
}
