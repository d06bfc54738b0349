import CellScript
import Digests
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
    /// Each cell's key on its own (not chained): whether its own source and options changed.
    let ownKeys: [CellCacheKey]
    /// The params, seed and engine this run's keys share.
    let settingsKey: CellCacheKey
    private var warnedAboutState = false
    /// Set when an entry could not be written: the run goes on without the cache.
    var disabled = false
    /// The entry holding this run's final state when it is not the last cell's: a minimal
    /// re-run that left the state as it found it keeps it where it was (`storeFinal`).
    private(set) var finalState: CellCacheKey?
    /// The last cell (0-based) that takes gradients; -1 for none. A state saved before it would
    /// lack the autodiff histories that cell may need (a saved state keeps values, not how they
    /// were computed), so states are saved, and resumed from, only after it.
    var lastHistoryReader = -1

    init(settings: CacheSettings, cells: [Cell], params: [(name: String, value: String)]) {
        self.settings = settings
        self.cells = cells
        keys = CellCacheKeys.keys(for: cells, params: params, engineVersion: settings.engineVersion, seed: settings.seed)
        ownKeys = CellCacheKeys.ownKeys(for: cells, params: params, engineVersion: settings.engineVersion,
                                        seed: settings.seed)
        settingsKey = CellCacheKeys.settingsKey(params: params, engineVersion: settings.engineVersion, seed: settings.seed)
    }

    // MARK: Minimal re-runs

    /// What a minimal re-run needs from the last complete run: every cell's entry (outcome and
    /// data flow), which cells changed since, and where its final state is.
    struct MinimalPlan {
        /// The first cell (0-based) whose key changed: the cells before it are unchanged.
        let firstChanged: Int
        /// The last run's entry for each cell, index-aligned with `cells`.
        let old: [CachedCell]
        /// Cells (0-based, from `firstChanged` on) whose own source or options changed.
        let changed: Set<Int>
        /// Where the last run's final session state is.
        let finalKey: CellCacheKey
        /// The data flow's fingerprints kept with that state.
        let finalFingerprints: [String: UInt64]
    }

    /// The plan for a minimal re-run, or why there is none (then today's rule applies: resume
    /// from the latest saved state before the first changed cell and run everything after it).
    func minimalPlan(inline: [Int: [InlineExpression]]) -> Result<MinimalPlan, MinimalFallback> {
        guard let recorded = settings.cache.loadManifest() else { return .failure(MinimalFallback("no complete earlier run is recorded")) }
        guard recorded.settings == settingsKey else {
            return .failure(MinimalFallback("the params, the seed or the engine changed since the last complete run"))
        }
        let manifest = recorded.cells
        let finalStateElsewhere = recorded.finalState
        guard manifest.count == cells.count, !cells.isEmpty else {
            return .failure(MinimalFallback("cells were added or removed since the last complete run"))
        }
        guard let first = keys.indices.first(where: { keys[$0] != manifest[$0].key }) else {
            return .failure(MinimalFallback("nothing changed"))
        }
        var old: [CachedCell] = []
        for (index, recorded) in manifest.enumerated() {
            guard case .hit(let entry, let hasState) = settings.cache.lookupWithoutState(recorded.key) else {
                return .failure(MinimalFallback("the last run's entry for cell \(index + 1) is gone or stale"))
            }
            switch entry.outcome.status {
            case .ran, .expectedFailure:
                guard entry.outcome.dataFlow != nil else {
                    return .failure(MinimalFallback("cell \(index + 1) has no record of what it read and wrote"))
                }
            case .skipped:
                break
            case .failed, .missingExpectedError, .notRun:
                return .failure(MinimalFallback("cell \(index + 1) did not run to the end last time"))
            }
            if index == manifest.count - 1, finalStateElsewhere == nil, !hasState {
                return .failure(MinimalFallback("the last run's final state was not saved"))
            }
            // The prose before the first change quotes what these cells left: it must be kept.
            if index < first, !(inline[index + 1] ?? []).allSatisfy({ entry.inlineValues[$0.code] != nil }) {
                return .failure(MinimalFallback("a value the prose quotes before cell \(first + 1) is not in the cache"))
            }
            old.append(entry)
        }
        let changed = Set((first..<cells.count).filter { ownKeys[$0] != manifest[$0].own })
        var finalKey = manifest[manifest.count - 1].key
        var finalFingerprints = old[old.count - 1].fingerprints
        if let key = finalStateElsewhere {
            guard case .hit(let holder, hasState: true) = settings.cache.lookupWithoutState(key) else {
                return .failure(MinimalFallback("the entry holding the last run's final state is gone or stale"))
            }
            finalKey = key
            finalFingerprints = holder.fingerprints
        }
        return .success(MinimalPlan(firstChanged: first, old: old, changed: changed, finalKey: finalKey,
                                    finalFingerprints: finalFingerprints))
    }

    /// A cell's outcome from an entry, placed on the cell as it is now, marked from the cache.
    func cachedOutcome(_ entry: CachedCell, for cell: Cell, file: String, source: String) -> CellOutcome {
        var outcome = entry.outcome(for: cell, file: file, source: source)
        outcome.fromCache = true
        return outcome
    }

    /// Stores an entry as it is (a cell taken from the cache in a minimal re-run) under the
    /// cell's key now, with the values the prose after it quotes as they are now, and without
    /// state: the session then is not the one after that cell.
    func storeReused(_ entry: CachedCell, at index: Int, inlineValues: [String: String]) -> (warning: String?, disable: Bool) {
        var copy = entry
        copy.state = nil
        copy.blobs = []
        copy.fingerprints = [:]
        copy.inlineValues = inlineValues
        do {
            try settings.cache.store(copy, for: keys[index])
            return (nil, false)
        } catch {
            return ("cache: \(error); running without the cache", true)
        }
    }

    /// Records this run as the last complete one.
    func storeManifest() -> String? {
        // A run that took every cell from the cache restored nothing and knows of no other
        // entry: when the last cell's entry holds no state (a minimal re-run left it elsewhere),
        // the manifest of the same cells still says where it is.
        var final = finalState
        if final == nil, let last = keys.last, case .hit(_, hasState: false) = settings.cache.lookupWithoutState(last),
           let recorded = settings.cache.loadManifest(), recorded.settings == settingsKey, recorded.cells.map(\.key) == keys {
            final = recorded.finalState
        }
        do {
            try settings.cache.storeManifest(settings: settingsKey, Array(zip(keys, ownKeys)).map { (key: $0.0, own: $0.1) },
                                             finalState: final)
            return nil
        } catch {
            return "cache: \(error)"
        }
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
        var inlineMissing = false
        lookup: for (index, key) in keys.enumerated() {
            switch settings.cache.lookupWithoutState(key) {
            case .hit(let entry, let hasState):
                hits.append((entry, hasState))
                let after = inline[index + 1] ?? []
                if !after.allSatisfy({ entry.inlineValues[$0.code] != nil }) {
                    inlineMissing = true
                    break lookup
                }
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
        // Every cell unchanged (an edit of prose only) and every inline value known: nothing
        // will run, so no state is needed.
        if !cells.isEmpty, hits.count == cells.count, !inlineMissing {
            return (cachedOutcomes(hits[...], file: file, source: source), inlineValues(hits.count), warnings)
        }
        for last in hits.indices.reversed() where hits[last].hasState && last >= lastHistoryReader {
            do {
                try session.importState(bytes: try settings.cache.loadState(for: keys[last]).bytes,
                                        blobs: settings.cache.blobSource)
                session.adoptFingerprints(hits[last].entry.fingerprints)
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
    /// `earlierDataFiles`: files cells before this one read in an earlier run and did not read
    /// again now (a minimal re-run), kept in the entry so a change to them still invalidates it.
    mutating func store(_ outcome: CellOutcome, session: Session, inlineValues: [String: String] = [:],
                        savingState: Bool = true, earlierDataFiles: [DataFileDigest] = []) -> (warning: String?, disable: Bool) {
        let index = outcome.cell.index - 1
        guard keys.indices.contains(index), Self.isReproducible(outcome.status) else { return (nil, false) }
        let saved = savingState && index >= lastHistoryReader
            && (outcome.duration >= settings.stateThreshold || index == cells.count - 1)
            ? exportState(of: session, after: index) : (state: nil, warning: nil)
        return write(outcome, state: saved.state, warning: saved.warning, session: session, inlineValues: inlineValues,
                     earlierDataFiles: earlierDataFiles)
    }

    /// Stores the last cell of a minimal re-run with the session's final state, unless that
    /// state is the one the run restored (`restored`: where it is, its length and checksum),
    /// as after an edit that changed only what a cell shows: then the entry is stored without
    /// it and the manifest names the entry that already holds it, sparing a write of hundreds
    /// of megabytes.
    mutating func storeFinal(_ outcome: CellOutcome, session: Session, restored: (key: CellCacheKey, length: Int, checksum: UInt64),
                             inlineValues: [String: String] = [:], earlierDataFiles: [DataFileDigest]) -> (warning: String?, disable: Bool) {
        let index = cells.count - 1
        guard outcome.cell.index - 1 == index, Self.isReproducible(outcome.status) else { return (nil, false) }
        let saved = exportState(of: session, after: index)
        if let state = saved.state, state.bytes.count == restored.length, Checksum64.of(state.bytes) == restored.checksum {
            finalState = restored.key == keys[index] ? nil : restored.key
            // The same key means the entry there was made by this very cell after these very cells.
            if restored.key == keys[index] { return (nil, false) }
            return write(outcome, state: nil, warning: nil, session: session, inlineValues: inlineValues,
                         earlierDataFiles: earlierDataFiles)
        }
        finalState = nil
        return write(outcome, state: saved.state, warning: saved.warning, session: session, inlineValues: inlineValues,
                     earlierDataFiles: earlierDataFiles)
    }

    /// The session's state after cell `index` (0-based), or a warning (once a run) saying it cannot be saved.
    private mutating func exportState(of session: Session, after index: Int) -> (state: ExportedState?, warning: String?) {
        do {
            return (try session.exportState(keepingLargeArraysApart: true), nil)
        } catch {
            // Not fatal: the outputs are still cached; only resuming after this cell is lost.
            guard !warnedAboutState else { return (nil, nil) }
            warnedAboutState = true
            return (nil, "cache: the session after cell \(index + 1) cannot be saved (\(error)); a later run resumes before it")
        }
    }

    /// Writes a finished cell's entry.
    private func write(_ outcome: CellOutcome, state: ExportedState?, warning: String?, session: Session,
                       inlineValues: [String: String] = [:], earlierDataFiles: [DataFileDigest]) -> (warning: String?, disable: Bool) {
        let index = outcome.cell.index - 1
        var dataFiles = dataFileDigests()
        for file in earlierDataFiles where !dataFiles.contains(where: { $0.path == file.path }) { dataFiles.append(file) }
        let entry = CachedCell(outcome: outcome, state: state.map { Data($0.bytes) }, dataFiles: dataFiles,
                               createdAt: outcome.startedAt ?? Date(), inlineValues: inlineValues,
                               fingerprints: state == nil ? [:] : session.savedFingerprints,
                               blobs: state?.blobs.map(\.id) ?? [])
        do {
            try settings.cache.store(entry, for: keys[index], blobs: state?.blobs ?? [])
            return (warning, false)
        } catch {
            return ("cache: \(error); running without the cache", true)
        }
    }

    /// Cells whose outcome another run would reproduce: not interrupted or timed out.
    static func isReproducible(_ status: CellStatus) -> Bool {
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

/// Why a run cannot take cells after an edit from the cache (`CacheWriter.minimalPlan`).
struct MinimalFallback: Error {
    let reason: String

    init(_ reason: String) {
        self.reason = reason
    }

    /// Whether the run says it: not for a first run or a run with nothing changed.
    var worthSaying: Bool {
        reason != "nothing changed" && reason != "no complete earlier run is recorded"
    }
}
