import Foundation
import Testing
import Tensor
@testable import CellScript

/// Bytes that are not a saved session are a `.malformed` error, never a trap or a huge
/// allocation; random corruption either fails cleanly or reads as some session.
@Suite struct SessionStateCorruptionTests {
    /// A small saved session holding every kind of object.
    static func savedSession() throws -> Data {
        let session = SessionStateTests.modelSession()
        _ = try SessionStateTests.run("""
            let ids = [\(SessionStateTests.ids(40, vocabulary: 5))]
            let model = PTBModel(ModelConfig(numSteps: 2, hiddenSizes: [3], embeddingSize: 2, batchSize: 2, vocabularySize: 5))
            _ = runEpoch(model, ids, learningRate: 1.0)
            var batches = ptbIterator(ids, batchSize: 2, numSteps: 2)
            let stack = MultiRNNCell([BasicLSTMCell(units: 2, inputSize: 2), BasicLSTMCell(units: 2)])
            let state = LSTMStateTuple(c: zeros(shape: [1, 2]), h: ones(shape: [1, 2]))
            let mixed = (a: [1: "x"], b: [2.5].first, c: 1...3, d: print, e: IntTensor([1, 2]))
            let optimizer = GradientDescentOptimizer(learningRate: 0.5)
            let words = generatedCorpus(sentences: 10).vocabulary
            """, in: session)
        return try session.exportState()
    }

    static func isMalformed(_ bytes: [UInt8], into session: Session) -> Bool {
        do {
            try session.importState(Data(bytes))
            return false
        } catch {
            if case .malformed = error { return true }
            return false
        }
    }

    @Test func truncationsAreMalformed() throws {
        let saved = Array(try Self.savedSession())
        let session = SessionStateTests.modelSession()
        #expect(Self.isMalformed([], into: session))
        // Every prefix up to 600 bytes, then every 7th: each must be refused.
        let cuts = Array(0..<min(600, saved.count)) + Array(stride(from: 600, to: saved.count, by: 7))
        for cut in cuts where !Self.isMalformed(Array(saved[..<cut]), into: session) {
            Issue.record("a session cut to \(cut) of \(saved.count) bytes was not refused")
            return
        }
        #expect(Self.isMalformed(saved + [0], into: session), "trailing bytes")
        try session.importState(Data(saved))
        #expect(session.value(of: "model") != nil)
    }

    @Test func wrongMagicVersionAndLibrariesAreMalformed() throws {
        let saved = Array(try Self.savedSession())
        let session = SessionStateTests.modelSession()
        var magic = saved
        magic[0] = UInt8(ascii: "X")
        #expect(Self.isMalformed(magic, into: session))
        for other: UInt8 in [1, 3] {
            var version = saved
            version[8] = other
            #expect(Self.isMalformed(version, into: session), "version \(other)")
        }
        #expect(Self.isMalformed(saved, into: Session()), "a session without the model API")
    }

    @Test func absurdLengthsAreRefusedWithoutAllocating() throws {
        let header = Array("LSNSTATE".utf8) + [1, 0, 0, 0]
        let session = SessionStateTests.modelSession()
        let huge: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF]
        #expect(Self.isMalformed(header + huge, into: session), "object count")
        // One variable whose name claims 4 GB.
        #expect(Self.isMalformed(header + [1, 0, 0, 0, 1, 1] + huge, into: session), "name length")
        // One unnamed variable whose shape claims 2^32 x 2^32 elements.
        #expect(Self.isMalformed(header + [1, 0, 0, 0, 1, 0, 2, 0, 0, 0] + huge + huge, into: session), "tensor shape")
        // A reference to an object that is not there.
        let tensorEntry: [UInt8] = [2, 0, 0, 0] + huge
        #expect(Self.isMalformed(header + [1, 0, 0, 0] + tensorEntry, into: session), "dangling reference")
        // Values nested deeper than the reader allows.
        let deep = [UInt8](repeating: ValueTag.some.rawValue, count: 100_000) + [ValueTag.none.rawValue]
        let global: [UInt8] = [1, 0, 0, 0, 1, 0, 0, 0, UInt8(ascii: "x"), 0]
        #expect(Self.isMalformed(header + [0, 0, 0, 0] + global + deep + [1, 0, 0, 0], into: session), "deep nesting")
    }

    @Test func randomCorruptionNeverTraps() throws {
        let saved = Array(try Self.savedSession())
        let session = SessionStateTests.modelSession()
        var generator = RandomGenerator(seed: 2026)
        var refused = 0
        for round in 0..<400 {
            var bytes = saved
            for _ in 0...(round % 4) {
                let position = Int(generator.next() % UInt64(bytes.count))
                bytes[position] = UInt8(truncatingIfNeeded: generator.next())
            }
            do {
                try session.importState(Data(bytes))
            } catch {
                refused += 1
            }
        }
        // Most positions hold lengths, tags, references or checked values.
        #expect(refused > 50)
    }
}
