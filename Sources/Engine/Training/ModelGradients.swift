import Tensor

/// Gradients of every trainable parameter, in `LanguageModel.trainableVariables`
/// order, kept in preallocated buffers.
///
/// The embedding's gradient is sparse: a batch touches at most B*T of its V rows,
/// so the rows touched are tracked and only those are read, updated and cleared.
public final class ModelGradients {
    /// One buffer per trainable variable, with that variable's shape.
    let buffers: [FloatBuffer]
    let shapes: [[Int]]
    /// Embedding rows with a non-zero gradient, each once.
    private(set) var touchedRows: [Int] = []
    private var isTouched: [Bool]
    let embeddingWidth: Int
    /// Sum of squares of the embedding gradient counted per lookup, before rows of the
    /// same word are added together: the norm TensorFlow uses for a sparse gradient.
    private(set) var embeddingLookupSquares = 0.0

    init(model: LanguageModel) {
        shapes = model.trainableVariables.map(\.shape)
        buffers = shapes.map { FloatBuffer(count: Shape.count($0)) }
        isTouched = [Bool](repeating: false, count: model.config.vocabularySize)
        embeddingWidth = model.config.embeddingSize
    }

    var embedding: FloatBuffer { buffers[0] }

    /// Adds `row [E]`, the gradient of one lookup, to the embedding gradient of word `id`.
    func accumulateLookup(id: Int, row: UnsafePointer<Float>) {
        embeddingLookupSquares += Self.sumOfSquares(row, count: embeddingWidth)
        accumulateEmbedding(id: id, row: row)
    }

    /// Adds `row [E]` to the embedding gradient of word `id`.
    func accumulateEmbedding(id: Int, row: UnsafePointer<Float>) {
        if !isTouched[id] {
            isTouched[id] = true
            touchedRows.append(id)
        }
        let destination = embedding[id * embeddingWidth]
        for k in 0..<embeddingWidth { destination[k] += row[k] }
    }

    /// Clears the embedding rows touched so far.
    func clearEmbedding() {
        for id in touchedRows {
            embedding[id * embeddingWidth].update(repeating: 0, count: embeddingWidth)
            isTouched[id] = false
        }
        touchedRows.removeAll(keepingCapacity: true)
        embeddingLookupSquares = 0
    }

    /// Adds another shard's gradients to these.
    func add(_ other: ModelGradients) {
        embeddingLookupSquares += other.embeddingLookupSquares
        for id in other.touchedRows { accumulateEmbedding(id: id, row: other.embedding[id * embeddingWidth]) }
        for (mine, theirs) in zip(buffers.dropFirst(), other.buffers.dropFirst()) {
            for i in 0..<mine.count { mine.pointer[i] += theirs.pointer[i] }
        }
    }

    /// Sum of squares of every gradient (in Double), as `tf.clip_by_global_norm` counts it:
    /// the embedding's sparse gradient per lookup, the others densely.
    func sumOfSquares() -> Double {
        var total = embeddingLookupSquares
        for buffer in buffers.dropFirst() { total += Self.sumOfSquares(buffer.pointer, count: buffer.count) }
        return total
    }

    static func sumOfSquares(_ p: UnsafePointer<Float>, count: Int) -> Double {
        var lanes = SIMD8<Float>(repeating: 0)
        var i = 0
        var total = 0.0
        while i + 8 <= count {
            let v = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
            lanes += v * v
            i += 8
            // Flush to Double now and then so long sums keep their precision.
            if i % 4096 == 0 {
                total += Double(lanes.sum())
                lanes = SIMD8<Float>(repeating: 0)
            }
        }
        total += Double(lanes.sum())
        while i < count {
            total += Double(p[i] * p[i])
            i += 1
        }
        return total
    }

    /// The gradients as dense tensors (for tests, checks and display).
    public func tensors() -> [Tensor] {
        zip(buffers, shapes).map { buffer, shape in
            // Shapes come from the model's own variables, so the count always matches.
            let values = Array(UnsafeBufferPointer(start: buffer.pointer, count: buffer.count))
            return (try? Tensor(shape: shape, scalars: values)) ?? Tensor(zeros: shape)
        }
    }
}
