/// What one cell read and wrote of its session, recorded as it ran: exact, not guessed from
/// the code. `reads` are the globals it looked up before writing them (a name it looked up
/// that no cell had bound yet counts too, so a later definition makes it stale); `writes` are
/// the globals it declared, assigned or changed in place, and every global whose object a
/// library call changed (a model trained by `train(model, ...)`, an iterator advanced by
/// `next()`), found by comparing fingerprints of what each global reaches before and after
/// the cell. A library's own session state (the model API's random generator, variables and
/// vocabulary) takes part as the pseudo-global `#` + its kind (`#modelAPI`): read by any cell
/// that calls into the library, written when it changed.
public struct CellDataFlow: Equatable, Sendable {
    public var reads: Set<String>
    public var writes: Set<String>

    public init(reads: Set<String> = [], writes: Set<String> = []) {
        self.reads = reads
        self.writes = writes
    }

    /// The prefix of library-state pseudo-globals.
    public static let libraryPrefix = "#"

    /// A name as a reader knows it: `#ModelAPI.generator` is "the ModelAPI generator", `#ModelAPI`
    /// "the ModelAPI state", a global is itself.
    public static func readableName(_ name: String) -> String {
        guard name.hasPrefix(libraryPrefix) else { return name }
        let parts = name.dropFirst(libraryPrefix.count).split(separator: ".", maxSplits: 1)
        return parts.count == 2 ? "the \(parts[0]) \(parts[1])" : "the \(parts.first ?? "") state"
    }

    /// The names `later` reads that this cell wrote: why `later` must run again after this one did.
    public func changes(for later: CellDataFlow) -> Set<String> {
        writes.intersection(later.reads)
    }
}

/// Collects one cell's reads and writes; set on the session's global scope while a cell runs.
final class DataFlowRecorder: @unchecked Sendable {
    // @unchecked: made for one cell and touched only on that cell's thread while it runs (the
    // task-local `current` is bound there), then read by the session after the cell ended.

    /// The recorder of the cell running on this thread, for libraries (`LibraryState.read`).
    @TaskLocal static var current: DataFlowRecorder?

    private(set) var reads = Set<String>()
    private(set) var writes = Set<String>()
    /// Whether the cell called into a library or used an object (a member, an operator, a
    /// subscript, iteration): only then can objects or library state have changed.
    var touchedLibrary = false

    /// The names of the last read and write: a loop over a global reads and writes the same
    /// name every time, and both calls are idempotent, so a repeat costs a comparison, not a hash.
    private var lastRead: String?
    private var lastWritten: String?

    func read(_ name: String) {
        if name == lastRead { return }
        lastRead = name
        if !writes.contains(name) { reads.insert(name) }
    }

    func write(_ name: String) {
        if name == lastWritten { return }
        lastWritten = name
        writes.insert(name)
    }

    var flow: CellDataFlow { CellDataFlow(reads: reads, writes: writes) }
}

/// How a library tells the data flow which part of its session state a cell read. A library
/// whose state holder adopts `SessionStateParts` calls `read` on every access to a part, so a
/// cell reads exactly the parts it used (the model API's vocabulary, not its variables);
/// without parts, any call into the library reads all of its state.
public enum LibraryState {
    /// Records that the running cell read `part` of `kind`'s state (`#ModelAPI.vocabulary`).
    public static func read(_ kind: String, _ part: String) {
        DataFlowRecorder.current?.read(CellDataFlow.libraryPrefix + kind + "." + part)
    }
}
