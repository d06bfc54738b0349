/// Indexing, slicing, concatenation and splitting along an axis.
extension Tensor {
    /// Joins `tensors` along `axis`; all other extents must agree.
    /// - Throws: `TensorError.shapeMismatch`, `TensorError.empty`.
    public static func concatenate(_ tensors: [Tensor], axis: Int) throws -> Tensor {
        guard let first = tensors.first else { throw TensorError.empty(operation: "concatenate") }
        let axis = try first.normalizedAxis(axis, operation: "concatenate")
        for t in tensors.dropFirst() {
            var a = t.shape, b = first.shape
            guard a.count == b.count else { throw TensorError.shapeMismatch(operation: "concatenate", lhs: first.shape, rhs: t.shape) }
            a[axis] = 0
            b[axis] = 0
            guard a == b else { throw TensorError.shapeMismatch(operation: "concatenate", lhs: first.shape, rhs: t.shape) }
        }
        let outer = Shape.count(Array(first.shape[..<axis]))
        var shape = first.shape
        shape[axis] = tensors.reduce(0) { $0 + $1.shape[axis] }
        try Shape.reserve(shape, for: "concatenate: the result of shape \(shape)")
        var out = [Float]()
        out.reserveCapacity(tensors.reduce(0) { $0 + $1.count })
        for o in 0..<outer {
            for t in tensors {
                let chunk = t.count / Swift.max(outer, 1)
                out.append(contentsOf: t.scalars[(o * chunk)..<((o + 1) * chunk)])
            }
        }
        return Tensor(uncheckedShape: shape, scalars: out)
    }

    /// Cuts the tensor into `parts` equal pieces along `axis`.
    /// - Throws: `TensorError.shapeMismatch` when the extent is not divisible.
    public func split(parts: Int, axis: Int) throws -> [Tensor] {
        let axis = try normalizedAxis(axis, operation: "split")
        guard parts > 0, shape[axis] % parts == 0 else {
            throw TensorError.shapeMismatch(operation: "split into \(parts)", lhs: shape, rhs: [parts])
        }
        let width = shape[axis] / parts
        return try (0..<parts).map { try slice(axis: axis, ($0 * width)..<(($0 + 1) * width)) }
    }

    /// The transpose of a matrix.
    /// - Throws: `TensorError.rankMismatch` unless rank 2.
    public func transposed() throws -> Tensor {
        guard rank == 2 else { throw TensorError.rankMismatch(operation: "transpose", expected: "a matrix", got: shape) }
        let (rows, cols) = (shape[0], shape[1])
        var out = [Float](repeating: 0, count: count)
        for r in 0..<rows { for c in 0..<cols { out[c * rows + r] = scalars[r * cols + c] } }
        return Tensor(uncheckedShape: [cols, rows], scalars: out)
    }

    /// Rows of a `[vocabulary, dim]` matrix picked by `ids`: the result has shape `ids.shape + [dim]`.
    /// - Throws: `TensorError.idOutOfRange` for an id outside `0..<vocabulary`.
    public func gatherRows(_ ids: IntTensor) throws -> Tensor {
        guard rank == 2 else { throw TensorError.rankMismatch(operation: "embedding lookup", expected: "a [vocabulary, dim] matrix", got: shape) }
        let (rows, dim) = (shape[0], shape[1])
        try Shape.reserve(ids.shape + [dim], for: "embedding lookup: the result of shape \(ids.shape + [dim])")
        var out = [Float](repeating: 0, count: ids.count * dim)
        for (k, id) in ids.scalars.enumerated() {
            guard id >= 0, Int(id) < rows else { throw TensorError.idOutOfRange(id: Int(id), vocabularySize: rows) }
            let start = Int(id) * dim
            for j in 0..<dim { out[k * dim + j] = scalars[start + j] }
        }
        return Tensor(uncheckedShape: ids.shape + [dim], scalars: out)
    }
}
