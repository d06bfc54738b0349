/// What `Tensor` (Float32) and `IntTensor` (Int32) share: a row-major array of
/// scalars with a shape, and the shape-only operations on it (checked
/// construction, reshaping, indexing and slicing along an axis).
public protocol ShapedArray: Sendable, Equatable {
    associatedtype Scalar: Numeric & Sendable
    /// Extent of each axis, outermost first.
    var shape: [Int] { get }
    /// The elements in row-major order; `scalars.count == Shape.count(shape)`.
    var scalars: [Scalar] { get }
    /// Wraps scalars whose count the caller has already checked against `shape`.
    init(uncheckedShape shape: [Int], scalars: [Scalar])
}

extension ShapedArray {
    /// Wraps `scalars` with `shape`; the counts must agree.
    /// - Throws: `TensorError.invalidShape`, or `.shapeSizeMismatch` when they disagree.
    public init(shape: [Int], scalars: [Scalar]) throws {
        try Shape.validate(shape)
        guard Shape.count(shape) == scalars.count else {
            throw TensorError.shapeSizeMismatch(shape: shape, count: scalars.count)
        }
        self.init(uncheckedShape: shape, scalars: scalars)
    }

    /// Number of axes.
    public var rank: Int { shape.count }

    /// Number of elements.
    public var count: Int { scalars.count }

    /// The same scalars seen with another shape of equal size. One extent may be `-1`,
    /// meaning "whatever is left", as in numpy.
    /// - Throws: `TensorError.invalidReshape` when the sizes cannot agree.
    public func reshaped(_ newShape: [Int]) throws -> Self {
        Self(uncheckedShape: try Shape.resolveReshape(from: shape, to: newShape), scalars: scalars)
    }

    /// The sub-array at `index` along axis 0 (numpy's `x[i]`); the axis is removed.
    /// - Throws: `TensorError.indexOutOfRange` (negative indices are rejected, as in Swift).
    public func element(at index: Int) throws -> Self {
        guard rank >= 1 else { throw TensorError.rankMismatch(operation: "subscript", expected: "at least rank 1", got: shape) }
        guard index >= 0, index < shape[0] else { throw TensorError.indexOutOfRange(index: index, extent: shape[0]) }
        let inner = count / Swift.max(shape[0], 1)
        return Self(uncheckedShape: Array(shape.dropFirst()), scalars: Array(scalars[(index * inner)..<((index + 1) * inner)]))
    }

    /// The elements `range` along `axis` (numpy's `x[:, a:b]` for axis 1).
    /// - Throws: `TensorError.rangeOutOfBounds`, `TensorError.axisOutOfRange`.
    public func slice(axis: Int = 0, _ range: Range<Int>) throws -> Self {
        let plan = try Shape.slicePlan(shape, axis: axis, range)
        var out: [Scalar] = []
        out.reserveCapacity(Shape.count(plan.shape))
        for run in plan.runs { out.append(contentsOf: scalars[run]) }
        return Self(uncheckedShape: plan.shape, scalars: out)
    }
}
