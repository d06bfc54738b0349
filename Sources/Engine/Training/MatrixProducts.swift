import Tensor

/// The matrix products of one shard's training step, in one place: each goes to BLAS and,
/// when a profile is attached, is timed under its name and phase.
final class MatrixProducts {
    /// Set by `FusedBatchStep.startProfiling`; nil costs one branch per product.
    var profile: StepProfile?

    /// `c = op(a) @ op(b) + beta * c` (see `BLAS.gemm` for the storage conventions).
    @inline(__always)
    func gemm(_ name: @autoclosure () -> String, _ phase: StepPhase,
              _ a: UnsafePointer<Float>, transposeA: Bool, _ b: UnsafePointer<Float>, transposeB: Bool,
              _ c: UnsafeMutablePointer<Float>, m: Int, n: Int, k: Int, beta: Float = 0) {
        guard let profile else {
            BLAS.gemm(a, transposeA: transposeA, b, transposeB: transposeB, c, m: m, n: n, k: k, beta: beta)
            return
        }
        let shape = ProductShape(name: name(), phase: phase, m: m, n: n, k: k,
                                 transposeA: transposeA, transposeB: transposeB, accumulates: beta != 0)
        profile.measure(shape) {
            BLAS.gemm(a, transposeA: transposeA, b, transposeB: transposeB, c, m: m, n: n, k: k, beta: beta)
        }
    }

    /// Runs element-wise work `body`, timed under `phase` when profiling.
    @inline(__always)
    func elementwise<R>(_ phase: StepPhase, _ body: () -> R) -> R {
        guard let profile else { return body() }
        return profile.measure(phase, body)
    }
}
