import Foundation
import Testing
@testable import CellScript
@testable import ModelAPI

/// `Session.snapshot()`/`restore(_:)`: everything later cells change comes back as it was.
@Suite struct SessionSnapshotTests {
    private static func run(_ source: String, in session: Session) throws -> CellResult {
        let result = session.run(try CellParser.parse(source))
        if let error = result.error { Issue.record("cell failed: \(error.message)\n\(source)") }
        return result
    }

    private static func shown(_ source: String, in session: Session) throws -> String {
        try run(source, in: session).value?.displayText ?? "<no value>"
    }

    @Test func globalsComeBackAndLaterNamesGo() throws {
        let session = Session()
        _ = try Self.run("var a = 1\nvar list = [1, 2]", in: session)
        let snapshot = session.snapshot()
        _ = try Self.run("a = 5\nlist.append(3)\nlet b = 2", in: session)
        session.restore(snapshot)
        #expect(try Self.shown("a", in: session) == "1")
        #expect(try Self.shown("list", in: session) == "[1, 2]")
        #expect(session.value(of: "b") == nil)
        // A restored `let` is still a constant, a `var` still variable.
        _ = try Self.run("a += 1", in: session)
        #expect(try Self.shown("a", in: session) == "2")
    }

    @Test func variablesIteratorsAndTrainedModelsComeBack() throws {
        let session = Session(libraries: [ModelAPI()])
        let ids = (0..<120).map { String($0 % 6) }.joined(separator: ", ")
        _ = try Self.run("""
            let v = Variable([1.0, 2.0], name: "v")
            var batches = ptbIterator([\(ids)], batchSize: 2, numSteps: 3)
            let ids = [\(ids)]
            let model = PTBModel(ModelConfig(numSteps: 3, hiddenSizes: [4], embeddingSize: 3, batchSize: 2,
                                             vocabularySize: 6))
            let optimizer = GradientDescentOptimizer(learningRate: 0.5)
            let cell = BasicLSTMCell(units: 3)
            """, in: session)
        let before = try Self.shown("perplexity(model, ids)", in: session)
        let vBefore = try Self.shown("reduceSum(v)", in: session)
        let firstWindow = try Self.shown("batches.next()!.0", in: session)
        _ = try Self.run("var rewind = ptbIterator(ids, batchSize: 2, numSteps: 3)", in: session)
        let snapshot = session.snapshot()

        _ = try Self.run("""
            optimizer.apply([Tensor([1.0, 1.0])], to: [v])
            _ = batches.next()
            _ = train(model, data: (train: ids, valid: ids, test: ids), epochs: 1, verbose: false)
            _ = dynamicRNN(cell, zeros(shape: [2, 3, 5]), initialState: cell.zeroState(batchSize: 2))
            let extra = Variable([0.0], name: "extra")
            """, in: session)
        #expect(try Self.shown("perplexity(model, ids)", in: session) != before)
        #expect(try Self.shown("trainableVariables().count", in: session) == "9")
        #expect(try Self.shown("reduceSum(v)", in: session) != vBefore)

        session.restore(snapshot)
        #expect(try Self.shown("reduceSum(v)", in: session) == vBefore)
        #expect(try Self.shown("perplexity(model, ids)", in: session) == before)
        #expect(try Self.shown("batches.next()!.0", in: session) != firstWindow, "the iterator is past its first window")
        #expect(try Self.shown("rewind.next()!.0", in: session) == firstWindow)
        #expect(try Self.shown("trainableVariables().count", in: session) == "6")
    }
}
