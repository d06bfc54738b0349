import CellScript
import Engine
import Foundation
import Tensor

/// What the model API remembers within one session, as TensorFlow's default graph
/// does: the random generator behind every initialiser, the variables created so
/// far (for `trainableVariables()`), and the data last read (for `idToWord`).
/// One instance per session, so sessions never share state.
///
/// Its state comes in three parts that change separately: the generator, the variables (the
/// list, its values and the unnamed count) and the data read (vocabulary and corpora). Every
/// access from a cell goes through the accessors below, which tell the data flow which part the
/// cell read (`LibraryState.read`); the stored fields are private so no access can skip them.
final class ModelAPIState: SessionStateHolder {
    static let kind = "ModelAPI"

    /// Draws every random initial value that has no explicit seed.
    var generator: RandomGenerator {
        get {
            LibraryState.read(Self.kind, "generator")
            return storedGenerator
        }
        set { storedGenerator = newValue }
    }
    private var storedGenerator: RandomGenerator
    /// Where `ptbRawData()` looks first when given no directory.
    let dataDirectory: String?
    /// What cells' paths may name (data, checkpoints), relative to the lesson's folder.
    var files: FileScope { confinement.scope }
    private let confinement: FileConfinement
    /// The folder `ptbRawData()` reads without a directory, once looked up; cells may read it.
    private var defaultDataFolder: URL??
    /// The vocabulary of the data read last.
    var vocabulary: Vocabulary? {
        get {
            LibraryState.read(Self.kind, "data")
            return storedVocabulary
        }
        set { storedVocabulary = newValue }
    }
    private var storedVocabulary: Vocabulary?
    /// Data already read, by directory, so re-running a cell is quick.
    private var loaded: [String: PTBData] = [:]
    /// Trainable variables in creation order. Weak, so a variable a cell no longer
    /// holds leaves the list.
    private var variables: [WeakVariable] = []
    /// How many unnamed variables exist, for TensorFlow's names `Variable:0`, `Variable_1:0`, ...
    private var unnamedCount = 0

    /// Where the session's reads of data files are recorded for the report.
    let dataLog: DataLog

    init(seed: UInt64, dataDirectory: String?, files: FileConfinement, dataLog: DataLog = DataLog()) {
        storedGenerator = RandomGenerator(seed: seed)
        self.dataDirectory = dataDirectory
        confinement = files
        self.dataLog = dataLog
    }

    /// Reads (or recalls) the Penn Treebank from `directory` (a cell's path, confined by
    /// `files`), or without one from the run's data folder (`--data`, the front matter's
    /// `data:`, or the usual places).
    func data(directory: String?, what: String) throws -> PTBData {
        LibraryState.read(Self.kind, "data")
        let key = directory.map { "cell:" + $0 } ?? ""
        if let cached = loaded[key] { return cached }
        let data: PTBData
        if let directory {
            data = try PTBData.load(explicit: try file(directory, for: .read, what: what).path)
        } else {
            data = try PTBData.load(explicit: dataDirectory)
        }
        loaded[key] = data
        dataLog.record(data.directory)
        storedVocabulary = data.vocabulary
        return data
    }

    /// The file a cell's `path` names, checked against what cells may touch; the run's data
    /// folder may be read too.
    /// - Throws: `ScriptError` naming the rule the path breaks.
    func file(_ path: String, for access: FileScope.Access, what: String) throws -> URL {
        if defaultDataFolder == nil {
            defaultDataFolder = .some(try? DataDirectory.resolve(
                explicit: dataDirectory, environment: ProcessInfo.processInfo.environment,
                workingDirectory: FileManager.default.currentDirectoryPath))
        }
        let readable = defaultDataFolder.flatMap { $0 }.map { [$0] } ?? []
        return try files.reading(readable).resolve(path, for: access, what: what)
    }

    /// The next default variable name: `Variable:0`, then `Variable_1:0`, ...
    func nextVariableName() -> String {
        LibraryState.read(Self.kind, "variables")
        defer { unnamedCount += 1 }
        return unnamedCount == 0 ? "Variable:0" : "Variable_\(unnamedCount):0"
    }

    /// Adds a trainable variable to the list. A variable made by `getVariable` under a
    /// name already listed replaces that entry, so re-running a cell does not list it twice.
    func register(_ variable: Variable, replacingSameName: Bool = false) {
        LibraryState.read(Self.kind, "variables")
        variables.removeAll { $0.variable == nil }
        if replacingSameName, let index = variables.firstIndex(where: { $0.variable?.name == variable.name }) {
            variables[index] = WeakVariable(variable)
        } else {
            variables.append(WeakVariable(variable))
        }
    }

    /// The generator, what was read, the variable list and every listed variable's value.
    func saveState() -> () -> Void {
        let (savedGenerator, savedVocabulary, savedLoaded) = (storedGenerator, storedVocabulary, loaded)
        let (savedVariables, savedUnnamed) = (variables, unnamedCount)
        let live = liveVariables
        let values = live.map(\.value)
        return { [self] in
            storedGenerator = savedGenerator
            storedVocabulary = savedVocabulary
            loaded = savedLoaded
            variables = savedVariables
            unnamedCount = savedUnnamed
            for (variable, value) in zip(live, values) { variable.value = value }
        }
    }

    /// The live trainable variables, oldest first.
    var trainableVariables: [Variable] {
        LibraryState.read(Self.kind, "variables")
        return liveVariables
    }

    private var liveVariables: [Variable] {
        variables.compactMap(\.variable)
    }
}

private struct WeakVariable {
    weak var variable: Variable?

    init(_ variable: Variable) {
        self.variable = variable
    }
}

/// Saved with a session: the generator, the unnamed-variable count, the variable list (as
/// references, so they stay the session's variables), the vocabulary's words, and the
/// directories data was read from, which are read again on import and recorded in the
/// data log (so the data is not copied into the saved session).
extension ModelAPIState: SessionStateParts {
    var archiveKind: String { Self.kind }

    var partNames: [String] { ["generator", "variables", "data"] }

    func exportState(into writer: inout StateWriter, encoder: StateEncoder) throws(SessionStateError) {
        for part in partNames { try exportPart(part, into: &writer, encoder: encoder) }
    }

    func exportPart(_ part: String, into writer: inout StateWriter, encoder: StateEncoder) throws(SessionStateError) {
        switch part {
        case "generator":
            writer.generator(storedGenerator)
        case "variables":
            writer.int(unnamedCount)
            let live = liveVariables
            try writer.count(live.count)
            for variable in live { writer.u32(try encoder.reference(variable)) }
        default:
            writer.bool(storedVocabulary != nil)
            if let words = storedVocabulary?.words {
                try writer.count(words.count)
                for word in words { try writer.string(word) }
            }
            let directories = loaded.sorted { $0.key < $1.key }
            try writer.count(directories.count)
            for (key, data) in directories {
                try writer.string(key)
                try writer.string(data.directory.path)
            }
        }
    }

    func importState(from reader: inout StateReader, decoder: StateDecoder) throws(SessionStateError) -> () -> Void {
        let savedGenerator = try reader.generator("the model API's generator")
        let savedUnnamed = try reader.int("the model API's unnamed-variable count")
        guard savedUnnamed >= 0 else { throw .malformed("the model API's unnamed-variable count is \(savedUnnamed)") }
        let count = try reader.count("the model API's variables", minimumSize: 4)
        var listed: [Variable] = []
        for _ in 0..<count { listed.append(try decoder.variable(&reader, "a listed variable")) }
        var savedVocabulary: Vocabulary?
        if try reader.bool("whether the model API has a vocabulary") {
            let size = try reader.count("the vocabulary", minimumSize: 4)
            var words: [String] = []
            for _ in 0..<size { words.append(try reader.string("a vocabulary word")) }
            guard let vocabulary = Vocabulary(distinctWords: words) else { throw .malformed("the vocabulary repeats a word") }
            savedVocabulary = vocabulary
        }
        let directoryCount = try reader.count("the data directories", minimumSize: 8)
        var reread: [(key: String, data: PTBData)] = []
        for _ in 0..<directoryCount {
            let key = try reader.string("a data key")
            let path = try reader.string("a data directory")
            do {
                reread.append((key, try PTBData.load(explicit: path)))
            } catch {
                throw .unsupported("the data the session read from \(path) can no longer be read: \(error)")
            }
        }
        return { [self] in
            storedGenerator = savedGenerator
            unnamedCount = savedUnnamed
            variables = listed.map(WeakVariable.init)
            storedVocabulary = savedVocabulary
            loaded = [:]
            for (key, data) in reread {
                loaded[key] = data
                dataLog.record(data.directory)
            }
        }
    }
}
