/// Matrix products through `BLAS.gemm`.
extension Tensor {
    /// `op(lhs) x op(rhs)` for matrices: `[M, K] x [K, N] -> [M, N]`, where `op` transposes
    /// when asked (BLAS reads the stored matrix transposed; nothing is copied).
    /// - Throws: `TensorError.rankMismatch` unless both are rank 2,
    ///   `TensorError.shapeMismatch` when the inner extents differ.
    public static func matmul(_ lhs: Tensor, _ rhs: Tensor, transposeA: Bool = false, transposeB: Bool = false) throws -> Tensor {
        guard lhs.rank == 2 else { throw TensorError.rankMismatch(operation: "matmul", expected: "a matrix on the left", got: lhs.shape) }
        guard rhs.rank == 2 else { throw TensorError.rankMismatch(operation: "matmul", expected: "a matrix on the right", got: rhs.shape) }
        let (m, k) = transposeA ? (lhs.shape[1], lhs.shape[0]) : (lhs.shape[0], lhs.shape[1])
        let (k2, n) = transposeB ? (rhs.shape[1], rhs.shape[0]) : (rhs.shape[0], rhs.shape[1])
        guard k == k2 else { throw TensorError.shapeMismatch(operation: "matmul", lhs: lhs.shape, rhs: rhs.shape) }
        try Shape.reserve([m, n], for: "matmul: the result of shape [\(m), \(n)]")
        var out = [Float](repeating: 0, count: m * n)
        lhs.scalars.withUnsafeBufferPointer { a in
            rhs.scalars.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { c in
                    guard let a = a.baseAddress, let b = b.baseAddress, let c = c.baseAddress else { return }
                    BLAS.gemm(a, transposeA: transposeA, b, transposeB: transposeB, c, m: m, n: n, k: k)
                }
            }
        }
        return Tensor(uncheckedShape: [m, n], scalars: out)
    }
}
