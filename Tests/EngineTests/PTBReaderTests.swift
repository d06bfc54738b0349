import Engine
import Foundation
import Tensor
import TestSupport
import Testing

/// The Penn Treebank reader against the tutorial's numbers and against reader.py
/// re-implemented in Python (`PTBReference`).
@Suite("PTB reader")
struct PTBReaderTests {
    // MARK: The real corpus

    // Speed is measured by `lesson bench`, never by a timed test.
    @Test("the real PTB gives the tutorial's counts")
    func realCounts() throws {
        let data = try PTBData(directory: TestPaths.realData)
        #expect(data.train.count == 929_589)
        #expect(data.valid.count == 73_760)
        #expect(data.test.count == 82_430)
        #expect(data.vocabulary.count == 10_000)
        #expect(Array(data.vocabulary.words.prefix(3)) == ["the", "<unk>", "<eos>"])
        #expect(data.vocabulary.id(of: "<eos>") == 2)
        #expect(data.vocabulary.id(of: "not-a-ptb-word") == nil)
        let iterator = try BatchIterator(ids: data.train, batchSize: 60, numSteps: 20)
        #expect(iterator.epochSize == 774)
        #expect(iterator.batchLength == 15_493)
    }

    private struct RealReference: Decodable {
        let words: [String]
        let epochSize: Int
        let firstX: [[Int32]]
        let firstY: [[Int32]]
        let lastX: [[Int32]]
        let lastY: [[Int32]]
    }

    @Test("the real PTB matches reader.py id for id, and its first and last batches")
    func realMatchesReference() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let script = """
            words, splits = raw_data(\(PTBReference.literal(TestPaths.realData.path)))
            for name, ids in zip(("train", "valid", "test"), splits):
                np.array(ids, dtype="<i4").tofile(\(PTBReference.literal(directory.url.path)) + "/" + name + ".i32")
            batches = list(ptb_iterator(splits[0], 60, 20))
            print(json.dumps({"words": words, "epochSize": len(batches),
                "firstX": batches[0][0].tolist(), "firstY": batches[0][1].tolist(),
                "lastX": batches[-1][0].tolist(), "lastY": batches[-1][1].tolist()}))
            """
        let reference = try PTBReference.run(script, as: RealReference.self)
        let data = try PTBData(directory: TestPaths.realData)

        #expect(data.vocabulary.words == reference.words)
        for (name, ids) in [("train", data.train), ("valid", data.valid), ("test", data.test)] {
            let bytes = try Data(contentsOf: directory.url.appendingPathComponent("\(name).i32"))
            let expected = bytes.withUnsafeBytes { raw in
                (0..<(raw.count / 4)).map { Int32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self)) }
            }
            #expect(ids.count == expected.count, "\(name) count")
            #expect(ids == expected, "\(name) ids")
        }
        #expect(Array(data.train.prefix(5)) == [9970, 9971, 9972, 9974, 9975])

        var iterator = try BatchIterator(ids: data.train, batchSize: 60, numSteps: 20)
        #expect(iterator.epochSize == reference.epochSize)
        guard let first = iterator.next() else {
            Issue.record("no first window")
            return
        }
        #expect(first.x.shape == [60, 20] && first.y.shape == [60, 20])
        #expect(rows(first.x).prefix(3) == reference.firstX.prefix(3))
        #expect(rows(first.x) == reference.firstX)
        #expect(rows(first.y) == reference.firstY)
        var last = first
        var windows = 1
        while let window = iterator.next() {
            last = window
            windows += 1
        }
        #expect(windows == 774)
        #expect(rows(last.x) == reference.lastX)
        #expect(rows(last.y) == reference.lastY)
    }

    // MARK: Small corpora against reader.py

    struct Corpus: CustomTestStringConvertible, Sendable {
        let name: String
        let train: String
        let valid: String
        let test: String
        var testDescription: String { name }
    }

    static let corpora: [Corpus] = [
        Corpus(name: "ties break by Python string order",
               train: " b a c \n B a é z \n c b z \n Z _ 1 \n", valid: " a b \n", test: " z \n"),
        Corpus(name: "newlines glue <eos> onto neighbouring words",
               train: "one\ntwo three\n\nfour\n five\nsix", valid: "one\ntwo", test: "\n\nfour"),
        Corpus(name: "Python's whitespace set, and what is not in it",
               train: "a\tb\u{0B}c\u{0C}d\r\ne\u{1C}f\u{1F}g\u{85}h\u{A0}i\u{2003}j\u{3000}k\u{200B}l\u{180E}m\u{FEFF}n",
               valid: "a\r\nb", test: "\u{2028}k\u{2029}"),
        Corpus(name: "words only in valid or test are dropped",
               train: " the cat sat \n the mat \n", valid: " the dog sat \n on a mat \n", test: " a cat \n zebra \n"),
        // Swift's String == and < work on canonical equivalents (NFC); Python compares code points.
        Corpus(name: "canonically equivalent words stay distinct and sort by code point",
               train: " caf\u{E9} cafe\u{301} \u{212B} \u{C6} x \n caf\u{E9} \n",
               valid: " cafe\u{301} \u{C5} \n", test: " caf\u{E9} \u{212B} \n"),
    ]

    private struct SmallReference: Decodable {
        let words: [String]
        let splits: [[Int32]]
    }

    @Test("small corpora give reader.py's vocabulary and ids", arguments: corpora)
    func smallCorpusMatchesReference(corpus: Corpus) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.writeCorpus(train: corpus.train, valid: corpus.valid, test: corpus.test)
        let reference = try PTBReference.run("""
            words, splits = raw_data(\(PTBReference.literal(path.path)))
            print(json.dumps({"words": words, "splits": splits}))
            """, as: SmallReference.self)
        let data = try PTBData(directory: path)
        #expect(data.vocabulary.words.map { Array($0.unicodeScalars) } == reference.words.map { Array($0.unicodeScalars) })
        #expect([data.train, data.valid, data.test] == reference.splits)
    }

    @Test("ties: equal counts sort by bytes, so uppercase and digits before lowercase")
    func tieOrder() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.writeCorpus(train: " b a B 1 b a \n", valid: "", test: "")
        let data = try PTBData(directory: path)
        // counts: b 2, a 2, <eos> 1, B 1, 1 1
        #expect(data.vocabulary.words == ["a", "b", "1", "<eos>", "B"])
        #expect(data.train == [1, 0, 4, 2, 1, 0, 3])
    }

    @Test("Vocabulary(text:) orders an in-memory text as the reader orders the same file")
    func vocabularyFromText() throws {
        let text = " b a B 1 b a \n the é e\u{301} a \n"
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = try PTBData(directory: try directory.writeCorpus(train: text, valid: "", test: ""))
        let vocabulary = Vocabulary(text: text)
        #expect(vocabulary == data.vocabulary)
        #expect(vocabulary.ids(forText: text) == data.train)
        #expect(Vocabulary(text: " \t ").count == 0)
    }

    @Test("a newline glues <eos> to the words around it")
    func gluedEndOfSentence() {
        #expect(WordSplitter.words(in: "end\nnext") == ["end<eos>next"])
        #expect(WordSplitter.words(in: " end \n next ") == ["end", "<eos>", "next"])
        #expect(WordSplitter.words(in: "\n\n") == ["<eos><eos>"])
        #expect(WordSplitter.words(in: "a\r\nb") == ["a", "<eos>b"])
        #expect(WordSplitter.words(in: "") == [])
    }

    @Test("vocabulary lookups")
    func vocabularyLookups() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = try PTBData(directory: try directory.writeCorpus(train: " x y x \n", valid: "", test: ""))
        let vocabulary = data.vocabulary
        #expect(vocabulary.count == 3)
        #expect(try vocabulary.word(for: 0) == "x")
        #expect(try vocabulary.words(for: [0, 2, 1]) == ["x", "y", "<eos>"])
        #expect(vocabulary.ids(forText: "y q x \n") == [2, 0, 1])
        #expect(throws: EngineError.wordIdOutOfRange(id: 3, vocabularySize: 3)) { try vocabulary.word(for: 3) }
        #expect(throws: EngineError.wordIdOutOfRange(id: -1, vocabularySize: 3)) { try vocabulary.word(for: -1) }
    }

    // MARK: Damaged files

    @Test("a missing, empty, non-UTF-8 or directory file is an error naming it")
    func damagedFiles() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let root = try directory.writeCorpus(train: " a \n", valid: " a \n", test: " a \n")
        let test = root.appendingPathComponent("ptb.test.txt")

        try FileManager.default.removeItem(at: test)
        #expect(throws: EngineError.fileMissing(path: test.path)) { try PTBData(directory: root) }

        try FileManager.default.createDirectory(at: test, withIntermediateDirectories: false)
        let isDirectory = #expect(throws: EngineError.self) { try PTBData(directory: root) }
        #expect(isDirectory.map { "\($0)" }?.contains(test.path) == true)
        try FileManager.default.removeItem(at: test)

        try Data([0x61, 0x20, 0x62, 0xC3, 0x28, 0x0A]).write(to: test)
        #expect(throws: EngineError.notUTF8(path: test.path, byteOffset: 3)) { try PTBData(directory: root) }

        let train = root.appendingPathComponent("ptb.train.txt")
        try Data(" \t ".utf8).write(to: train)
        #expect(throws: EngineError.emptyTrainingFile(path: train.path)) { try PTBData(directory: root) }
    }

    @Test("every kind of malformed UTF-8 is reported at its first byte", arguments: [
        ([0xFF], 0), ([0x61, 0x80], 1), ([0xC0, 0x80], 0), ([0xE0, 0x80, 0x80], 0),
        ([0xED, 0xA0, 0x80], 0), ([0xF4, 0x90, 0x80, 0x80], 0), ([0x61, 0x62, 0xE2, 0x82], 2),
    ] as [([UInt8], Int)])
    func malformedUTF8(bytes: [UInt8], offset: Int) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let root = try directory.writeCorpus(train: "", valid: "", test: "")
        let train = root.appendingPathComponent("ptb.train.txt")
        try Data(bytes).write(to: train)
        #expect(throws: EngineError.notUTF8(path: train.path, byteOffset: offset)) { try PTBData(directory: root) }
        let python = try Python.run("""
            try:
                open(\(PTBReference.literal(train.path)), "rb").read().decode("utf-8")
            except UnicodeDecodeError as error:
                print(error.start)
            """)
        #expect(python.trimmingCharacters(in: .whitespacesAndNewlines) == String(offset))
    }

    private func rows(_ tensor: IntTensor) -> [[Int32]] {
        let columns = tensor.shape[1]
        return (0..<tensor.shape[0]).map { Array(tensor.scalars[($0 * columns)..<(($0 + 1) * columns)]) }
    }
}
