import Foundation
import Testing
import Tensor
import TestSupport
@testable import CellScript
@testable import ModelAPI

/// `Session.exportState()`/`importState(_:)`: a session saved after some cells and read
/// into a fresh session behaves exactly as the original does from there on.
@Suite struct SessionStateTests {
    static func run(_ source: String, in session: Session) throws -> CellResult {
        let result = session.run(try CellParser.parse(source))
        if let error = result.error { Issue.record("cell failed: \(error.message)\n\(source)") }
        return result
    }

    /// What a cell shows: its printed output and its value.
    static func shown(_ source: String, in session: Session) throws -> String {
        let result = try run(source, in: session)
        return result.output + (result.value?.displayText ?? "<no value>")
    }

    static func modelSession() -> Session { Session(libraries: [ModelAPI()]) }

    /// `count` ids over a vocabulary of `vocabulary` words, in a fixed pattern a model can learn.
    static func ids(_ count: Int, vocabulary: Int) -> String {
        (0..<count).map { String(($0 * 7 + $0 / 5) % vocabulary) }.joined(separator: ", ")
    }

    /// Runs `later` in `original` after exporting it, and in a fresh session that imported
    /// the export; both must show the same things.
    static func expectResumes(_ original: Session, later: [String], sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let saved = try original.exportState()
        let resumed = modelSession()
        try resumed.importState(saved)
        #expect(try resumed.exportState() == saved, "saving the restored session gives the same bytes", sourceLocation: sourceLocation)
        for name in original.globalScope.allSlots.keys.sorted() {
            #expect(resumed.value(of: name)?.displayText == original.value(of: name)?.displayText,
                    "global \(name)", sourceLocation: sourceLocation)
        }
        for cell in later {
            let expected = try shown(cell, in: original)
            #expect(try shown(cell, in: resumed) == expected, "cell: \(cell)", sourceLocation: sourceLocation)
        }
    }

    @Test func everyValueKindRoundTrips() throws {
        let session = Self.modelSession()
        _ = try Self.run("""
            let i = -42
            var d = -0.5
            let big = 1.0e300
            let b = true
            let s = "héllo\\n\\"q\\" 🎉"
            var o: Int? = nil
            var o2: Int? = 5
            let nested = [[1, 2], [3], []]
            let dict = ["a": 1, "b": 2]
            let intKeys = [3: "x", 1: "y"]
            let boolKeys = [true: [1.5], false: []]
            let t = (x: 1, "two", 3.5)
            let void = ()
            let r1 = 1..<5
            let r2 = 2...4
            let r4 = ..<7
            let p = print
            """, in: session)
        session.globalScope.define("mode", .enumCase("train"))
        session.globalScope.define("r3", .range(ScriptRange(lower: 3, upper: nil, isClosed: false)))
        session.globalScope.define("r5", .range(ScriptRange(lower: nil, upper: 9, isClosed: true)))
        let resumed = Self.modelSession()
        try resumed.importState(try session.exportState())
        let original = session.globalScope.allSlots
        #expect(Set(resumed.globalScope.allSlots.keys) == Set(original.keys))
        for (name, slot) in original {
            let copy = resumed.globalScope.allSlots[name]
            #expect(copy?.value.displayText == slot.value.displayText, "\(name)")
            #expect(copy?.isConstant == slot.isConstant, "\(name)")
            #expect(copy?.isOptional == slot.isOptional, "\(name)")
        }
        // A declared optional still wraps what is assigned; a let is still constant; the built-in works.
        #expect(try Self.shown("o = 3\no", in: resumed) == "Optional(3)")
        #expect(resumed.run(try CellParser.parse("i = 1")).error != nil)
        let printed = try Self.shown("p(s.count)\nmode == .train", in: resumed)
        #expect(printed == "11\ntrue")
        #expect(try Self.shown("dict[\"b\"]! + intKeys.count", in: resumed) == "4")
    }

    @Test func everyObjectTypeRoundTripsAndBehavesTheSame() throws {
        let session = Self.modelSession()
        let ids = Self.ids(120, vocabulary: 6)
        _ = try Self.run("""
            let ids = [\(ids)]
            let x = Tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
            let wordIds = IntTensor([[1, 2], [3, 4]])
            let v = Variable([1.0, 2.0], name: "v")
            let frozen = Variable([3.0], trainable: false)
            let unnamed = Variable(zeros(shape: [2]))
            var batches = ptbIterator(ids, batchSize: 2, numSteps: 3)
            _ = batches.next()
            let config = ModelConfig(numSteps: 3, hiddenSizes: [4, 3], embeddingSize: 3, keepProb: 0.5, batchSize: 2,
                                     vocabularySize: 6)
            let model = PTBModel(config)
            let untrained = PTBModel(config)
            _ = runEpoch(model, ids, learningRate: 1.0)
            let optimizer = GradientDescentOptimizer(learningRate: 0.5)
            optimizer.learningRate = 0.25
            let built = BasicLSTMCell(units: 3, inputSize: 2)
            let lazy = BasicLSTMCell(units: 2)
            let stack = MultiRNNCell([BasicLSTMCell(units: 2), BasicLSTMCell(units: 2)])
            let out = dynamicRNN(stack, ones(shape: [1, 2, 3]))
            let state = LSTMStateTuple(c: zeros(shape: [1, 2]), h: ones(shape: [1, 2]))
            let corpus = generatedCorpus(sentences: 20)
            """, in: session)
        guard case .object(let tensor as TensorObject) = session.value(of: "x") else {
            Issue.record("x is not a tensor")
            return
        }
        let rows = TensorRowIterator(tensor)
        rows.position = 1
        session.globalScope.define("rows", .object(rows))
        try Self.expectResumes(session, later: [
            "rows.next()", "rows.next()", "rows.next()",
            "batches.next()!.x", "batches.position",
            "perplexity(model, ids)", "perplexity(untrained, ids)",
            "runEpoch(model, ids, learningRate: 1.0)", "runEpoch(untrained, ids, learningRate: 1.0)",
            "dynamicRNN(lazy, ones(shape: [1, 2, 4])).0", "reduceSum(lazy.kernel)", "built(ones(shape: [1, 2]), state: built.zeroState(batchSize: 1)).0",
            "stack(ones(shape: [1, 3]), state: out.1).0", "stack.variables.count",
            "optimizer.learningRate", "config.learningRateForEpoch(9)", "state.h", "wordIds[1]",
            "optimizer.apply([ones(shape: [2])], to: [v])\nv.value", "frozen.trainable",
            "trainableVariables().count", "trainableVariables().map { $0.name }",
            "Variable(1.0).name", "randomUniform(shape: [3])", "idToWord(0)",
        ])
    }

    @Test func sharedVariablesStayShared() throws {
        let session = Self.modelSession()
        _ = try Self.run("""
            let ids = [\(Self.ids(60, vocabulary: 5))]
            let model = PTBModel(ModelConfig(numSteps: 3, hiddenSizes: [4], embeddingSize: 3, batchSize: 2, vocabularySize: 5))
            let tvars = trainableVariables()
            let cell = BasicLSTMCell(units: 2, inputSize: 3)
            let stack = MultiRNNCell([cell])
            """, in: session)
        let resumed = Self.modelSession()
        try resumed.importState(try session.exportState())
        guard case .object(let model as ModelObject) = resumed.value(of: "model"),
              case .array(let tvars) = resumed.value(of: "tvars") else {
            Issue.record("model or tvars did not come back")
            return
        }
        let listed = tvars.compactMap { value -> Variable? in
            guard case .object(let object as TensorObject) = value, case .float(let node) = object.storage else { return nil }
            return node
        }
        #expect(listed.count == model.model.trainableVariables.count)
        for (mine, models) in zip(listed, model.model.trainableVariables) { #expect(mine === models) }

        let before = try Self.shown("perplexity(model, ids)", in: resumed)
        let softmaxBefore = try Self.shown("reduceSum(model.softmaxB)", in: resumed)
        _ = try Self.run("""
            let batch = ptbIterator(ids, batchSize: 2, numSteps: 3).next()!
            let grads = gradients(of: model.forward(x: batch.x, y: batch.y).cost, wrt: tvars)
            GradientDescentOptimizer(learningRate: 1.0).apply(grads, to: tvars)
            """, in: resumed)
        #expect(try Self.shown("perplexity(model, ids)", in: resumed) != before)
        #expect(try Self.shown("reduceSum(model.softmaxB)", in: resumed) != softmaxBefore)
        _ = try Self.run("cell.kernel.assign(zeros(shape: [5, 8]))", in: resumed)
        #expect(try Self.shown("reduceSum(stack.variables[0])", in: resumed) == "0.0")
        #expect(try Self.shown("reduceSum(trainableVariables()[\(listed.count)])", in: resumed) == "0.0")
    }

    /// The cache's use: train, save, and carry on in another session with identical results.
    @Test func resumingAfterTrainingGivesIdenticalOutputs() throws {
        let session = Self.modelSession()
        _ = try Self.run("""
            let ids = [\(Self.ids(400, vocabulary: 8))]
            let data = (train: ids, valid: ids, test: ids)
            let model = PTBModel(ModelConfig(numSteps: 4, hiddenSizes: [6, 5], embeddingSize: 4, keepProb: 0.7,
                                             batchSize: 3, vocabularySize: 8, seed: 7))
            let first = train(model, data: data, epochs: 1, verbose: false)
            var batches = ptbIterator(ids, batchSize: 3, numSteps: 4)
            _ = batches.next()
            let tvars = trainableVariables()
            let extra = Variable([0.5, -0.5])
            """, in: session)
        try Self.expectResumes(session, later: [
            "train(model, data: data, epochs: 1, verbose: true)",
            "perplexity(model, ids)",
            "batches.next()!.x",
            "let w = Variable([1.0])\nw",
            "randomUniform(shape: [3])",
            "trainableVariables().count",
            "gradients(of: reduceSum(extra * extra), wrt: extra)",
            "predictNext(model, context: [\"3\"], vocabulary: [\"0\", \"1\", \"2\", \"3\", \"4\", \"5\", \"6\", \"7\"])",
        ])
    }

    /// Blobs held in memory, as a store keeps them.
    final class MemoryBlobs: StateBlobSource {
        var stored: [StateBlobID: [UInt8]] = [:]

        init(_ blobs: [StateBlob]) {
            for blob in blobs { stored[blob.id] = blob.withBytes { Array($0) } }
        }

        func check(_ id: StateBlobID) throws(SessionStateError) {
            guard stored[id]?.count == id.length else { throw .malformed("blob \(id.name) is missing") }
        }

        func read(_ id: StateBlobID, into buffer: UnsafeMutableRawBufferPointer) throws(SessionStateError) {
            guard let bytes = stored[id], bytes.count == buffer.count else { throw .malformed("blob \(id.name) is missing") }
            buffer.copyMemory(from: UnsafeRawBufferPointer(start: bytes, count: bytes.count))
        }
    }

    /// Large arrays go apart, each once however often they are held; the state names them and
    /// reads back the same session; without its blobs it is refused, never read as zeros.
    @Test func largeArraysKeptApartComeBackTheSame() throws {
        let session = Self.modelSession()
        _ = try Self.run("""
            let big = randomUniform(shape: [200, 100], seed: 3)
            let again = [big, big]
            let ids = ptbIterator(Array(0..<40000), batchSize: 4, numSteps: 5)
            let small = zeros(shape: [3])
            """, in: session)
        let inline = try session.exportState()
        let apart = try session.exportState(keepingLargeArraysApart: true)
        #expect(apart.blobs.count == 2, "the tensor once, the iterator's ids once")
        #expect(apart.bytes.count < 4096 && inline.count > 200 * 100 * 4)
        let resumed = Self.modelSession()
        try resumed.importState(bytes: apart.bytes, blobs: MemoryBlobs(apart.blobs))
        #expect(try resumed.exportState() == inline, "the same session as the inline state gives")
        #expect(throws: SessionStateError.self) { try Self.modelSession().importState(bytes: apart.bytes) }
        let missing = MemoryBlobs(apart.blobs)
        missing.stored.removeValue(forKey: apart.blobs[0].id)
        #expect(throws: SessionStateError.self) { try Self.modelSession().importState(bytes: apart.bytes, blobs: missing) }
    }

    /// A restored value keeps its numbers but not how it was computed: gradients through it are
    /// refused with a message saying why, never silently zero; a value computed afresh from it
    /// differentiates as before, and so does a bf16 model's precision come back.
    @Test func autodiffHistoryIsNotSavedAndGradientsThroughItAreRefused() throws {
        let session = Self.modelSession()
        _ = try Self.run("let v = Variable([1.0, 2.0], name: \"v\")\nlet y = v * v", in: session)
        let gradient = try Self.shown("gradients(of: y, wrt: v)", in: session)
        #expect(gradient == "array([2., 4.], dtype=float32)")
        let resumed = Self.modelSession()
        try resumed.importState(try session.exportState())
        let value = try Self.shown("y", in: resumed)
        #expect(value == "array([1., 4.], dtype=float32)")
        let refused = resumed.run(try CellParser.parse("gradients(of: y * 2, wrt: v)"))
        #expect(refused.error?.message.contains("part of how this value was computed is no longer recorded") == true)
        #expect(try Self.shown("gradients(of: v * v * v, wrt: v)", in: resumed) == "array([ 3., 12.], dtype=float32)")
    }

    /// With recording off a cell's values keep no graph (their intermediates are freed as the
    /// cell goes); turned back on, new values differentiate again.
    @Test func cellsRunWithoutRecordingKeepNoHistory() throws {
        let session = Self.modelSession()
        _ = try Self.run("let v = Variable([1.0, 2.0])", in: session)
        session.recordsHistory = false
        _ = try Self.run("let y = v * v * v", in: session)
        session.recordsHistory = true
        #expect(try Self.shown("y", in: session) == "array([1., 8.], dtype=float32)")
        let refused = session.run(try CellParser.parse("gradients(of: y, wrt: v)"))
        #expect(refused.error?.message.contains("no longer recorded") == true)
        #expect(try Self.shown("gradients(of: v * v, wrt: v)", in: session) == "array([2., 4.], dtype=float32)")
    }

    /// `forgetHistories` frees the graphs and keeps the values; a leaf variable still
    /// differentiates, a computed value does not.
    @Test func forgettingHistoriesKeepsValuesAndRefusesGradientsThroughThem() throws {
        let session = Self.modelSession()
        _ = try Self.run("let v = Variable([1.0, 2.0])\nlet y = v * v\nlet pair = [y, y + 1]", in: session)
        session.forgetHistories()
        #expect(try Self.shown("pair[1]", in: session) == "array([2., 5.], dtype=float32)")
        let refused = session.run(try CellParser.parse("gradients(of: pair[0], wrt: v)"))
        #expect(refused.error?.message.contains("no longer recorded") == true)
        #expect(try Self.shown("gradients(of: v * 3.0, wrt: v)", in: session) == "array([3., 3.], dtype=float32)")
    }

    @Test(arguments: [
        ("func f() -> Int { 1 }", "'f'"),
        ("let g = { (x: Int) in x + 1 }", "'g'"),
        ("let ids = ptbIterator([1, 2, 3, 4, 5, 6, 7], batchSize: 1, numSteps: 2)\nlet step = ids.next", "'step'"),
        ("let x = Tensor([[1.0]])\nlet times = x.matmul", "'times'"),
    ])
    func functionsCannotBeSaved(source: String, named: String) throws {
        let session = Self.modelSession()
        _ = try Self.run(source, in: session)
        #expect {
            _ = try session.exportState()
        } throws: { error in
            guard case .unsupported(let message) = error as? SessionStateError else { return false }
            return message.contains(named)
        }
    }
}

/// Data read with `ptbRawData` is not copied into a saved session: its directory is read
/// again on import and recorded in the new session's data log.
@Suite struct SessionStateDataTests {
    @Test func readDataIsReadAgainOnImport() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let corpus = try directory.writeCorpus(train: " a b c a \n b a \n", valid: " a b \n", test: " c a \n", in: "ptb")
        let session = Session(libraries: [ModelAPI(files: FileScope(lessonFolder: directory.url))])
        _ = try SessionStateTests.run("let data = ptbRawData(dataDir: \"ptb\")", in: session)
        let saved = try session.exportState()

        let log = DataLog()
        let resumed = Session(libraries: [ModelAPI(files: FileScope(lessonFolder: directory.url), dataLog: log)])
        try resumed.importState(saved)
        #expect(log.directories.map(\.standardizedFileURL.path) == [corpus.path])
        let words = try SessionStateTests.shown("idToWord([0, 1, 2])", in: resumed)
        #expect(words == "[\"a\", \"<eos>\", \"b\"]", "a 3 times, then <eos> and b twice (ties in byte order)")

        try FileManager.default.removeItem(at: corpus)
        #expect {
            try Session(libraries: [ModelAPI(files: FileScope(lessonFolder: directory.url))]).importState(saved)
        } throws: { error in
            guard case .unsupported(let message) = error as? SessionStateError else { return false }
            return message.contains(corpus.lastPathComponent)
        }
    }
}
