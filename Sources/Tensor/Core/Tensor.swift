/// A dense, row-major Float32 tensor: a shape and its scalars.
///
/// `Tensor` is a value type (copy-on-write through its array). Rank 0 is a
/// scalar with shape `[]`. Operations that can fail on user input (shapes,
/// indices) throw `TensorError`; internal invariants are preconditions.
public struct Tensor: ShapedArray {
    /// Extent of each axis, outermost first.
    public private(set) var shape: [Int]
    /// The elements in row-major order; `scalars.count == shape.product`.
    public var scalars: [Float]

    /// For callers that have already checked the count against the shape.
    public init(uncheckedShape shape: [Int], scalars: [Float]) {
        precondition(Shape.count(shape) == scalars.count, "shape \(shape) does not hold \(scalars.count) scalars")
        self.shape = shape
        self.scalars = scalars
    }

    /// A tensor of `shape` filled with `value`.
    public init(repeating value: Float, shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in \(shape)")
        self.shape = shape
        self.scalars = [Float](repeating: value, count: Shape.count(shape))
    }

    /// A tensor of `shape` filled with `value`, its shape and size checked first (for shapes
    /// that come from users).
    /// - Throws: `TensorError.invalidShape`, `MemoryLimitError`.
    public static func filled(_ value: Float, shape: [Int]) throws -> Tensor {
        try Shape.reserve(shape, for: "a tensor of shape \(shape)")
        return Tensor(repeating: value, shape: shape)
    }

    /// A tensor of zeros of `shape`.
    public init(zeros shape: [Int]) {
        self.init(repeating: 0, shape: shape)
    }

    /// A rank-0 tensor holding `value`.
    public init(_ value: Float) {
        self.shape = []
        self.scalars = [value]
    }

    /// A rank-1 tensor of `values`.
    public init(_ values: [Float]) {
        self.shape = [values.count]
        self.scalars = values
    }

    /// The only element of a one-element tensor, else nil.
    public var scalar: Float? { scalars.count == 1 ? scalars[0] : nil }

    /// Calls `body` with the scalars' storage, read-only.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try scalars.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with the scalars' storage, writable.
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (inout UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        try scalars.withUnsafeMutableBufferPointer(body)
    }
}

/// A dense, row-major Int32 tensor (word ids, targets, argmax results).
public struct IntTensor: ShapedArray {
    /// Extent of each axis, outermost first.
    public private(set) var shape: [Int]
    /// The elements in row-major order.
    public var scalars: [Int32]

    /// For callers that have already checked the count against the shape.
    public init(uncheckedShape shape: [Int], scalars: [Int32]) {
        precondition(Shape.count(shape) == scalars.count, "shape \(shape) does not hold \(scalars.count) scalars")
        self.shape = shape
        self.scalars = scalars
    }

    /// A rank-1 tensor of `values`.
    public init(_ values: [Int32]) {
        self.shape = [values.count]
        self.scalars = values
    }

    /// The ids as Float32 values.
    public var asFloat: Tensor {
        Tensor(uncheckedShape: shape, scalars: scalars.map { Float($0) })
    }
}

extension Tensor {
    /// Calls `body` with a pointer to the first scalar (a pointer to a lone zero
    /// when the tensor is empty, so callers never unwrap).
    @inlinable
    public func withPointer<R>(_ body: (UnsafePointer<Float>) throws -> R) rethrows -> R {
        try scalars.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return try Swift.withUnsafePointer(to: Float(0)) { try body($0) } }
            return try body(base)
        }
    }

    /// Calls `body` with a mutable pointer to the first scalar; empty tensors call nothing
    /// and return nil.
    @inlinable
    public mutating func withMutablePointer<R>(_ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R? {
        try scalars.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return nil }
            return try body(base)
        }
    }
}
