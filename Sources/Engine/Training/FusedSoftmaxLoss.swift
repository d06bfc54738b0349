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
                      m: rows, n: vocabularySize, k: inputSize)
        return products.elementwise(.softmaxElementwise) {
            let v = vocabularySize
            biasGrad.zero()
            var total = 0.0
            for row in 0..<rows {
                let logitRow = logits.pointer + row * v
                let target = Int(targets[row])
                if let scale = gradientScale {
                    total += Double(Self.lossAndGradient(logitRow, bias: bias, width: v, target: target, scale: scale, biasGrad: biasGrad.pointer))
                } else {
                    total += Double(Self.loss(logitRow, bias: bias, width: v, target: target))
                }
            }
            return total
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
                      m: rows, n: inputSize, k: v)
    }

    /// Adds the bias to `row` and returns its maximum. (Floating-point reductions do
    /// not vectorise without reassociation, so the maximum runs on four chains.)
    @inline(__always)
    static func addBias(_ row: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, width: Int) -> Float {
        for k in 0..<width { row[k] += bias[k] }
        var best = (-Float.infinity, -Float.infinity, -Float.infinity, -Float.infinity)
        var k = 0
        while k + 4 <= width {
            best.0 = Swift.max(best.0, row[k])
            best.1 = Swift.max(best.1, row[k + 1])
            best.2 = Swift.max(best.2, row[k + 2])
            best.3 = Swift.max(best.3, row[k + 3])
            k += 4
        }
        while k < width {
            best.0 = Swift.max(best.0, row[k])
            k += 1
        }
        return Swift.max(Swift.max(best.0, best.1), Swift.max(best.2, best.3))
    }

    /// Sum of e^(row - shift); `destination` (which may be `row`) receives the exponentials.
    @inline(__always)
    static func sumOfExponentials(_ row: UnsafeMutablePointer<Float>, width: Int, shift: Float,
                                  into destination: UnsafeMutablePointer<Float>) -> Float {
        for k in 0..<width { destination[k] = VectorMath.exp(row[k] - shift) }
        return sum(destination, count: width)
    }

    /// Sum of `count` floats, 16 lanes at a time (vector adds, unlike a scalar reduction loop).
    @inline(__always)
    static func sum(_ values: UnsafePointer<Float>, count: Int) -> Float {
        typealias Lanes = SIMD16<Float>
        var lanes = Lanes(repeating: 0)
        var k = 0
        while k + Lanes.scalarCount <= count {
            lanes += UnsafeRawPointer(values + k).loadUnaligned(as: Lanes.self)
            k += Lanes.scalarCount
        }
        var total = lanes.sum()
        while k < count {
            total += values[k]
            k += 1
        }
        return total
    }

    /// Cross-entropy of one row of logits (bias not yet added); the row is left holding scratch values.
    static func loss(_ row: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, width: Int, target: Int) -> Float {
        let maximum = addBias(row, bias: bias, width: width)
        let targetLogit = row[target]
        let total = sumOfExponentials(row, width: width, shift: maximum, into: row)
        return (Float(Foundation.log(Double(total))) + maximum) - targetLogit
    }

    /// Cross-entropy of one row, replacing the row by `(softmax - onehot) * scale` and adding it to `biasGrad`.
    static func lossAndGradient(_ row: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, width: Int, target: Int,
                                scale: Float, biasGrad: UnsafeMutablePointer<Float>) -> Float {
        let maximum = addBias(row, bias: bias, width: width)
        let targetLogit = row[target]
        let total = sumOfExponentials(row, width: width, shift: maximum, into: row)
        let factor = scale / total
        for k in 0..<width {
            let d = row[k] * factor
            row[k] = d
            biasGrad[k] += d
        }
        row[target] -= scale
        biasGrad[target] -= scale
        return (Float(Foundation.log(Double(total))) + maximum) - targetLogit
    }
}

import Foundation
