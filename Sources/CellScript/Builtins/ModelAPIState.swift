import Engine
import Foundation
import Tensor

/// What the model API remembers within one session, as TensorFlow's default graph
/// does: the random generator behind every initialiser, the variables created so
/// far (for `trainableVariables()`), and the data last read (for `idToWord`).
/// One instance per session, so sessions never share state.
final class ModelAPIState: SessionStateHolder {
    /// Draws every random initial value that has no explicit seed.
    var generator: RandomGenerator
    /// Where `ptbRawData()` looks first when given no directory.
    let dataDirectory: String?
    /// The directory relative paths start from (data, checkpoints).
    let workingDirectory: String
    /// The vocabulary of the data read last.
    var vocabulary: Vocabulary?
    /// Data already read, by directory, so re-running a cell is quick.
    private var loaded: [String: PTBData] = [:]
    /// Trainable variables in creation order. Weak, so a variable a cell no longer
    /// holds leaves the list.
    private var variables: [WeakVariable] = []
    /// How many unnamed variables exist, for TensorFlow's names `Variable:0`, `Variable_1:0`, ...
    private var unnamedCount = 0

    /// Where the session's reads of data files are recorded for the report.
    let dataLog: DataLog

    init(seed: UInt64, dataDirectory: String?, workingDirectory: String, dataLog: DataLog = DataLog()) {
        generator = RandomGenerator(seed: seed)
        self.dataDirectory = dataDirectory
        self.workingDirectory = workingDirectory
        self.dataLog = dataLog
    }

    /// Reads (or recalls) the Penn Treebank from `directory`, or from the default places.
    func data(directory: String?) throws -> PTBData {
        let key = directory ?? dataDirectory ?? ""
        if let cached = loaded[key] { return cached }
        let data = try PTBData.load(explicit: directory ?? dataDirectory, workingDirectory: workingDirectory)
        loaded[key] = data
        dataLog.record(data.directory)
        vocabulary = data.vocabulary
        return data
    }

    /// A file path as the cell wrote it, resolved against the working directory.
    func url(_ path: String) -> URL {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return URL(fileURLWithPath: expanded) }
        return URL(fileURLWithPath: workingDirectory).appendingPathComponent(expanded).standardizedFileURL
    }

    /// The next default variable name: `Variable:0`, then `Variable_1:0`, ...
    func nextVariableName() -> String {
        defer { unnamedCount += 1 }
        return unnamedCount == 0 ? "Variable:0" : "Variable_\(unnamedCount):0"
    }

    /// Adds a trainable variable to the list. A variable made by `getVariable` under a
    /// name already listed replaces that entry, so re-running a cell does not list it twice.
    func register(_ variable: Variable, replacingSameName: Bool = false) {
        variables.removeAll { $0.variable == nil }
        if replacingSameName, let index = variables.firstIndex(where: { $0.variable?.name == variable.name }) {
            variables[index] = WeakVariable(variable)
        } else {
            variables.append(WeakVariable(variable))
        }
    }

    /// The generator, what was read, the variable list and every listed variable's value.
    func saveState() -> () -> Void {
        let (savedGenerator, savedVocabulary, savedLoaded) = (generator, vocabulary, loaded)
        let (savedVariables, savedUnnamed) = (variables, unnamedCount)
        let live = trainableVariables
        let values = live.map(\.value)
        return { [self] in
            generator = savedGenerator
            vocabulary = savedVocabulary
            loaded = savedLoaded
            variables = savedVariables
            unnamedCount = savedUnnamed
            for (variable, value) in zip(live, values) { variable.value = value }
        }
    }

    /// The live trainable variables, oldest first.
    var trainableVariables: [Variable] {
        variables.compactMap(\.variable)
    }
}

private struct WeakVariable {
    weak var variable: Variable?

    init(_ variable: Variable) {
        self.variable = variable
    }
}
