import Engine
import Foundation
import Tensor
import Testing

/// `BatchIterator` against reader.py's `ptb_iterator` (numpy), on ids 0..<N so
/// every slicing mistake shows.
@Suite("Batch iterator")
struct BatchIteratorTests {
    private struct Reference: Decodable {
        let x: [[[Int32]]]
        let y: [[[Int32]]]
    }

    @Test("windows match ptb_iterator", arguments: [
        (100, 4, 5), (101, 3, 7), (23, 2, 10), (120, 60, 1), (1000, 1, 35), (47, 5, 2),
    ] as [(Int, Int, Int)])
    func matchesReference(count: Int, batchSize: Int, numSteps: Int) throws {
        let ids = (0..<count).map { Int32($0) }
        let reference = try PTBReference.run("""
            batches = list(ptb_iterator(list(range(\(count))), \(batchSize), \(numSteps)))
            print(json.dumps({"x": [x.tolist() for x, _ in batches], "y": [y.tolist() for _, y in batches]}))
            """, as: Reference.self)
        let iterator = try BatchIterator(ids: ids, batchSize: batchSize, numSteps: numSteps)
        #expect(iterator.epochSize == reference.x.count)
        let windows = Array(iterator)
        #expect(windows.count == reference.x.count)
        for (index, window) in windows.enumerated() {
            #expect(window.x.shape == [batchSize, numSteps])
            #expect(window.y.shape == [batchSize, numSteps])
            #expect(window.x.scalars == reference.x[index].flatMap { $0 }, "x of window \(index)")
            #expect(window.y.scalars == reference.y[index].flatMap { $0 }, "y of window \(index)")
            #expect(try iterator.window(at: index).x == window.x)
        }
    }

    @Test("rows too short for one window are an error that says what to change")
    func emptyEpoch() throws {
        let ids = (0..<20).map { Int32($0) }
        // 2 rows of 10 ids: a window of 10 steps needs an 11th id for its last target.
        #expect(throws: EngineError.emptyEpoch(idCount: 20, batchSize: 2, numSteps: 10)) {
            try BatchIterator(ids: ids, batchSize: 2, numSteps: 10)
        }
        #expect(try BatchIterator(ids: ids, batchSize: 2, numSteps: 9).epochSize == 1)
        #expect(throws: EngineError.emptyEpoch(idCount: 20, batchSize: 21, numSteps: 1)) {
            try BatchIterator(ids: ids, batchSize: 21, numSteps: 1)
        }
        #expect(throws: EngineError.emptyEpoch(idCount: 0, batchSize: 1, numSteps: 1)) {
            try BatchIterator(ids: [], batchSize: 1, numSteps: 1)
        }
        let message = EngineError.emptyEpoch(idCount: 20, batchSize: 2, numSteps: 10).description
        #expect(message.contains("smaller batch size") && message.contains("fewer steps"))
    }

    @Test("a batch size or step count below 1 is an error", arguments: [(0, 5), (5, 0), (-1, 5), (5, -3)])
    func invalidShape(batchSize: Int, numSteps: Int) {
        #expect(throws: EngineError.invalidBatchShape(batchSize: batchSize, numSteps: numSteps)) {
            try BatchIterator(ids: [1, 2, 3], batchSize: batchSize, numSteps: numSteps)
        }
    }

    @Test("window(at:) outside the epoch is an error; next() ends after epochSize")
    func windowBounds() throws {
        var iterator = try BatchIterator(ids: (0..<30).map { Int32($0) }, batchSize: 2, numSteps: 4)
        #expect(iterator.epochSize == 3)
        #expect(throws: EngineError.windowOutOfRange(index: 3, epochSize: 3)) { try iterator.window(at: 3) }
        #expect(throws: EngineError.windowOutOfRange(index: -1, epochSize: 3)) { try iterator.window(at: -1) }
        var count = 0
        while iterator.next() != nil { count += 1 }
        #expect(count == 3)
        #expect(iterator.next() == nil)
    }
}
