import Tensor

// Shape legend: N = rows (T*B, time-major), H = input width, V = vocabulary.

/// The softmax layer and the cross-entropy over all time steps of a shard, in
/// one product and one pass per row:
///
///     logits = x @ W + b                          [N, V]
///     loss_n = logsumexp(logits_n) - logits_n[y_n]
///     d logits = (softmax(logits) - onehot(y)) * scale
///
/// Single-threaded: `FusedBatchStep` already runs one shard per core.
final class FusedSoftmaxLoss {
    let rows: Int, inputSize: Int, vocabularySize: Int
    /// `[N, V]`: logits, then (after a training pass) d cost / d logits.
    let logits: FloatBuffer
    /// `[V]`: d cost / d b, summed while the rows are hot in cache.
    let biasGrad: FloatBuffer
    /// `[N, H]`: d cost / d x.
    let inputGrads: FloatBuffer
    /// Runs (and, when profiling, times) the layer's products.
    let products: MatrixProducts

    init(rows: Int, inputSize: Int, vocabularySize: Int, products: MatrixProducts) {
        self.products = products
        self.rows = rows
        self.inputSize = inputSize
        self.vocabularySize = vocabularySize
        logits = FloatBuffer(count: rows * vocabularySize)
        biasGrad = FloatBuffer(count: vocabularySize)
        inputGrads = FloatBuffer(count: rows * inputSize)
    }

    /// Sum over rows of the cross-entropy (in nats). With `gradientScale`, also turns
    /// `logits` into `(softmax - onehot) * gradientScale` and sums the bias gradient.
    /// Targets must already be checked to lie in `0..<V`.
    func forward(input: UnsafePointer<Float>, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                 targets: UnsafePointer<Int32>, gradientScale: Float?) -> Double {
        products.gemm("softmax logits", .softmaxProducts, input, transposeA: false, weights, transposeB: false, logits.pointer,
                      m: rows, n: vocabularySize, k: inputSize, weight: true)
        return products.elementwise(.softmaxElementwise) {
            biasGrad.zero()
            return Kernels.softmaxLoss(logits.pointer, bias: bias, rows: rows, width: vocabularySize, targets: targets,
                                       gradientScale: gradientScale, biasGrad: biasGrad.pointer)
        }
    }

    /// d W = x^T @ d logits, d b (summed in `forward`), d x = d logits @ W^T.
    func backward(input: UnsafePointer<Float>, weights: UnsafePointer<Float>,
                  weightGrad: UnsafeMutablePointer<Float>, biasGrad: UnsafeMutablePointer<Float>) {
        let v = vocabularySize
        products.gemm("softmax d W", .softmaxProducts, input, transposeA: true, logits.pointer, transposeB: false, weightGrad,
                      m: inputSize, n: v, k: rows)
        biasGrad.update(from: self.biasGrad.pointer, count: v)
        products.gemm("softmax d x", .softmaxProducts, logits.pointer, transposeA: false, weights, transposeB: true, inputGrads.pointer,
                      m: rows, n: inputSize, k: v, weight: true)
    }
}
