import Foundation
import Testing
import TestSupport
@testable import CellScript
@testable import ModelAPI

/// The model API as cells use it: real cells parsed and run in one session with
/// `ModelAPI` registered, checked against the tutorial's numbers and displays
/// (numpy reprs computed with numpy 2.x; the tutorial's ids for the first batch).
@Suite struct ModelAPITests {
    /// Cells' paths start at the package root here, beside which `shared/data/ptb` lies.
    static func makeSession(files: FileScope = FileScope(lessonFolder: TestPaths.packageRoot())) -> Session {
        Session(libraries: [ModelAPI(dataDirectory: TestPaths.realData.path, files: files)])
    }

    /// Runs `source` as one cell; a parse failure or a runtime error fails the test.
    @discardableResult
    static func run(_ source: String, in session: Session, sourceLocation: Testing.SourceLocation = #_sourceLocation)
        throws -> CellResult
    {
        let result = session.run(try CellParser.parse(source))
        if let error = result.error {
            Issue.record("cell failed: \(error.message)\n\(source)", sourceLocation: sourceLocation)
        }
        return result
    }

    static func shown(_ source: String, in session: Session, sourceLocation: Testing.SourceLocation = #_sourceLocation)
        throws -> String
    {
        try run(source, in: session, sourceLocation: sourceLocation).value?.displayText ?? "<no value>"
    }

    // MARK: The toy gradient

    @Test func toyGradientGivesEightTenAndThree() throws {
        let session = Self.makeSession()
        try Self.run("""
            let x = Variable(1.0)
            let y = Variable(2.0)
            let f = 2.0 * x * x + 3.0 * x * y
            """, in: session)
        #expect(try Self.shown("f", in: session) == "8.0")
        #expect(try Self.shown("gradients(of: f, wrt: [x])", in: session) == "[10.0]")
        #expect(try Self.shown("gradients(of: f, wrt: [y])", in: session) == "[3.0]")
        #expect(try Self.shown("gradients(of: f, wrt: [x, y]).map { $0.scalar }", in: session) == "[10.0, 3.0]")
        #expect(try Self.shown("x", in: session) == "<Variable 'Variable:0' shape=() dtype=float32>")
        #expect(try Self.shown("2 * x * x + 3 * x * y", in: session) == "8.0")
    }

    // MARK: The real data

    static let firstThreeRows = """
        array([[9970, 9971, 9972, 9974, 9975, 9976, 9980, 9981, 9982, 9983, 9984,
                9986, 9987, 9988, 9989, 9991, 9992, 9993, 9994, 9995],
               [ 901,   33, 3361,    8, 1279,  437,  597,    6,  261, 4276, 1089,
                   8, 2836,    2,  269,    4, 5526,  241,   13, 2420],
               [2654,    6,  334, 2886,    4,    1,  233,  711,  834,   11,  130,
                 123,    7,  514,    2,   63,   10,  514,    8,  605]],
              dtype=int32)
        """

    @Test func firstBatchOfTheRealDataMatchesTheTutorial() throws {
        let session = Self.makeSession()
        try Self.run("let (trainData, validData, testData, vocabulary, wordToId) = ptbRawData()", in: session)
        #expect(try Self.shown("trainData.count", in: session) == "929589")
        #expect(try Self.shown("vocabulary.count", in: session) == "10000")
        #expect(try Self.shown("wordToId[\"the\"]", in: session) == "Optional(0)")
        #expect(try Self.shown("idToWord(trainData[0..<5])", in: session)
            == #"["aer", "banknote", "berlitz", "calloway", "centrust"]"#)
        try Self.run("""
            var iterator = ptbIterator(trainData, batchSize: 60, numSteps: 20)
            let (x, y) = iterator.next()!
            """, in: session)
        #expect(try Self.shown("x.shape", in: session) == "[60, 20]")
        #expect(try Self.shown("x[0..<3]", in: session) == Self.firstThreeRows)
        #expect(try Self.shown("iterator.epochSize", in: session) == "774")
        #expect(try Self.shown("y[0, 0..<3]", in: session) == "array([9971, 9972, 9974], dtype=int32)")
        // Out of the lesson's folder, but into the data folder the run was given: readable.
        #expect(try Self.shown("ptbRawData(dataDir: \"../shared/data/ptb\").valid.count", in: session) == "73760")
    }

    // MARK: The tutorial, step by step

    @Test func tutorialStepByStep() throws {
        let session = Self.makeSession()
        try Self.run("""
            let (trainData, _, _, vocabulary, _) = ptbRawData()
            var iterator = ptbIterator(trainData, batchSize: 60, numSteps: 20)
            let (x, y) = iterator.next()!
            """, in: session)
        try Self.run("""
            let cellL1 = BasicLSTMCell(units: 256, forgetBias: 0.0)
            let cellL2 = BasicLSTMCell(units: 128, forgetBias: 0.0)
            let stackedLSTM = MultiRNNCell([cellL1, cellL2])
            let initialState = stackedLSTM.zeroState(batchSize: 60)
            """, in: session)
        let zero = try Self.shown("initialState", in: session)
        #expect(zero.hasPrefix("(LSTMStateTuple(c=array([[0., 0., 0., ..., 0., 0., 0.],\n"))
        #expect(zero.components(separatedBy: "LSTMStateTuple(c=array(").count == 3)
        #expect(zero.components(separatedBy: "h=array(").count == 3)
        #expect(zero.hasSuffix("dtype=float32)))"))
        #expect(try Self.shown("initialState.1.c.shape", in: session) == "[60, 128]")

        try Self.run("""
            let embedding = getVariable("embedding_vocab", shape: [10000, 200])
            let inputs = embeddingLookup(embedding, x)
            """, in: session)
        #expect(try Self.shown("inputs.shape", in: session) == "[60, 20, 200]")
        let firstSentence = try Self.shown("inputs[0]", in: session)
        #expect(firstSentence.hasPrefix("array([["))
        #expect(firstSentence.contains("...,"))
        #expect(firstSentence.hasSuffix("dtype=float32)"))

        try Self.run("let (outputs, newState) = dynamicRNN(stackedLSTM, inputs, initialState: initialState)", in: session)
        #expect(try Self.shown("outputs.shape", in: session) == "[60, 20, 128]")
        #expect(try Self.shown("newState.0.h.shape", in: session) == "[60, 256]")

        try Self.run("""
            let output = outputs.reshape([-1, 128])
            let softmaxW = getVariable("softmax_w", shape: [128, 10000])
            let softmaxB = getVariable("softmax_b", shape: [10000])
            let logits = matmul(output, softmaxW) + softmaxB
            let prob = softmax(logits)
            """, in: session)
        #expect(try Self.shown("output.shape", in: session) == "[1200, 128]")
        #expect(try Self.shown("prob.shape", in: session) == "[1200, 10000]")
        let rows = try Self.shown("prob[0..<20]", in: session)
        #expect(rows.hasPrefix("array([[1.0"))
        #expect(rows.contains("e-04"))
        #expect(try Self.shown("(prob[0].sum().scalar - 1.0) < 0.001", in: session) == "true")
        #expect(try Self.shown("idToWord(argmax(prob[0..<3], axis: 1)).count", in: session) == "3")
        #expect(try Self.shown("idToWord(y[0, 0])", in: session) == #""banknote""#)

        try Self.run("""
            let loss = sequenceLoss(logits, y)
            let cost = reduceSum(loss) / 60
            """, in: session)
        #expect(try Self.shown("loss.shape", in: session) == "[1200]")
        // Uniform predictions over 10,000 words: 20 steps * ln(10000) = 184.2.
        #expect(try Self.shown("abs(cost.scalar - 184.2) < 1.0", in: session) == "true")

        try Self.run("let tvars = trainableVariables()", in: session)
        #expect(try Self.shown("tvars", in: session) == """
            [<Variable 'embedding_vocab:0' shape=(10000, 200) dtype=float32>, \
            <Variable 'rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel:0' shape=(456, 1024) dtype=float32>, \
            <Variable 'rnn/multi_rnn_cell/cell_0/basic_lstm_cell/bias:0' shape=(1024,) dtype=float32>, \
            <Variable 'rnn/multi_rnn_cell/cell_1/basic_lstm_cell/kernel:0' shape=(384, 512) dtype=float32>, \
            <Variable 'rnn/multi_rnn_cell/cell_1/basic_lstm_cell/bias:0' shape=(512,) dtype=float32>, \
            <Variable 'softmax_w:0' shape=(128, 10000) dtype=float32>, \
            <Variable 'softmax_b:0' shape=(10000,) dtype=float32>]
            """)
        #expect(try Self.shown("tvars.map { $0.name }.count", in: session) == "7")

        try Self.run("let grads = gradients(of: cost, wrt: tvars)", in: session)
        #expect(try Self.shown("grads.map { $0.shape }", in: session)
            == "[[10000, 200], [456, 1024], [1024], [384, 512], [512], [128, 10000], [10000]]")
        // The softmax bias's gradient is mostly -(share of each word among the targets), so it
        // barely depends on the initial weights: the tutorial printed -0.78133273, -1.0979931, -0.98132986.
        #expect(try Self.shown("abs(grads[6][0].scalar + 0.78133) < 0.002 && abs(grads[6][1].scalar + 1.09799) < 0.002 "
            + "&& abs(grads[6][2].scalar + 0.98133) < 0.002", in: session) == "true")
        try Self.run("let (clipped, globalNorm) = clipByGlobalNorm(grads, clipNorm: 5)", in: session)
        #expect(try Self.shown("globalNorm > 0", in: session) == "true")
        #expect(try Self.shown("clipped.count", in: session) == "7")

        try Self.run("""
            let optimizer = GradientDescentOptimizer(learningRate: 1.0)
            optimizer.apply(clipped, to: tvars)
            let after = reduceSum(sequenceLoss(matmul(dynamicRNN(stackedLSTM, embeddingLookup(embedding, x), \
            initialState: initialState).outputs.reshape([-1, 128]), softmaxW) + softmaxB, y)) / 60
            """, in: session)
        #expect(try Self.shown("after.scalar < cost.scalar", in: session) == "true")
    }

    // MARK: The whole model on a tiny configuration

    static let tinySetup = """
        var ids: [Int] = []
        for i in 0..<1200 { ids.append((i * 7 + i / 5) % 20) }
        let words = (0..<20).map { "w\\($0)" }
        let data = IntTensor(ids)
        let config = ModelConfig(hiddenSizes: [8, 6], embeddingSize: 5, maxEpoch: 2, batchSize: 2, \
        vocabularySize: 20, numSteps: 5)
        let model = PTBModel(config)
        """

    @Test func tinyModelTrainsAndPredicts() throws {
        let session = Self.makeSession()
        try Self.run(Self.tinySetup, in: session)
        #expect(try Self.shown("model.trainableVariables.map { $0.shape }", in: session)
            == "[[20, 5], [13, 32], [32], [14, 24], [24], [6, 20], [20]]")
        #expect(try Self.shown("config.learningRateForEpoch(7)", in: session) == "0.25")
        let before = try Self.run("perplexity(model, data)", in: session).value?.displayText ?? ""
        let epoch = try Self.run("runEpoch(model, data, learningRate: 1.0, verbose: true)", in: session)
        let lines = epoch.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 10)
        #expect(lines.first?.hasPrefix("Itr 10 of 119, perplexity: ") == true)
        #expect(lines.allSatisfy { $0.range(of: #"^Itr \d+ of 119, perplexity: \d+\.\d{3} speed: \d+ wps$"#,
                                                   options: .regularExpression) != nil })
        let after = try Self.run("perplexity(model, data)", in: session).value?.displayText ?? ""
        #expect((Double(after) ?? 1e9) < (Double(before) ?? 0))

        let trained = try Self.run("train(model, data: (train: data, valid: data, test: data), verbose: false)", in: session)
        let log = trained.output.split(separator: "\n").map(String.init)
        #expect(log.count == 7)
        #expect(log.first == "Epoch 1: Learning rate: 1.000")
        #expect(log.last?.hasPrefix("Test Perplexity: ") == true)
        #expect(try Self.shown("train(model, data: (data, data, data), epochs: 0, verbose: false).trainPerplexities", in: session) == "[]")

        let predictions = try Self.shown("predictNext(model, context: \"w1 w2 w3\", count: 3, vocabulary: words)", in: session)
        #expect(predictions.hasPrefix("[(word: \"w"))
        #expect(predictions.components(separatedBy: "probability: ").count == 4)
        #expect(try Self.shown("predictNext(model, context: [\"w1\"], count: 20, vocabulary: words).map { $0.probability }"
            + ".reduce(0.0, +) > 0.99", in: session) == "true")
    }

    @Test func savingAndLoadingRestoresTheWeights() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let session = Self.makeSession(files: FileScope(lessonFolder: directory.url))
        let path = "tiny.safetensors"
        try Self.run(Self.tinySetup, in: session)
        let saved = try Self.shown("save(model, to: \"\(path)\")\nperplexity(model, data)", in: session)
        try Self.run("runEpoch(model, data, learningRate: 1.0)", in: session)
        #expect(try Self.shown("perplexity(model, data)", in: session) != saved)
        try Self.run("load(model, from: \"\(path)\")", in: session)
        #expect(try Self.shown("perplexity(model, data)", in: session) == saved)
        #expect(FileManager.default.fileExists(atPath: directory.url.appendingPathComponent(path).path),
                "a relative path is relative to the lesson's folder, not the working directory")
    }

    @Test func aTimeLimitStopsAnEpochAndTheSessionCarriesOn() throws {
        let session = Self.makeSession()
        try Self.run("""
            let (trainData, _, _, _, _) = ptbRawData()
            let model = PTBModel(ModelConfig(hiddenSizes: [4], embeddingSize: 4, batchSize: 2, numSteps: 3))
            """, in: session)
        session.timeLimit = 0.5
        let stopped = session.run(try CellParser.parse("runEpoch(model, trainData, learningRate: 1.0, verbose: true)"))
        #expect(stopped.error?.phase == .interrupted)
        #expect(stopped.error?.message == "the cell ran past its time limit of 0.5 s")
        session.timeLimit = nil
        #expect(try Self.shown("runEpoch(model, trainData[0..<100], learningRate: 1.0) > 1", in: session) == "true")
    }

    // MARK: Cells, states and tensors on small shapes

    @Test func cellsBuildLazilyAndStepOneAtATime() throws {
        let session = Self.makeSession()
        try Self.run("""
            let cell = BasicLSTMCell(units: 3, forgetBias: 0.0)
            let state = cell.zeroState(batchSize: 2)
            """, in: session)
        #expect(try Self.shown("state", in: session) == """
            LSTMStateTuple(c=array([[0., 0., 0.],
                   [0., 0., 0.]], dtype=float32), h=array([[0., 0., 0.],
                   [0., 0., 0.]], dtype=float32))
            """)
        #expect(try Self.shown("cell.inputSize", in: session) == "nil")
        try Self.run("let (h, next) = cell(ones(shape: [2, 4]), state: state)", in: session)
        #expect(try Self.shown("cell.inputSize", in: session) == "Optional(4)")
        #expect(try Self.shown("cell.kernel.shape", in: session) == "[7, 12]")
        #expect(try Self.shown("h.shape", in: session) == "[2, 3]")
        #expect(try Self.shown("next.c.shape", in: session) == "[2, 3]")
        #expect(try Self.shown("BasicLSTMCell(units: 4, inputSize: 2).kernel.shape", in: session) == "[6, 16]")
    }

    @Test func tensorsDisplayAsNumpyAndComputeEagerly() throws {
        let session = Self.makeSession()
        try Self.run("let a = Tensor([[1, 2], [3, 4]])", in: session)
        #expect(try Self.shown("a", in: session) == "array([[1., 2.],\n       [3., 4.]], dtype=float32)")
        #expect(try Self.shown("a.shape", in: session) == "[2, 2]")
        #expect(try Self.shown("a[1]", in: session) == "array([3., 4.], dtype=float32)")
        #expect(try Self.shown("a[0, 1]", in: session) == "2.0")
        #expect(try Self.shown("matmul(a, a)", in: session) == "array([[ 7., 10.],\n       [15., 22.]], dtype=float32)")
        #expect(try Self.shown("a * 2 + 1", in: session) == "array([[3., 5.],\n       [7., 9.]], dtype=float32)")
        #expect(try Self.shown("1 - a", in: session) == "array([[ 0., -1.],\n       [-2., -3.]], dtype=float32)")
        #expect(try Self.shown("a / 2.0", in: session) == "array([[0.5, 1. ],\n       [1.5, 2. ]], dtype=float32)")
        #expect(try Self.shown("-a[0]", in: session) == "array([-1., -2.], dtype=float32)")
        #expect(try Self.shown("a.reshape([4])", in: session) == "array([1., 2., 3., 4.], dtype=float32)")
        #expect(try Self.shown("a.argmax(axis: 1)", in: session) == "array([1, 1], dtype=int32)")
        #expect(try Self.shown("zeros(shape: [2])", in: session) == "array([0., 0.], dtype=float32)")
        #expect(try Self.shown("constant([1, 2])", in: session) == "array([1, 2], dtype=int32)")
        #expect(try Self.shown("constant(0.5, shape: [2])", in: session) == "array([0.5, 0.5], dtype=float32)")
        #expect(try Self.shown("reduceSum(a)", in: session) == "10.0")
        #expect(try Self.shown("reduceMean(a, axis: 0)", in: session) == "array([2., 3.], dtype=float32)")
        #expect(try Self.shown("randomUniform(shape: [3], minval: -1, maxval: 1, seed: 7) == randomUniform(shape: [3], "
            + "minval: -1, maxval: 1, seed: 7)", in: session) == "true")
        #expect(try Self.shown("softmax(Tensor([0.0, 0.0]))", in: session) == "array([0.5, 0.5], dtype=float32)")
        let rows = try Self.run("for row in a { print(row) }", in: session)
        #expect(rows.output == "array([1., 2.], dtype=float32)\narray([3., 4.], dtype=float32)\n")
        let batches = try Self.run("""
            var count = 0
            for (x, y) in ptbIterator(IntTensor(Array(0..<41)), batchSize: 2, numSteps: 5) { count += 1 }
            print(count)
            """, in: session)
        #expect(batches.output == "3\n")
    }

    // MARK: Argument errors: the case files in Cases/ModelAPI run in CaseRunnerTests.

    /// Mutated model-API cells (lines dropped, duplicated, swapped, fragments spliced in)
    /// never trap or hang; a diagnostic is a fine outcome.
    @Test func mutatedModelAPICellsNeverTrapOrHang() throws {
        var corpus: [String] = []
        let folder = CaseRunnerTests.Folder.modelAPI
        for name in folder.files {
            let text = try String(contentsOf: folder.url.appendingPathComponent(name), encoding: .utf8)
            corpus += CaseFile(text).cells.map(\.source)
        }
        var generator = SplitMix64(seed: 0xA11_CE11)
        var session = Self.makeSession()
        for index in 0..<3_000 {
            if index % 100 == 0 { session = Self.makeSession() }
            session.stepLimit = 3_000
            session.timeLimit = 10
            let source = FuzzTests.mutate(corpus, using: &generator)
            guard let program = try? CellParser.parse(source) else { continue }
            let started = Date()
            _ = session.run(program)
            let seconds = Date().timeIntervalSince(started)
            #expect(seconds < 5, "case \(index) took \(seconds) s:\n\(source)")
        }
    }
}
