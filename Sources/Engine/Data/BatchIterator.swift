import Tensor

// Shapes:
//   N = number of ids, B = batchSize, T = numSteps, L = batchLength = N / B
//   data: [B, L]  (row r = ids r*L ..< (r+1)*L; the last N - B*L ids are dropped)
//   x, y: [B, T]  (window i: columns i*T ..< (i+1)*T, and the same shifted right by one)

/// Mini-batches of a word-id sequence, as reader.py's `ptb_iterator` yields them.
///
/// The ids are cut into `batchSize` contiguous rows, so each row of a batch carries on
/// the text of the same row in the previous batch; that is what lets an LSTM pass its
/// state from one batch to the next. Window `i` gives the inputs `x = data[:, i*T ..< (i+1)*T]`
/// and the targets `y = data[:, i*T+1 ..< (i+1)*T+1]`, the next word at every position.
///
/// There are `epochSize = (batchLength - 1) / numSteps` windows: 774 for the PTB
/// training ids at batch size 60 and 20 steps.
public struct BatchIterator: IteratorProtocol, Sequence, Sendable {
    /// One window: inputs `x` and targets `y`, both `[batchSize, numSteps]`.
    public typealias Element = (x: IntTensor, y: IntTensor)

    /// Rows per batch (B).
    public let batchSize: Int
    /// Time steps per window (T).
    public let numSteps: Int
    /// Ids per row (L = count / batchSize).
    public let batchLength: Int
    /// Windows per pass over the data: `(batchLength - 1) / numSteps`.
    public let epochSize: Int
    /// Index of the window `next()` returns, `0...epochSize`.
    public private(set) var position = 0

    /// The ids the windows are cut from, as given to `init` (a saved session stores them).
    public let ids: [Int32]

    /// Prepares an epoch over `ids`.
    /// - Parameters:
    ///   - ids: word ids, e.g. `PTBData.train`.
    ///   - batchSize: rows per batch (B), at least 1.
    ///   - numSteps: time steps per window (T), at least 1.
    /// - Throws: `EngineError.invalidBatchShape` when either is below 1; `EngineError.emptyEpoch`
    ///   when the rows are too short for one window (reader.py's "decrease batch_size or num_steps").
    public init(ids: [Int32], batchSize: Int, numSteps: Int) throws {
        guard batchSize >= 1, numSteps >= 1 else {
            throw EngineError.invalidBatchShape(batchSize: batchSize, numSteps: numSteps)
        }
        let batchLength = ids.count / batchSize
        let epochSize = (batchLength - 1) / numSteps
        guard batchLength >= 1, epochSize >= 1 else {
            throw EngineError.emptyEpoch(idCount: ids.count, batchSize: batchSize, numSteps: numSteps)
        }
        self.ids = ids
        self.batchSize = batchSize
        self.numSteps = numSteps
        self.batchLength = batchLength
        self.epochSize = epochSize
    }

    /// Moves to window `position`, so the next `next()` returns that window; `epochSize`
    /// means the epoch is over. Restores an iterator saved part way through an epoch.
    /// - Throws: `EngineError.windowOutOfRange` unless `0 <= position <= epochSize`.
    public mutating func seek(to position: Int) throws {
        guard position >= 0, position <= epochSize else {
            throw EngineError.windowOutOfRange(index: position, epochSize: epochSize)
        }
        self.position = position
    }

    /// The next window, or nil after `epochSize` windows.
    public mutating func next() -> Element? {
        guard position < epochSize else { return nil }
        let window = self.window(position)
        position += 1
        return window
    }

    /// Window `index` (0-based), regardless of the iteration position.
    /// - Throws: `EngineError.windowOutOfRange` unless `0 <= index < epochSize`.
    public func window(at index: Int) throws -> Element {
        guard index >= 0, index < epochSize else {
            throw EngineError.windowOutOfRange(index: index, epochSize: epochSize)
        }
        return window(index)
    }

    private func window(_ index: Int) -> Element {
        let count = batchSize * numSteps
        var x = [Int32](repeating: 0, count: count)
        var y = [Int32](repeating: 0, count: count)
        ids.withUnsafeBufferPointer { data in
            for row in 0..<batchSize {
                // x = data[row, i*T ..< (i+1)*T];  y = data[row, i*T+1 ..< (i+1)*T+1]
                let start = row * batchLength + index * numSteps
                for step in 0..<numSteps {
                    x[row * numSteps + step] = data[start + step]
                    y[row * numSteps + step] = data[start + step + 1]
                }
            }
        }
        return (Self.matrix(x, batchSize, numSteps), Self.matrix(y, batchSize, numSteps))
    }

    private static func matrix(_ scalars: [Int32], _ rows: Int, _ columns: Int) -> IntTensor {
        do {
            return try IntTensor(shape: [rows, columns], scalars: scalars)
        } catch {
            preconditionFailure("a \(rows)x\(columns) window holds \(scalars.count) ids")
        }
    }
}
