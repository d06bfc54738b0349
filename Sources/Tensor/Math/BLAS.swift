import COpenBLAS

/// The one place that talks to OpenBLAS.
///
/// Shapes: `C[M, N] = alpha * op(A) * op(B) + beta * C`, where `op(A)` is
/// `[M, K]` (A stored `[K, M]` when transposed) and `op(B)` is `[K, N]`
/// (B stored `[N, K]` when transposed). Everything is row-major and contiguous;
/// transposes are handled by BLAS, never by copying.
public enum BLAS {
    /// `c = alpha * op(a) * op(b) + beta * c` on raw row-major storage.
    @inlinable
    public static func gemm(
        _ a: UnsafePointer<Float>, transposeA: Bool,
        _ b: UnsafePointer<Float>, transposeB: Bool,
        _ c: UnsafeMutablePointer<Float>,
        m: Int, n: Int, k: Int, alpha: Float = 1, beta: Float = 0
    ) {
        guard m > 0, n > 0 else { return }
        guard k > 0 else {
            if beta == 0 { c.update(repeating: 0, count: m * n) } else { scale(c, count: m * n, by: beta) }
            return
        }
        cblas_sgemm(
            CblasRowMajor,
            transposeA ? CblasTrans : CblasNoTrans,
            transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha,
            a, Int32(transposeA ? m : k),
            b, Int32(transposeB ? k : n),
            beta, c, Int32(n))
    }

    @inlinable
    static func scale(_ x: UnsafeMutablePointer<Float>, count: Int, by factor: Float) {
        for i in 0..<count { x[i] *= factor }
    }

    /// The kernel family OpenBLAS chose at load time, e.g. `SkylakeX`, `Haswell`, `Prescott`.
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// Threads OpenBLAS uses for large products.
    public static var threadCount: Int {
        Int(openblas_get_num_threads())
    }

    /// Runs `body` with OpenBLAS limited to one thread, for callers that run
    /// several products at once on their own threads (OpenBLAS's idle workers
    /// spin and would steal those threads' cores).
    public static func singleThreaded<R>(_ body: () throws -> R) rethrows -> R {
        let previous = openblas_get_num_threads()
        if previous != 1 { openblas_set_num_threads(1) }
        defer { if previous != 1 { openblas_set_num_threads(previous) } }
        return try body()
    }
}
