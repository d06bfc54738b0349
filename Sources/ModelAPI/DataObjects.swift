import CellScript
import Limits
import Engine
import Tensor

// Shape legend: B = batch size, T = number of steps.

/// reader.py's `ptb_iterator` as a cell value: `next()` gives the next window
/// `(x, y)` of `[B, T]` ids (nil after `epochSize` windows), and `for (x, y) in it`
/// walks the rest of the epoch.
final class BatchIteratorObject: ScriptObject {
    var iterator: BatchIterator

    init(_ iterator: BatchIterator) {
        self.iterator = iterator
    }

    var typeName: String { "BatchIterator" }

    var description: String {
        "BatchIterator(batchSize: \(iterator.batchSize), numSteps: \(iterator.numSteps), "
            + "epochSize: \(iterator.epochSize), position: \(iterator.position))"
    }

    static func batchValue(_ batch: BatchIterator.Element) -> Value {
        .tuple([TupleElement(label: "x", TensorObject.value(batch.x)), TupleElement(label: "y", TensorObject.value(batch.y))])
    }

    func member(_ name: String) throws -> Value? {
        switch name {
        case "epochSize": return .int(iterator.epochSize)
        case "batchSize": return .int(iterator.batchSize)
        case "numSteps": return .int(iterator.numSteps)
        case "position": return .int(iterator.position)
        case "description": return .string(description)
        case "next":
            return ModelArguments.function("next", []) { [self] _, _ in
                .optional(iterator.next().map(Self.batchValue))
            }
        default:
            return nil
        }
    }

    /// A for-in loop walks a copy, as Swift copies an iterator struct into the loop.
    func makeIterator() throws -> any ScriptObject {
        BatchIteratorObject(iterator)
    }
}

/// The data globals: `ptbRawData(dataDir:)`, `idToWord(_:vocabulary:)`, `ptbIterator(_:batchSize:numSteps:)`.
enum DataFunctions {
    /// `ptbRawData(dataDir:)`: reads (or recalls) the corpus.
    static func rawData(directory: Value, state: ModelAPIState) throws -> Value {
        let name = "ptbRawData(dataDir:)"
        let path = try ModelArguments.optional(directory).map { try $0.asString("\(name): dataDir") }
        do {
            return rawData(try state.data(directory: path, what: name))
        } catch EngineError.dataDirectoryMissing(let missing, _) {
            throw ScriptError("\(name): there is no directory \(missing)")
        } catch EngineError.dataDirectoryIncomplete(let incomplete, _, let files) {
            throw ScriptError("\(name): \(incomplete) lacks \(files.joined(separator: ", "))")
        }
    }

    /// `ptbIterator(data, batchSize:, numSteps:)`.
    static func iterator(_ values: [Value]) throws -> Value {
        let name = "ptbIterator(_:batchSize:numSteps:)"
        let ids = try ModelArguments.idSequence(values[0], "\(name): data")
        let batchSize = try ModelArguments.int(values[1], "\(name): batchSize", atLeast: 1)
        let numSteps = try ModelArguments.int(values[2], "\(name): numSteps", atLeast: 1)
        return .object(BatchIteratorObject(try BatchIterator(ids: ids, batchSize: batchSize, numSteps: numSteps)))
    }

    /// `(train:, valid:, test:, vocabulary:, wordToId:)`, as reader.py's
    /// `train_data, valid_data, test_data, vocab, word_to_id`: the splits as
    /// one-dimensional id tensors, the words in id order, and the word-to-id map.
    static func rawData(_ data: PTBData) -> Value {
        rawData(train: data.train, valid: data.valid, test: data.test, vocabulary: data.vocabulary)
    }

    /// The same tuple for any corpus held as id sequences (e.g. `generatedCorpus`).
    static func rawData(train: [Int32], valid: [Int32], test: [Int32], vocabulary: Vocabulary) -> Value {
        var wordToId = ScriptDictionary()
        for (id, word) in vocabulary.words.enumerated() {
            wordToId[.string(word)] = .int(id)
        }
        return .tuple([
            TupleElement(label: "train", TensorObject.value(IntTensor(train))),
            TupleElement(label: "valid", TensorObject.value(IntTensor(valid))),
            TupleElement(label: "test", TensorObject.value(IntTensor(test))),
            TupleElement(label: "vocabulary", .array(vocabulary.words.map(Value.string))),
            TupleElement(label: "wordToId", .dictionary(wordToId)),
        ])
    }

    /// The words for an id, an array of ids or a tensor of ids (rows stay rows).
    static func idToWord(_ value: Value, vocabulary: Value, state: ModelAPIState) throws -> Value {
        let name = "idToWord(_:vocabulary:)"
        let words = try vocabularyWords(vocabulary, state: state, name)
        let ids = try ModelArguments.ids(value, "\(name): ids")
        try MemoryBudget.reserve(count: ids.count, stride: MemoryLayout<Value>.stride, for: "\(name): \(ids.count) words")
        func word(_ id: Int32) throws -> Value {
            guard id >= 0, Int(id) < words.count else {
                throw ScriptError("\(name): id \(id) is outside the vocabulary (ids run from 0 to \(words.count - 1))")
            }
            return .string(words[Int(id)])
        }
        if ids.rank == 0 { return try word(ids.scalars[0]) }
        func nest(_ tensor: IntTensor) throws -> Value {
            if tensor.rank == 1 { return .array(try tensor.scalars.map(word)) }
            return .array(try (0..<tensor.shape[0]).map { try nest(try tensor.element(at: $0)) })
        }
        return try nest(ids)
    }

    /// The given words (`[String]` in id order), or those of the data read last.
    static func vocabularyWords(_ value: Value, state: ModelAPIState, _ name: String) throws -> [String] {
        if let given = ModelArguments.optional(value) {
            let items = try given.asArray("\(name): vocabulary")
            return try items.enumerated().map { try $1.asString("\(name): vocabulary[\($0)]") }
        }
        guard let vocabulary = state.vocabulary else {
            throw ScriptError("\(name) needs the vocabulary: call ptbRawData() first, or pass vocabulary: (the words in id order)")
        }
        return vocabulary.words
    }
}

extension BatchIteratorObject: StatefulObject {
    func saveState() -> () -> Void {
        let saved = iterator
        return { [self] in iterator = saved }
    }
}
