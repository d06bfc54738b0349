import CDNNL

/// oneDNN's float32 matrix product (`dnnl_sgemm`, JIT-compiled kernels for the CPU at hand),
/// the other library the training step may choose per product shape (`ProductPlan`).
public enum OneDNN {
    /// `c = op(a) @ op(b) + beta * c` on row-major contiguous storage, as `BLAS.gemm`, run on
    /// the calling thread alone (the training step already runs one shard per core).
    /// - Returns: false when oneDNN refused (c untouched).
    public static func gemm(_ a: UnsafePointer<Float>, transposeA: Bool, _ b: UnsafePointer<Float>, transposeB: Bool,
                            _ c: UnsafeMutablePointer<Float>, m: Int, n: Int, k: Int, beta: Float = 0) -> Bool {
        guard m > 0, n > 0, k > 0 else { return false }
        omp_set_num_threads(1)
        let status = dnnl_sgemm(transposeA ? 84 : 78, transposeB ? 84 : 78,  // "T" or "N"
                                Int64(m), Int64(n), Int64(k), 1, a, Int64(transposeA ? m : k),
                                b, Int64(transposeB ? k : n), beta, c, Int64(n))
        return status == dnnl_success
    }

    /// The library's version, e.g. "2.6.3".
    public static var version: String {
        guard let info = dnnl_version() else { return "unknown" }
        return "\(info.pointee.major).\(info.pointee.minor).\(info.pointee.patch)"
    }
}
