/// Sums, means, maxima and argmax, over everything or along one axis.
extension Tensor {
    /// Sum of all elements (accumulated in Double so long sums stay accurate).
    public func sum() -> Float {
        var total = 0.0
        for x in scalars { total += Double(x) }
        return Float(total)
    }

    /// Mean of all elements.
    /// - Throws: `TensorError.empty` for an empty tensor.
    public func mean() throws -> Float {
        guard count > 0 else { throw TensorError.empty(operation: "mean") }
        return sum() / Float(count)
    }

    /// Resolves a possibly negative axis (`-1` = last) against this tensor's rank.
    public func normalizedAxis(_ axis: Int, operation: String) throws -> Int {
        let resolved = axis < 0 ? axis + rank : axis
        guard resolved >= 0, resolved < rank else {
            throw TensorError.axisOutOfRange(operation: operation, axis: axis, rank: rank)
        }
        return resolved
    }

    /// Splits the shape around `axis` into (outer, extent, inner) counts.
    func around(_ axis: Int) -> (outer: Int, extent: Int, inner: Int) {
        (Shape.count(Array(shape[..<axis])), shape[axis], Shape.count(Array(shape[(axis + 1)...])))
    }

    /// Reduces along `axis` with `combine`, starting from `initial` or, without one, from each
    /// slice's first element (an empty axis then has nothing to start from and throws).
    func reduce(axis: Int, operation: String, initial: Float? = nil, _ combine: (Float, Float) -> Float) throws -> Tensor {
        let axis = try normalizedAxis(axis, operation: operation)
        let (outer, extent, inner) = around(axis)
        guard extent > 0 || initial != nil else { throw TensorError.empty(operation: operation) }
        let first = initial == nil ? 1 : 0
        var out = [Float](repeating: 0, count: outer * inner)
        for o in 0..<outer {
            for i in 0..<inner {
                var acc = initial ?? scalars[o * extent * inner + i]
                for k in first..<Swift.max(extent, first) { acc = combine(acc, scalars[(o * extent + k) * inner + i]) }
                out[o * inner + i] = acc
            }
        }
        var newShape = shape
        newShape.remove(at: axis)
        return Tensor(uncheckedShape: newShape, scalars: out)
    }

    /// Sum along `axis` (removed from the shape); zeros when the axis is empty, as numpy.
    public func sum(axis: Int) throws -> Tensor { try reduce(axis: axis, operation: "sum", initial: 0, +) }

    /// Mean along `axis` (removed from the shape).
    public func mean(axis: Int) throws -> Tensor {
        let axis = try normalizedAxis(axis, operation: "mean")
        let total = try sum(axis: axis)
        return total * (1 / Float(shape[axis]))
    }

    /// Maximum along `axis` (removed from the shape). A NaN anywhere in a slice makes its
    /// maximum NaN, as in numpy.
    public func max(axis: Int) throws -> Tensor {
        try reduce(axis: axis, operation: "max") { best, x in best.isNaN || x.isNaN ? .nan : Swift.max(best, x) }
    }

    /// Index of the largest element along `axis`: the first one on ties, and the first NaN
    /// when there is one, as numpy.
    public func argmax(axis: Int) throws -> IntTensor {
        let axis = try normalizedAxis(axis, operation: "argmax")
        let (outer, extent, inner) = around(axis)
        guard extent > 0 else { throw TensorError.empty(operation: "argmax") }
        var out = [Int32](repeating: 0, count: outer * inner)
        for o in 0..<outer {
            for i in 0..<inner {
                var best = 0
                for k in 1..<Swift.max(extent, 1) {
                    let (current, candidate) = (scalars[(o * extent + best) * inner + i], scalars[(o * extent + k) * inner + i])
                    if current.isNaN { break }
                    if candidate.isNaN || candidate > current { best = k }
                }
                out[o * inner + i] = Int32(best)
            }
        }
        var newShape = shape
        newShape.remove(at: axis)
        return IntTensor(uncheckedShape: newShape, scalars: out)
    }

    /// Softmax along the last axis, computed stably (max subtracted first).
    /// - Throws: `TensorError.rankMismatch` for a scalar.
    public func softmax() throws -> Tensor {
        guard rank >= 1, let width = shape.last, width > 0 else {
            throw TensorError.rankMismatch(operation: "softmax", expected: "at least one non-empty axis", got: shape)
        }
        var out = scalars
        out.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for row in 0..<(buffer.count / width) {
                _ = Softmax.normalizeRow(base + row * width, width: width)
            }
        }
        return Tensor(uncheckedShape: shape, scalars: out)
    }
}
