import Limits
/// Shape arithmetic shared by every tensor type.
public enum Shape {
    /// Product of the extents; 1 for a scalar.
    public static func count(_ shape: [Int]) -> Int {
        shape.reduce(1, *)
    }

    /// Row-major strides of `shape`, in elements.
    public static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var step = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = step
            step *= shape[axis]
        }
        return strides
    }

    /// Rejects negative extents and shapes whose extents multiply past `Int`, zeros left out:
    /// the loops over a shape multiply any run of its extents (rows before an axis, columns
    /// after it), and `[0, 4294967295, 4294967295]` holds no value but overflows those.
    public static func validate(_ shape: [Int]) throws(TensorError) {
        var total = 1
        for extent in shape {
            guard extent >= 0 else { throw TensorError.invalidShape(shape) }
            let (product, overflow) = total.multipliedReportingOverflow(by: Swift.max(extent, 1))
            guard !overflow else { throw TensorError.invalidShape(shape) }
            total = product
        }
    }

    /// Checks a new array of `shape` (valid, and its bytes within the memory budget) before it
    /// is allocated.
    /// - Parameters:
    ///   - scalarSize: bytes per element (4 for Float32 and Int32).
    ///   - what: what the array is, for the message (`matmul: the result [100000, 100000]`).
    /// - Throws: `TensorError.invalidShape`, `MemoryLimitError`.
    public static func reserve(_ shape: [Int], scalarSize: Int = 4, for what: @autoclosure () -> String) throws {
        try validate(shape)
        try MemoryBudget.reserve(count: count(shape), stride: scalarSize, for: what())
    }

    /// Resolves a numpy-style reshape target (at most one `-1`) against `shape`.
    static func resolveReshape(from shape: [Int], to target: [Int]) throws -> [Int] {
        let total = count(shape)
        let unknown = target.indices.filter { target[$0] == -1 }
        guard unknown.count <= 1, target.allSatisfy({ $0 >= -1 }) else {
            throw TensorError.invalidReshape(from: shape, to: target)
        }
        var resolved = target
        if let axis = unknown.first {
            let known = target.filter { $0 != -1 }.reduce(1, *)
            guard known > 0, total % known == 0 else { throw TensorError.invalidReshape(from: shape, to: target) }
            resolved[axis] = total / known
        }
        guard count(resolved) == total, (try? validate(resolved)) != nil else {
            throw TensorError.invalidReshape(from: shape, to: target)
        }
        return resolved
    }

    /// The numpy broadcast of two shapes, aligned at the trailing axis.
    /// - Throws: `TensorError.shapeMismatch` when an axis pair is neither equal nor 1.
    public static func broadcast(_ a: [Int], _ b: [Int], operation: String) throws -> [Int] {
        let rank = max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let x = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let y = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            guard x == y || x == 1 || y == 1 else {
                throw TensorError.shapeMismatch(operation: operation, lhs: a, rhs: b)
            }
            result[i] = x == 1 ? y : x
        }
        return result
    }

    /// The result shape of slicing `range` along `axis`, and the contiguous runs of
    /// source offsets that make it up, in order.
    /// - Throws: `TensorError.axisOutOfRange`, `TensorError.rangeOutOfBounds`.
    static func slicePlan(_ shape: [Int], axis: Int, _ range: Range<Int>) throws -> (shape: [Int], runs: [Range<Int>]) {
        let resolved = axis < 0 ? axis + shape.count : axis
        guard resolved >= 0, resolved < shape.count else {
            throw TensorError.axisOutOfRange(operation: "slice", axis: axis, rank: shape.count)
        }
        let extent = shape[resolved]
        guard range.lowerBound >= 0, range.upperBound <= extent else {
            throw TensorError.rangeOutOfBounds(lower: range.lowerBound, upper: range.upperBound, extent: extent)
        }
        let outer = count(Array(shape[..<resolved]))
        let inner = count(Array(shape[(resolved + 1)...]))
        let runs = (0..<outer).map { o -> Range<Int> in
            let start = (o * extent + range.lowerBound) * inner
            return start..<(start + range.count * inner)
        }
        var result = shape
        result[resolved] = range.count
        return (result, runs)
    }
}
