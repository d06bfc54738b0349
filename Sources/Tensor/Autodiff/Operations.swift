/// Differentiable operations on `Variable`. Each forward computation is followed
/// by its pullback; shapes are in the doc comments.
extension Variable {
    // MARK: Elementwise arithmetic (numpy broadcasting)

    /// `lhs + rhs`, broadcast. Pullback: the upstream gradient, summed back to each shape.
    public static func + (lhs: Variable, rhs: Variable) throws -> Variable {
        let value = try lhs.value + rhs.value
        return Variable(computed: value, inputs: [lhs, rhs]) { g in
            [g.summed(toShape: lhs.shape), g.summed(toShape: rhs.shape)]
        }
    }

    /// `lhs - rhs`, broadcast.
    public static func - (lhs: Variable, rhs: Variable) throws -> Variable {
        let value = try lhs.value - rhs.value
        return Variable(computed: value, inputs: [lhs, rhs]) { g in
            [g.summed(toShape: lhs.shape), (-g).summed(toShape: rhs.shape)]
        }
    }

    /// `lhs * rhs` elementwise, broadcast. d/dlhs = g * rhs, d/drhs = g * lhs.
    public static func * (lhs: Variable, rhs: Variable) throws -> Variable {
        let value = try lhs.value * rhs.value
        let (a, b) = (lhs.value, rhs.value)
        return Variable(computed: value, inputs: [lhs, rhs]) { g in
            [Variable.unchecked { try (g * b).summed(toShape: a.shape) },
             Variable.unchecked { try (g * a).summed(toShape: b.shape) }]
        }
    }

    /// `lhs / rhs` elementwise, broadcast. d/dlhs = g / rhs, d/drhs = -g * lhs / rhs^2.
    public static func / (lhs: Variable, rhs: Variable) throws -> Variable {
        let value = try lhs.value / rhs.value
        let (a, b) = (lhs.value, rhs.value)
        return Variable(computed: value, inputs: [lhs, rhs]) { g in
            [Variable.unchecked { try (g / b).summed(toShape: a.shape) },
             Variable.unchecked { try (-(g * value) / b).summed(toShape: b.shape) }]
        }
    }

    /// `scale * x`.
    public static func * (scale: Float, x: Variable) -> Variable {
        Variable(computed: x.value * scale, inputs: [x]) { g in [g * scale] }
    }

    /// `-x`.
    public static prefix func - (x: Variable) -> Variable {
        Variable(computed: -x.value, inputs: [x]) { g in [-g] }
    }

    // MARK: Unary maps

    /// e^x. Pullback: g * e^x.
    public func exp() -> Variable {
        let y = value.exp()
        return Variable(computed: y, inputs: [self]) { g in [g.multiplyingSameShape(y)] }
    }

    /// ln x. Pullback: g / x.
    public func log() -> Variable {
        let x = value
        return Variable(computed: x.log(), inputs: [self]) { g in [Variable.unchecked { try g / x }] }
    }

    /// tanh x. Pullback: g * (1 - y^2).
    public func tanh() -> Variable {
        let y = value.tanh()
        return Variable(computed: y, inputs: [self]) { g in [g.multiplyingSameShape(y.map { 1 - $0 * $0 })] }
    }

    /// sigmoid x. Pullback: g * y * (1 - y).
    public func sigmoid() -> Variable {
        let y = value.sigmoid()
        return Variable(computed: y, inputs: [self]) { g in [g.multiplyingSameShape(y.map { $0 * (1 - $0) })] }
    }

    /// x^2. Pullback: 2 g x.
    public func squared() -> Variable {
        let x = value
        return Variable(computed: x.squared(), inputs: [self]) { g in [g.multiplyingSameShape(x * 2)] }
    }

    // MARK: Reductions and shape

    /// Sum of all elements, shape `[]`. Pullback: g broadcast to the input's shape.
    public func sum() -> Variable {
        let shape = self.shape
        return Variable(computed: Tensor(value.sum()), inputs: [self]) { g in
            [Tensor(repeating: g.scalars[0], shape: shape)]
        }
    }

    /// Mean of all elements, shape `[]`.
    public func mean() throws -> Variable {
        let n = Float(value.count)
        let mean = try value.mean()
        let shape = self.shape
        return Variable(computed: Tensor(mean), inputs: [self]) { g in
            [Tensor(repeating: g.scalars[0] / n, shape: shape)]
        }
    }

    /// Sum along `axis`, which is removed. Pullback: g repeated along that axis.
    public func sum(axis: Int) throws -> Variable {
        let axis = try value.normalizedAxis(axis, operation: "sum")
        var kept = shape
        kept[axis] = 1
        let full = shape
        return Variable(computed: try value.sum(axis: axis), inputs: [self]) { g in
            [Variable.unchecked { try g.reshaped(kept) + Tensor(zeros: full) }]
        }
    }

    /// The same values with another shape (one extent may be -1).
    public func reshaped(_ newShape: [Int]) throws -> Variable {
        let old = shape
        return Variable(computed: try value.reshaped(newShape), inputs: [self]) { g in
            [Variable.unchecked { try g.reshaped(old) }]
        }
    }

    /// `range` along `axis`. Pullback: g placed into zeros of the input's shape.
    public func slice(axis: Int = 0, _ range: Range<Int>) throws -> Variable {
        let axis = try value.normalizedAxis(axis, operation: "slice")
        let full = shape
        return Variable(computed: try value.slice(axis: axis, range), inputs: [self]) { g in
            [g.padded(into: full, axis: axis, at: range.lowerBound)]
        }
    }

    /// `parts` equal pieces along `axis`.
    public func split(parts: Int, axis: Int) throws -> [Variable] {
        let axis = try value.normalizedAxis(axis, operation: "split")
        guard parts > 0, shape[axis] % parts == 0 else {
            throw TensorError.shapeMismatch(operation: "split into \(parts)", lhs: shape, rhs: [parts])
        }
        let width = shape[axis] / parts
        return try (0..<parts).map { try slice(axis: axis, ($0 * width)..<(($0 + 1) * width)) }
    }

    /// Joins `parts` along `axis`. Pullback: the matching slice of g for each part.
    public static func concatenate(_ parts: [Variable], axis: Int) throws -> Variable {
        let value = try Tensor.concatenate(parts.map(\.value), axis: axis)
        let axis = try value.normalizedAxis(axis, operation: "concatenate")
        let widths = parts.map { $0.shape[axis] }
        return Variable(computed: value, inputs: parts) { g in
            var start = 0
            return widths.map { width in
                defer { start += width }
                return Variable.unchecked { try g.slice(axis: axis, start..<(start + width)) }
            }
        }
    }

    // MARK: Linear algebra and lookups

    /// `[M, K] x [K, N] -> [M, N]`. Pullback: dA = g B^T, dB = A^T g.
    public static func matmul(_ a: Variable, _ b: Variable) throws -> Variable {
        let value = try Tensor.matmul(a.value, b.value)
        let (av, bv) = (a.value, b.value)
        return Variable(computed: value, inputs: [a, b]) { g in
            [Variable.unchecked { try Tensor.matmul(g, bv, transposeB: true) },
             Variable.unchecked { try Tensor.matmul(av, g, transposeA: true) }]
        }
    }

    /// Rows of an embedding matrix `[V, D]` for `ids` of any shape: `ids.shape + [D]`.
    /// Pullback: each row's gradient added into its id's row.
    public static func embeddingLookup(_ embedding: Variable, ids: IntTensor) throws -> Variable {
        let value = try embedding.value.gatherRows(ids)
        let tableShape = embedding.shape
        return Variable(computed: value, inputs: [embedding]) { g in
            let dim = tableShape[1]
            var grad = [Float](repeating: 0, count: Shape.count(tableShape))
            for (k, id) in ids.scalars.enumerated() {
                for j in 0..<dim { grad[Int(id) * dim + j] += g.scalars[k * dim + j] }
            }
            return [Tensor(uncheckedShape: tableShape, scalars: grad)]
        }
    }

    /// Softmax along the last axis. Pullback: y * (g - sum(g * y, last axis)).
    public func softmax() throws -> Variable {
        let y = try value.softmax()
        let width = shape.last ?? 1
        return Variable(computed: y, inputs: [self]) { g in
            var out = g.scalars
            for row in 0..<(y.count / Swift.max(width, 1)) {
                var dot: Float = 0
                for j in 0..<width { dot += g.scalars[row * width + j] * y.scalars[row * width + j] }
                for j in 0..<width { out[row * width + j] = y.scalars[row * width + j] * (g.scalars[row * width + j] - dot) }
            }
            return [Tensor(uncheckedShape: y.shape, scalars: out)]
        }
    }

    /// Cross-entropy of `logits [N, V]` against integer `labels [N]`: `-log softmax(logits)[label]`,
    /// shape `[N]`. Pullback: (softmax - onehot) scaled by each row's upstream gradient.
    /// - Throws: shape errors, or `TensorError.idOutOfRange` for a label outside `0..<V`.
    public static func sparseSoftmaxCrossEntropy(logits: Variable, labels: IntTensor) throws -> Variable {
        guard logits.value.rank == 2, labels.rank == 1, labels.count == logits.shape[0] else {
            throw TensorError.shapeMismatch(operation: "sparse softmax cross-entropy", lhs: logits.shape, rhs: labels.shape)
        }
        let (rows, width) = (logits.shape[0], logits.shape[1])
        var probabilities = logits.value
        var losses = [Float](repeating: 0, count: rows)
        for (row, label) in labels.scalars.enumerated() {
            guard label >= 0, Int(label) < width else { throw TensorError.idOutOfRange(id: Int(label), vocabularySize: width) }
            let target = logits.value.scalars[row * width + Int(label)]
            probabilities.withUnsafeMutableBufferPointer { p in
                guard let base = p.baseAddress else { return }
                losses[row] = Softmax.normalizeRow(base + row * width, width: width) - target
            }
        }
        return Variable(computed: Tensor(losses), inputs: [logits]) { g in
            var grad = probabilities.scalars
            for (row, label) in labels.scalars.enumerated() {
                grad[row * width + Int(label)] -= 1
                for j in 0..<width { grad[row * width + j] *= g.scalars[row] }
            }
            return [Tensor(uncheckedShape: [rows, width], scalars: grad)]
        }
    }

    /// Runs a tensor computation inside a pullback, where shapes are already known to fit.
    static func unchecked(_ body: () throws -> Tensor) -> Tensor {
        do {
            return try body()
        } catch {
            preconditionFailure("pullback shape invariant broken: \(error)")
        }
    }
}

extension Tensor {
    /// Elementwise product of two tensors already known to share a shape.
    func multiplyingSameShape(_ other: Tensor) -> Tensor {
        precondition(shape == other.shape, "shapes \(shape) and \(other.shape) differ")
        var out = scalars
        other.scalars.withUnsafeBufferPointer { o in
            for i in out.indices { out[i] *= o[i] }
        }
        return Tensor(uncheckedShape: shape, scalars: out)
    }

    /// This tensor placed at `offset` along `axis` inside zeros of `shape`.
    func padded(into shape: [Int], axis: Int, at offset: Int) -> Tensor {
        var out = [Float](repeating: 0, count: Shape.count(shape))
        let inner = Shape.count(Array(shape[(axis + 1)...]))
        let outer = Shape.count(Array(shape[..<axis]))
        let chunk = self.shape[axis] * inner
        for o in 0..<outer {
            let destination = (o * shape[axis] + offset) * inner
            for j in 0..<chunk { out[destination + j] = scalars[o * chunk + j] }
        }
        return Tensor(uncheckedShape: shape, scalars: out)
    }
}
