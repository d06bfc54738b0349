import Tensor

/// Global-norm clipping, as TensorFlow's `clip_by_global_norm`: every gradient is
/// multiplied by `clipNorm / max(globalNorm, clipNorm)`.
///
/// - Returns: the clipped gradients and the global norm before clipping.
public func clipByGlobalNorm(_ gradients: [Tensor], clipNorm: Float) -> (gradients: [Tensor], globalNorm: Float) {
    var total = 0.0
    for g in gradients {
        total += g.withPointer { ModelGradients.sumOfSquares($0, count: g.count) }
    }
    let norm = Float(total.squareRoot())
    let factor = clipNorm / Swift.max(norm, clipNorm)
    return (gradients.map { $0 * factor }, norm)
}

/// Plain stochastic gradient descent: `variable -= learningRate * gradient`.
public struct GradientDescentOptimizer: Sendable {
    public var learningRate: Float

    public init(learningRate: Float) {
        self.learningRate = learningRate
    }

    /// Applies one update to each variable from the gradient at the same position.
    /// - Throws: `TensorError.shapeMismatch` when a gradient's shape differs from its variable's.
    public func apply(_ gradients: [Tensor], to variables: [Variable]) throws {
        guard gradients.count == variables.count else {
            throw TensorError.shapeMismatch(operation: "apply gradients (one per variable)", lhs: [variables.count], rhs: [gradients.count])
        }
        for (g, v) in zip(gradients, variables) {
            guard g.shape == v.shape else { throw TensorError.shapeMismatch(operation: "apply gradients", lhs: v.shape, rhs: g.shape) }
        }
        for (g, v) in zip(gradients, variables) {
            g.withPointer { grad in
                _ = v.value.withMutablePointer { value in
                    axpy(-learningRate, grad, value, count: g.count)
                }
            }
        }
    }
}

/// `y += a * x`.
@inline(__always)
func axpy(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    Kernels.axpy(a, x, y, count: count)
}

extension FusedBatchStep {
    /// Clips the last step's gradients to `maxGradNorm` (global norm) and applies SGD
    /// with `learningRate`, in place. Only the embedding rows the batch touched are updated.
    /// - Returns: the global norm before clipping.
    @discardableResult
    public func applyGradients(learningRate: Float, maxGradNorm: Float) -> Float {
        measure(.clipAndUpdate) { clipAndUpdate(learningRate: learningRate, maxGradNorm: maxGradNorm) }
    }

    private func clipAndUpdate(learningRate: Float, maxGradNorm: Float) -> Float {
        let norm = Float(gradients.sumOfSquares().squareRoot())
        let step = -learningRate * maxGradNorm / Swift.max(norm, maxGradNorm)
        let variables = model.trainableVariables
        let width = gradients.embeddingWidth
        _ = variables[0].value.withMutablePointer { table in
            for id in gradients.touchedRows {
                axpy(step, gradients.embedding[id * width], table + id * width, count: width)
            }
        }
        for (variable, buffer) in zip(variables.dropFirst(), gradients.buffers.dropFirst()) {
            _ = variable.value.withMutablePointer { value in
                axpy(step, buffer.pointer, value, count: buffer.count)
            }
        }
        return norm
    }
}
