/// The words a model knows, each with an integer id.
///
/// Built from the training file the way reader.py's `_build_vocab` does: count
/// every word, sort by descending count with ties broken by the word itself in
/// Python's string order (code point order, which is UTF-8 byte order), and give
/// each word its position as id. In the PTB that makes `the` id 0, `<unk>` id 1
/// and `<eos>` id 2.
///
/// Words are compared byte for byte, as Python compares them: `"é"` (U+00E9) and
/// `"e\u{301}"` are different words here, although Swift's `==` calls them equal.
public struct Vocabulary: Sendable, Equatable {
    /// The words in id order: `words[id]` is the word with that id.
    public let words: [String]
    private let idsByWord: [WordKey: Int32]

    /// Number of words; ids run over `0..<count`.
    public var count: Int { words.count }

    /// A vocabulary whose ids are the positions in `words`.
    /// Precondition: the words are distinct byte sequences and fewer than 2^31.
    init(orderedWords words: [String]) {
        precondition(words.count <= Int(Int32.max), "too many words for Int32 ids")
        var idsByWord: [WordKey: Int32] = [:]
        idsByWord.reserveCapacity(words.count)
        for (id, word) in words.enumerated() {
            let previous = idsByWord.updateValue(Int32(id), forKey: WordKey(word))
            precondition(previous == nil, "duplicate word \(word)")
        }
        self.words = words
        self.idsByWord = idsByWord
    }

    /// A vocabulary whose ids are the positions in `words` (a saved session's), or nil when
    /// a word appears twice.
    public init?(distinctWords words: [String]) {
        guard words.count <= Int(Int32.max), Set(words.map { WordKey($0) }).count == words.count else { return nil }
        self.init(orderedWords: words)
    }

    /// Sorts counted words as reader.py does: most frequent first, ties by the word's bytes.
    init(counts: [(word: String, count: Int)]) {
        let sorted = counts.sorted { a, b in
            if a.count != b.count { return a.count > b.count }
            return a.word.utf8.lexicographicallyPrecedes(b.word.utf8)
        }
        self.init(orderedWords: sorted.map(\.word))
    }

    /// The vocabulary of a training text held in memory: its words, split as reader.py
    /// splits a file (a newline becomes `<eos>`), sorted as `_build_vocab` sorts them.
    /// A text without words gives an empty vocabulary.
    public init(text: String) {
        var counts: [WordKey: Int] = [:]
        var firstSeen: [String] = []
        for word in WordSplitter.words(in: text) {
            let key = WordKey(word)
            if let count = counts[key] {
                counts[key] = count + 1
            } else {
                counts[key] = 1
                firstSeen.append(word)
            }
        }
        self.init(counts: firstSeen.map { (word: $0, count: counts[WordKey($0), default: 0]) })
    }

    /// The id of `word`, or nil when the word is not in the vocabulary.
    public func id(of word: String) -> Int32? {
        idsByWord[WordKey(word)]
    }

    /// The word with id `id`.
    /// - Throws: `EngineError.wordIdOutOfRange` unless `0 <= id < count`.
    public func word(for id: Int) throws -> String {
        guard id >= 0, id < words.count else {
            throw EngineError.wordIdOutOfRange(id: id, vocabularySize: words.count)
        }
        return words[id]
    }

    /// The words for a sequence of ids, e.g. a row of a batch or a model's predictions.
    /// - Throws: `EngineError.wordIdOutOfRange` at the first id outside the vocabulary.
    public func words(for ids: [Int32]) throws -> [String] {
        try ids.map { try word(for: Int($0)) }
    }

    /// The ids of the words of `text` (split as reader.py splits a file), dropping
    /// words the vocabulary lacks, as `_file_to_word_ids` does.
    public func ids(forText text: String) -> [Int32] {
        WordSplitter.words(in: text).compactMap { id(of: $0) }
    }

    public static func == (lhs: Vocabulary, rhs: Vocabulary) -> Bool {
        lhs.words.count == rhs.words.count && zip(lhs.words, rhs.words).allSatisfy { WordKey($0) == WordKey($1) }
    }
}

/// A word compared and hashed by its UTF-8 bytes, as Python compares strings,
/// rather than by Swift's canonical equivalence.
struct WordKey: Hashable, Sendable {
    let text: String

    init(_ text: String) {
        self.text = text
    }

    static func == (lhs: WordKey, rhs: WordKey) -> Bool {
        lhs.text.utf8.elementsEqual(rhs.text.utf8)
    }

    func hash(into hasher: inout Hasher) {
        var text = self.text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
