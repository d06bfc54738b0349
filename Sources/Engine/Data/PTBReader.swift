import Foundation

/// The tutorial's reader.py, function for function, on bytes:
///
/// - `_read_words(f)`        -> `WordSplitter.forEachWord` (newline -> `<eos>`, split on whitespace)
/// - `_build_vocab(train)`   -> `readTraining`, which also converts the training file
/// - `_file_to_word_ids(f)`  -> `wordIDs(in:vocabulary:)`, dropping words not in the vocabulary
/// - `ptb_raw_data(dir)`     -> `PTBData(directory:)`
/// - `ptb_iterator(...)`     -> `BatchIterator`
enum PTBReader {
    /// Builds the vocabulary from the training file and converts that file to ids, in one pass.
    /// - Returns: the vocabulary and the training ids (`ids.count` = number of words in the file).
    /// - Throws: `EngineError.fileMissing`, `.fileUnreadable`, `.notUTF8` naming `url`;
    ///   `.emptyTrainingFile` when the file has no words.
    static func readTraining(_ url: URL) throws -> (vocabulary: Vocabulary, ids: [Int32]) {
        // Each distinct word gets a provisional id in order of first appearance; once all
        // counts are known, the vocabulary's order replaces them.
        var provisionalIDs: [WordKey: Int32] = [:]
        var words: [String] = []
        var counts: [Int] = []
        var provisional: [Int32] = []
        try forEachWord(in: url) { bytes in
            let word = String(decoding: bytes, as: UTF8.self)
            let key = WordKey(word)
            if let id = provisionalIDs[key] {
                counts[Int(id)] += 1
                provisional.append(id)
            } else {
                let id = Int32(truncatingIfNeeded: words.count)
                provisionalIDs[key] = id
                words.append(word)
                counts.append(1)
                provisional.append(id)
            }
        }
        guard !words.isEmpty else { throw EngineError.emptyTrainingFile(path: url.path) }

        let vocabulary = Vocabulary(counts: zip(words, counts).map { (word: $0, count: $1) })
        let finalID: [Int32] = words.map { word in
            guard let id = vocabulary.id(of: word) else { preconditionFailure("\(word) lost from its own vocabulary") }
            return id
        }
        let ids = provisional.map { finalID[Int($0)] }
        return (vocabulary, ids)
    }

    /// The ids of the words in the file at `url`, skipping words `vocabulary` lacks.
    /// - Throws: `EngineError.fileMissing`, `.fileUnreadable`, `.notUTF8` naming `url`.
    static func wordIDs(in url: URL, vocabulary: Vocabulary) throws -> [Int32] {
        var ids: [Int32] = []
        try forEachWord(in: url) { bytes in
            if let id = vocabulary.id(of: String(decoding: bytes, as: UTF8.self)) {
                ids.append(id)
            }
        }
        return ids
    }

    /// Reads the file at `url` and calls `body` with each word's UTF-8 bytes.
    private static func forEachWord(in url: URL, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        let data = try FileAccess.read(url)
        do {
            try data.withUnsafeBytes { raw in
                try WordSplitter.forEachWord(in: raw.bindMemory(to: UInt8.self), body)
            }
        } catch let error as WordSplitter.InvalidUTF8 {
            throw EngineError.notUTF8(path: url.path, byteOffset: error.byteOffset)
        }
    }
}
