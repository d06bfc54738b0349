import CellScript
import Limits
import Engine
import Tensor

// Shape legend: B = batch, T = time steps, V = vocabulary, N = B * T rows, D = width.

/// The tensor operations cells call as globals (`matmul(a, b)`, `softmax(x)`,
/// `embeddingLookup(embedding, ids)`, `sequenceLoss(...)`, `gradients(of:wrt:)`,
/// `clipByGlobalNorm(_:clipNorm:)`). Float results stay autodiff nodes, so a cost
/// built from them can be differentiated with respect to the variables it used.
enum TensorMath {
    /// Softmax along the last axis.
    static func softmax(_ value: Value) throws -> Value {
        TensorObject.value(try ModelArguments.floatNode(value, "softmax(_:)").softmax())
    }

    /// `[M, K] x [K, N] -> [M, N]`.
    static func matmul(_ a: Value, _ b: Value) throws -> Value {
        let lhs = try ModelArguments.floatNode(a, "matmul: the first operand")
        let rhs = try ModelArguments.floatNode(b, "matmul: the second operand")
        guard lhs.value.rank == 2, rhs.value.rank == 2 else {
            throw ScriptError("matmul multiplies two matrices (rank 2), got shapes \(lhs.shape) and \(rhs.shape); "
                              + "reshape first, e.g. outputs.reshape([-1, width])")
        }
        guard lhs.value.count > 0, rhs.value.count > 0 else {
            throw ScriptError("matmul needs non-empty matrices, got shapes \(lhs.shape) and \(rhs.shape)")
        }
        guard lhs.shape[1] == rhs.shape[0] else {
            throw ScriptError("matmul: the first operand has \(lhs.shape[1]) columns but the second has "
                              + "\(rhs.shape[0]) rows (shapes \(lhs.shape) and \(rhs.shape))")
        }
        return TensorObject.value(try Variable.matmul(lhs, rhs))
    }

    /// The index of the largest value along `axis`, as int32 ids (no gradient).
    static func argmax(_ value: Value, axis: Value) throws -> Value {
        let node = try ModelArguments.floatNode(value, "argmax(_:axis:)")
        let axisNumber = try axis.asInt("argmax: axis")
        guard axisNumber >= -node.value.rank, axisNumber < node.value.rank else {
            throw ScriptError("argmax: axis \(axisNumber) is out of range for a tensor of rank \(node.value.rank)")
        }
        return TensorObject.value(try node.value.argmax(axis: axisNumber))
    }

    /// `pca(_:components:)`: the rows' scores on the directions of largest variance.
    static func pca(_ value: Value, components: Value) throws -> Value {
        let name = "pca(_:components:)"
        let node = try ModelArguments.floatNode(value, name)
        let count = try ModelArguments.int(components, "\(name): components", atLeast: 1)
        guard node.value.rank == 2 else {
            throw ScriptError("\(name): expected a 2-D matrix [rows, columns], got shape \(node.value.shape)")
        }
        guard count <= node.value.shape[1] else {
            throw ScriptError("\(name): components: the rows have \(node.value.shape[1]) columns, asked for \(count)")
        }
        guard min(node.value.shape[0], node.value.shape[1]) <= PrincipalComponents.maximumSize else {
            throw ScriptError("\(name): a matrix of shape \(node.value.shape) is too large; "
                              + "take at most \(PrincipalComponents.maximumSize) rows, e.g. m[0..<300]")
        }
        return TensorObject.value(try PrincipalComponents.project(node.value, components: count).scores)
    }

    /// `sum` or `mean` of everything (a scalar) or along one axis (removed).
    static func reduce(_ kind: String, _ value: Value, axis: Value, name: String) throws -> Value {
        let node = try ModelArguments.floatNode(value, name)
        guard let axisValue = ModelArguments.optional(axis) else {
            if kind == "sum" { return TensorObject.value(node.sum()) }
            return TensorObject.value(try node.mean())
        }
        let axisNumber = try axisValue.asInt("\(name): axis")
        guard axisNumber >= -node.value.rank, axisNumber < node.value.rank else {
            throw ScriptError("\(name): axis \(axisNumber) is out of range for a tensor of rank \(node.value.rank)")
        }
        let summed = try node.sum(axis: axisNumber)
        if kind == "sum" { return TensorObject.value(summed) }
        let extent = node.shape[axisNumber < 0 ? axisNumber + node.value.rank : axisNumber]
        return TensorObject.value((1 / Float(Swift.max(extent, 1))) * summed)
    }

    /// Rows of `embedding [V, D]` for `ids` of any shape: `ids.shape + [D]`.
    static func embeddingLookup(_ table: Value, _ idsValue: Value) throws -> Value {
        let embedding = try ModelArguments.floatNode(table, "embeddingLookup(_:_:): embedding")
        guard embedding.value.rank == 2 else {
            throw ScriptError("embeddingLookup(_:_:): the embedding must be a [vocabulary, width] matrix, "
                              + "got shape \(embedding.shape)")
        }
        let ids = try ModelArguments.ids(idsValue, "embeddingLookup(_:_:): ids")
        if let bad = ids.scalars.first(where: { $0 < 0 || Int($0) >= embedding.shape[0] }) {
            throw ScriptError("embeddingLookup(_:_:): id \(bad) is outside the embedding's \(embedding.shape[0]) rows")
        }
        return TensorObject.value(try Variable.embeddingLookup(embedding, ids: ids))
    }

    /// TensorFlow's `sequence_loss`: the cross-entropy of each position, weighted.
    /// - logits `[B, T, V]`, targets `[B, T]`: averaged over the batch (`[T]`) by default,
    ///   over time too when `averageAcrossTimesteps` (a scalar).
    /// - logits `[N, V]`, targets `[N]` or `[B, T]`: one loss per row, `[N]`
    ///   (`sequence_loss_by_example`).
    static func sequenceLoss(_ values: [Value]) throws -> Value {
        let name = "sequenceLoss(_:_:weights:averageAcrossTimesteps:averageAcrossBatch:)"
        let logits = try ModelArguments.floatNode(values[0], "\(name): logits")
        let targets = try ModelArguments.ids(values[1], "\(name): targets")
        let acrossTime = try values[3].asBool("\(name): averageAcrossTimesteps")
        let acrossBatch = try values[4].asBool("\(name): averageAcrossBatch")
        let rows = logits.shape.dropLast().reduce(1, *)
        guard logits.value.rank == 2 || logits.value.rank == 3 else {
            throw ScriptError("\(name): logits must be [batch, steps, vocabulary] or [rows, vocabulary], got shape \(logits.shape)")
        }
        let expectedTargets = Array(logits.shape.dropLast())
        guard targets.shape == expectedTargets || (logits.value.rank == 2 && targets.count == rows && targets.rank == 2) else {
            throw ScriptError("\(name): targets must have shape \(expectedTargets) to match logits of shape \(logits.shape), "
                              + "got \(targets.shape)")
        }
        let width = logits.shape[logits.value.rank - 1]
        if let bad = targets.scalars.first(where: { $0 < 0 || Int($0) >= width }) {
            throw ScriptError("\(name): target id \(bad) is outside the \(width) classes of the logits")
        }
        let flat = try logits.reshaped([rows, width])
        var losses = try Variable.sparseSoftmaxCrossEntropy(logits: flat, labels: targets.reshaped([rows]))
        if let weightsValue = ModelArguments.optional(values[2]) {
            let weights = try ModelArguments.floatNode(weightsValue, "\(name): weights")
            guard weights.shape.reduce(1, *) == rows, weights.shape == targets.shape || weights.shape == [rows] else {
                throw ScriptError("\(name): weights must have the targets' shape \(targets.shape), got \(weights.shape)")
            }
            losses = try losses * weights.reshaped([rows])
        }
        guard logits.value.rank == 3 else {
            guard !acrossTime, acrossBatch else {
                throw ScriptError("\(name): the averaging options apply to [batch, steps, vocabulary] logits; "
                                  + "[rows, vocabulary] logits give one loss per row")
            }
            return TensorObject.value(losses)
        }
        let (batch, steps) = (logits.shape[0], logits.shape[1])
        var result = try losses.reshaped([batch, steps])
        if acrossBatch {
            let summed = try result.sum(axis: 0)
            result = (1 / Float(Swift.max(batch, 1))) * summed
        }
        if acrossTime {
            let summed = try result.sum(axis: acrossBatch ? 0 : 1)
            result = (1 / Float(Swift.max(steps, 1))) * summed
        }
        return TensorObject.value(result)
    }

    /// The gradients of `output` (summed when not a scalar) with respect to each of `wrt`:
    /// an array for an array, one tensor for one.
    static func differentiate(_ output: Value, wrt: Value) throws -> Value {
        let target = try ModelArguments.floatNode(output, "gradients(of:wrt:): of")
        let single: Bool
        let items: [Value]
        if case .array(let elements) = wrt {
            (single, items) = (false, elements)
        } else {
            (single, items) = (true, [wrt])
        }
        let inputs = try items.enumerated().map { index, item -> Variable in
            guard case .object(let object as TensorObject) = item, case .float(let node) = object.storage else {
                throw ScriptError("gradients(of:wrt:): wrt[\(index)]: expected a float32 Variable or Tensor, "
                                  + "got \(ModelArguments.describe(item))")
            }
            return node
        }
        let graph = target.graphSummary
        if graph.reachesDroppedHistory {
            throw ScriptError("gradients(of:wrt:): part of how this value was computed is no longer recorded, so its "
                              + "gradients cannot be found: a value kept after the last cell that takes gradients, or restored "
                              + "from the cell cache, keeps only its numbers. Compute the value again in this cell (or run with --no-cache)")
        }
        try MemoryBudget.reserve(count: graph.scalars, stride: 4,
                                 for: "gradients(of:wrt:): the gradients of every step that computed it")
        let grads = gradients(of: target, wrt: inputs).map(TensorObject.value)
        return single ? grads[0] : .array(grads)
    }

    /// Rescales the gradients so their global norm is at most `clipNorm`:
    /// `(gradients: [Tensor], globalNorm: Double)`.
    static func clip(_ list: Value, clipNorm: Value) throws -> Value {
        let name = "clipByGlobalNorm(_:clipNorm:)"
        let items = try list.asArray("\(name): gradients")
        let tensors = try items.enumerated().map { index, item in
            try ModelArguments.floatNode(item, "\(name): gradients[\(index)]").value
        }
        let norm = try ModelArguments.positiveFloat(clipNorm, "\(name): clipNorm")
        let clipped = clipByGlobalNorm(tensors, clipNorm: norm)
        return .tuple([
            TupleElement(label: "gradients", .array(clipped.gradients.map(TensorObject.value))),
            TupleElement(label: "globalNorm", .double(ModelArguments.double(clipped.globalNorm))),
        ])
    }
}
