import CellScript
import Foundation

/// How `NotebookExecutor.run` uses a cell cache.
public struct CacheSettings {
    public var cache: CellCache
    public var engineVersion: String
    public var seed: UInt64
    /// The data files the cells have read so far (the CLI asks the model API's data log).
    public var dataFilesRead: () -> [URL]
    /// A cell that takes at least this long also stores the session state it leaves (as does
    /// the last cell), so a later run can resume after it. Quicker cells store only their
    /// outputs: resuming re-runs them from the nearest stored state.
    public var stateThreshold: TimeInterval

    public init(cache: CellCache, engineVersion: String, seed: UInt64, dataFilesRead: @escaping () -> [URL] = { [] },
                stateThreshold: TimeInterval = 1) {
        self.cache = cache
        self.engineVersion = engineVersion
        self.seed = seed
        self.dataFilesRead = dataFilesRead
        self.stateThreshold = stateThreshold
    }
}

/// One run's use of the cache: finds where to resume, then stores each cell as it finishes.
struct CacheWriter {
    let settings: CacheSettings
    let cells: [Cell]
    let keys: [CellCacheKey]
    private var warnedAboutState = false

    init(settings: CacheSettings, cells: [Cell], params: [(name: String, value: String)]) {
        self.settings = settings
        self.cells = cells
        keys = CellCacheKeys.keys(for: cells, params: params, engineVersion: settings.engineVersion, seed: settings.seed)
    }

    /// The outcomes of the leading cells that can be taken from the cache, with `session`
    /// restored to the state after the last of them, the values of the inline expressions
    /// after them, and warnings for entries found invalid. `file` and `source` re-render the
    /// diagnostics of cells that moved since they ran. A cell whose following inline
    /// expressions are not all in its entry is the last taken: they need the live session.
    func resume(into session: Session, file: String, source: String,
                inline: [Int: [InlineExpression]] = [:])
        -> (outcomes: [CellOutcome], inlineValues: [InlineKey: InlineResult], warnings: [String]) {
        var hits: [(entry: CachedCell, hasState: Bool)] = []
        var warnings: [String] = []
        lookup: for (index, key) in keys.enumerated() {
            switch settings.cache.lookupWithoutState(key) {
            case .hit(let entry, let hasState):
                hits.append((entry, hasState))
                let after = inline[index + 1] ?? []
                if !after.allSatisfy({ entry.inlineValues[$0.code] != nil }) { break lookup }
            case .miss:
                break lookup
            case .invalid(let reason):
                warnings.append("cache: cell \(index + 1): \(reason); running it again")
                settings.cache.remove(key)
                break lookup
            }
        }
        /// The cached inline values after the first `count` hits.
        func inlineValues(_ count: Int) -> [InlineKey: InlineResult] {
            var values: [InlineKey: InlineResult] = [:]
            for (index, hit) in hits.prefix(count).enumerated() {
                for expression in inline[index + 1] ?? [] {
                    if let text = hit.entry.inlineValues[expression.code] { values[expression.key] = .text(text) }
                }
            }
            return values
        }
        let complete = hits.indices.allSatisfy { index in
            (inline[index + 1] ?? []).allSatisfy { hits[index].entry.inlineValues[$0.code] != nil }
        }
        // Every cell unchanged (an edit of prose only) and every inline value known: nothing
        // will run, so no state is needed.
        if !cells.isEmpty, hits.count == cells.count, complete {
            return (cachedOutcomes(hits[...], file: file, source: source), inlineValues(hits.count), warnings)
        }
        for last in hits.indices.reversed() where hits[last].hasState {
            do {
                try session.importState(try settings.cache.loadState(for: keys[last]))
            } catch {
                warnings.append("cache: the state saved after cell \(last + 1) could not be restored (\(error)); "
                                + "running from an earlier point")
                continue
            }
            return (cachedOutcomes(hits[...last], file: file, source: source), inlineValues(last + 1), warnings)
        }
        return ([], [:], warnings)
    }

    /// The hits' outcomes, placed on the cells as they are now and marked as from the cache.
    private func cachedOutcomes(_ hits: ArraySlice<(entry: CachedCell, hasState: Bool)>, file: String, source: String)
        -> [CellOutcome] {
        zip(hits, cells).map { hit, cell in
            var outcome = hit.entry.outcome(for: cell, file: file, source: source)
            outcome.fromCache = true
            return outcome
        }
    }

    /// Stores a finished cell. Returns a warning, if any, and whether the cache must not be
    /// used for the rest of the run (it cannot be written).
    mutating func store(_ outcome: CellOutcome, session: Session,
                        inlineValues: [String: String] = [:]) -> (warning: String?, disable: Bool) {
        let index = outcome.cell.index - 1
        guard keys.indices.contains(index), Self.isReproducible(outcome.status) else { return (nil, false) }
        var state: Data?
        var warning: String?
        if outcome.duration >= settings.stateThreshold || index == cells.count - 1 {
            do {
                state = try session.exportState()
            } catch {
                // Not fatal: the outputs are still cached; only resuming after this cell is lost.
                if !warnedAboutState {
                    warnedAboutState = true
                    warning = "cache: the session after cell \(index + 1) cannot be saved (\(error)); "
                        + "a later run resumes before it"
                }
            }
        }
        let entry = CachedCell(outcome: outcome, state: state, dataFiles: dataFileDigests(),
                               createdAt: outcome.startedAt ?? Date(), inlineValues: inlineValues)
        do {
            try settings.cache.store(entry, for: keys[index])
            return (warning, false)
        } catch {
            return ("cache: \(error); running without the cache", true)
        }
    }

    /// Cells whose outcome another run would reproduce: not interrupted or timed out.
    private static func isReproducible(_ status: CellStatus) -> Bool {
        switch status {
        case .ran, .skipped, .expectedFailure: return true
        case .failed, .missingExpectedError, .notRun: return false
        }
    }

    /// The files read so far with their digests (the cache hashes each file once per run).
    private func dataFileDigests() -> [DataFileDigest] {
        settings.dataFilesRead().compactMap { url in
            settings.cache.digest(of: url.path).map { DataFileDigest(path: url.path, sha256: $0) }
        }
    }
}
