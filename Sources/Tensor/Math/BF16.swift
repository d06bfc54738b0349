import CKernels
import Foundation

/// Matrix products with bfloat16 inputs and float32 sums (AVX512_BF16), for the training
/// step's `--precision bf16`. Operands are rounded to bf16 (nearest even, subnormals to
/// zero); B is packed into the kernels' panel layout, once per step for weights.
public enum BF16 {
    /// Whether this CPU has the instructions (AVX512_BF16 with AVX-512 F, BW and VL).
    /// `LESSON_PRETEND_NO_BF16=1` says no on any CPU, so the refusal can be tested everywhere.
    public static let isSupported: Bool = lesson_bf16_supported() != 0
        && ProcessInfo.processInfo.environment["LESSON_PRETEND_NO_BF16"] == nil

    /// The bf16 bits of `value` as the kernels round it.
    public static func bits(_ value: Float) -> UInt16 { lesson_bf16_from_float(value) }

    /// The float a bf16 rounding of `value` stands for.
    public static func rounded(_ value: Float) -> Float { Float(bitPattern: UInt32(bits(value)) << 16) }

    /// Elements of a packed k x n operand.
    public static func packedCount(k: Int, n: Int) -> Int { lesson_bf16_packed_size(k, n) }

    /// Packs B (k x n; stored `[n, k]` when transposed) into `out` (`packedCount(k:n:)` elements).
    public static func pack(_ b: UnsafePointer<Float>, transposed: Bool, k: Int, n: Int, into out: UnsafeMutablePointer<UInt16>) {
        lesson_bf16_pack(transposed ? 1 : 0, k, n, b, transposed ? k : n, out)
    }

    /// `c = beta * c + op(a) @ B` with B packed; row-major contiguous storage as in `BLAS.gemm`.
    /// Only where `isSupported`. - Returns: false when scratch memory ran out (c untouched).
    public static func gemm(_ a: UnsafePointer<Float>, transposeA: Bool, packed b: UnsafePointer<UInt16>,
                            _ c: UnsafeMutablePointer<Float>, m: Int, n: Int, k: Int, beta: Float = 0) -> Bool {
        lesson_bf16_gemm(transposeA ? 1 : 0, m, n, k, a, transposeA ? m : k, b, beta, c, n) == 0
    }

    /// The same with B as floats (packed into per-thread scratch first).
    public static func gemm(_ a: UnsafePointer<Float>, transposeA: Bool, _ b: UnsafePointer<Float>, transposeB: Bool,
                            _ c: UnsafeMutablePointer<Float>, m: Int, n: Int, k: Int, beta: Float = 0) -> Bool {
        lesson_bf16_gemm_unpacked(transposeA ? 1 : 0, transposeB ? 1 : 0, m, n, k, a, transposeA ? m : k,
                                  b, transposeB ? k : n, beta, c, n) == 0
    }
}
