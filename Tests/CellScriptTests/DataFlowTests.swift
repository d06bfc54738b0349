import Testing
import TestSupport
@testable import CellScript
@testable import ModelAPI

/// The data flow a cell records as it runs: the globals it read before writing them and the
/// ones it wrote, by name, through functions, through in-place mutation, through objects shared
/// by several names, and the model API's session state (its random generator) as `#ModelAPI`.
@Suite struct DataFlowTests {
    /// Runs `cells` in one session and returns each cell's data flow; a failing cell fails the test.
    static func flows(_ cells: [String], sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> [CellDataFlow] {
        let session = Session(libraries: [ModelAPI()])
        return try cells.map { source in
            let result = session.run(try CellParser.parse(source))
            if let error = result.error { Issue.record("cell failed: \(error.message)\n\(source)", sourceLocation: sourceLocation) }
            return result.dataFlow
        }
    }

    @Test func namesReadBeforeWrittenAndNamesWritten() throws {
        let flows = try Self.flows([
            "let a = 1",
            "let b = a + 1",
            "var c = 0\nc += b",
            "var n = 1",
            "n = n + 1",
            "let fresh = 5\nlet copy = fresh",
        ])
        #expect(flows[0].writes == ["a"] && flows[0].reads.isEmpty)
        #expect(flows[1].reads == ["a"] && flows[1].writes == ["b"])
        #expect(flows[2].reads == ["b"] && flows[2].writes == ["c"], "c is written before it is read")
        #expect(flows[4].reads == ["n"] && flows[4].writes == ["n"], "a cell may read and write one name")
        #expect(flows[5].reads.isEmpty && flows[5].writes == ["fresh", "copy"])
    }

    @Test func functionsReadTheGlobalsTheirBodiesReadAndInPlaceChangesAreWrites() throws {
        let flows = try Self.flows([
            "let k = 3\nvar xs = [1]",
            "func f() -> Int { k * 2 }",
            "let y = f()",
            "xs.append(2)",
            "func grow() { xs.append(3) }\ngrow()",
            "var local = 0\nfor i in 0..<3 { local += i }",
        ])
        #expect(flows[1].writes == ["f"] && flows[1].reads.isEmpty, "declaring a function reads nothing")
        #expect(flows[2].reads == ["f", "k"] && flows[2].writes == ["y"])
        #expect(flows[3].reads == ["xs"] && flows[3].writes == ["xs"])
        #expect(flows[4].writes == ["grow", "xs"])
        #expect(flows[5].writes == ["local"] && !flows[5].reads.contains("i"), "loop variables are not globals")
    }

    @Test func aNameLookedUpBeforeAnyCellBindsItIsARead() throws {
        let flows = try Self.flows(["let size = 2\nprint(size)"])
        #expect(flows[0].reads.contains("print"), "a later `func print` would change what this cell does")
        #expect(!flows[0].reads.contains("size"))
    }

    @Test func objectsChangedInPlaceAreWritesOfEveryNameThatReachesThem() throws {
        let flows = try Self.flows([
            "let v = Variable([1.0, 2.0])\nlet w = v\nlet list = [v]\nlet other = Variable([5.0])",
            "v.assign([3.0, 4.0])",
            "let total = reduceSum(w)",
            "let data = generatedCorpus(sentences: 20)\nlet batches = ptbIterator(data.train, batchSize: 2, numSteps: 2)\nlet same = batches",
            "let first = batches.next()",
        ])
        #expect(flows[1].writes.isSuperset(of: ["v", "w", "list"]), "\(flows[1].writes)")
        #expect(!flows[1].writes.contains("other"))
        #expect(flows[2].reads.contains("w") && !flows[2].writes.contains("w") && !flows[2].writes.contains("v"),
                "reading an object does not write it")
        #expect(flows[4].writes.isSuperset(of: ["first", "batches", "same"]), "\(flows[4].writes)")
        #expect(!flows[4].writes.contains("data"))
    }

    @Test func theModelAPIsStateIsReadAndWrittenPartByPart() throws {
        let flows = try Self.flows([
            "let r = randomUniform(shape: [2])",
            "let z = zeros(shape: [2])",
            "let s = randomUniform(shape: [2], seed: 4)",
            "let plain = 1 + 2",
            "let t = randomUniform(shape: [3])",
            "let corpus = generatedCorpus(sentences: 20)",
            "let words = idToWord([0, 1])",
            "let v = Variable([1.0])",
            "let all = trainableVariables()",
        ])
        let generator = "#ModelAPI.generator", variables = "#ModelAPI.variables", data = "#ModelAPI.data"
        #expect(flows[0].writes.contains(generator) && flows[0].reads.contains(generator))
        #expect(flows[1].reads.allSatisfy { !$0.hasPrefix("#") } && flows[1].writes == ["z"],
                "zeros touches none of the library's state")
        #expect(!flows[2].reads.contains(generator) && !flows[2].writes.contains(generator),
                "an explicit seed leaves the session's generator alone")
        #expect(flows[3].reads.isEmpty && flows[3].writes == ["plain"])
        #expect(flows[0].changes(for: flows[4]) == [generator])
        #expect(flows[5].writes.contains(data) && !flows[5].writes.contains(generator))
        #expect(flows[6].reads.contains(data) && !flows[6].reads.contains(variables) && !flows[6].reads.contains(generator),
                "idToWord reads the vocabulary only")
        #expect(flows[7].writes.contains(variables) && flows[7].changes(for: flows[8]).contains(variables))
        #expect(CellDataFlow.readableName(generator) == "the ModelAPI generator")
    }

    @Test func aSessionRestoredFromAStateStillComparesObjects() throws {
        let session = Session(libraries: [ModelAPI()])
        _ = session.run(try CellParser.parse("let v = Variable([1.0])\nlet w = v"))
        let saved = try session.exportState()
        let restored = Session(libraries: [ModelAPI()])
        try restored.importState(saved)
        let flow = restored.run(try CellParser.parse("v.assign([2.0])")).dataFlow
        #expect(flow.writes.isSuperset(of: ["v", "w"]), "\(flow.writes)")
        let unchanged = restored.run(try CellParser.parse("let x = w")).dataFlow
        #expect(unchanged.writes == ["x"])
    }

    @Test func fingerprintsKeptWithAStateAreAdoptedAndStillSeeChanges() throws {
        let session = Session(libraries: [ModelAPI()])
        _ = session.run(try CellParser.parse("let v = Variable([1.0])\nlet w = v\nlet n = 3"))
        let saved = session.savedFingerprints
        #expect(Set(saved.keys).isSuperset(of: ["v", "w", "#ModelAPI.generator", "#ModelAPI.variables", "#ModelAPI.data"]))
        #expect(saved["n"] == nil, "plain values need no fingerprint: only names change them")
        let restored = Session(libraries: [ModelAPI()])
        try restored.importState(try session.exportState())
        restored.adoptFingerprints(saved)
        #expect(restored.run(try CellParser.parse("let x = w")).dataFlow.writes == ["x"], "nothing changed")
        #expect(restored.run(try CellParser.parse("let s = reduceSum(w)")).dataFlow.writes == ["s"],
                "a library call that changes nothing: the adopted fingerprints match the session's")
        #expect(restored.run(try CellParser.parse("v.assign([2.0])")).dataFlow.writes.isSuperset(of: ["v", "w"]))
    }
}
