import Foundation

/// The Penn Treebank as word ids, as reader.py's `ptb_raw_data` returns it.
///
/// With Mikolov's files: 929,589 training ids, 73,760 validation ids, 82,430 test ids
/// and 10,000 words (the corpus already maps rare words to `<unk>`).
public struct PTBData: Sendable {
    /// The training text as ids, one per word, `<eos>` at each line end.
    public let train: [Int32]
    /// The validation text as ids (words missing from the vocabulary dropped).
    public let valid: [Int32]
    /// The test text as ids (words missing from the vocabulary dropped).
    public let test: [Int32]
    /// The words of the training file, most frequent first.
    public let vocabulary: Vocabulary
    /// The directory the three files came from.
    public let directory: URL

    /// Reads `ptb.train.txt`, `ptb.valid.txt` and `ptb.test.txt` from `directory`
    /// (see `DataDirectory.resolve` to find it).
    /// - Throws: `EngineError.fileMissing`, `.fileUnreadable` or `.notUTF8` naming the
    ///   file at fault; `.emptyTrainingFile` when the training file has no words.
    public init(directory: URL) throws {
        let file = { (name: String) in directory.appendingPathComponent(name) }
        let (vocabulary, train) = try PTBReader.readTraining(file("ptb.train.txt"))
        self.train = train
        self.valid = try PTBReader.wordIDs(in: file("ptb.valid.txt"), vocabulary: vocabulary)
        self.test = try PTBReader.wordIDs(in: file("ptb.test.txt"), vocabulary: vocabulary)
        self.vocabulary = vocabulary
        self.directory = directory
    }

    /// Finds the data directory (`DataDirectory.resolve`) and reads it.
    /// - Throws: whatever `DataDirectory.resolve` and `init(directory:)` throw.
    public static func load(
        explicit: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        workingDirectory: String = FileManager.default.currentDirectoryPath
    ) throws -> PTBData {
        let directory = try DataDirectory.resolve(
            explicit: explicit, environment: environment, workingDirectory: workingDirectory)
        return try PTBData(directory: directory)
    }
}
