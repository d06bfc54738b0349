import CKernels

/// Branch-free `exp`, `expm1`, `tanh` and `sigmoid` for Float32, written so that
/// loops calling them are vectorised by LLVM.
///
/// The softmax layer alone exponentiates 12 million logits per batch, so a libm
/// call per element is too slow. Each function uses Cody-Waite range reduction
/// (x = n ln2 + r) and a degree-6 polynomial for e^r; `2^n` is built from the
/// exponent bits. There are no branches, only selects, so `for i in 0..<n`
/// loops over pointers become SIMD code. (Swift's `SIMD16` lane operations such
/// as `replace(with:where:)` compile to per-lane loops, which is why these are
/// scalar functions.) The tests hold them to a few ulp against Double libm.
public enum VectorMath {
    @usableFromInline static let ln2Hi: Float = 0.693_359_375
    @usableFromInline static let ln2Lo: Float = -2.121_944_4e-4
    @usableFromInline static let log2e: Float = 1.442_695_04
    /// 1.5 * 2^23: adding it rounds to an integer that lands in the low mantissa bits.
    @usableFromInline static let roundingMagic: Float = 12_582_912
    @usableFromInline static let overflow: Float = 88.722_84
    @usableFromInline static let underflow: Float = -87.336_55

    /// Reduces `x` (already clamped to the finite range) to `x = n ln2 + r`, |r| <= ln2 / 2,
    /// and returns `e^r - 1` (computed without cancellation) and `n` as integer bits.
    @inlinable @inline(__always)
    static func reduce(_ x: Float) -> (expm1r: Float, n: Int32) {
        let shifted = x * log2e + roundingMagic
        let n = shifted - roundingMagic
        let r = (x - n * ln2Hi) - n * ln2Lo
        // Minimax coefficients for (e^r - 1 - r) / r^2 on [-ln2/2, ln2/2] (Cephes expf).
        var p: Float = 1.987_569_15e-4
        p = p * r + 1.398_199_950_7e-3
        p = p * r + 8.333_451_907_3e-3
        p = p * r + 4.166_579_589_4e-2
        p = p * r + 1.666_666_545_9e-1
        p = p * r + 5.000_000_120_1e-1
        let bits = Int32(bitPattern: shifted.bitPattern) &- Int32(bitPattern: roundingMagic.bitPattern)
        return (p * (r * r) + r, bits)
    }

    /// 2^n for n in -126...127 (split in two factors by the caller when n may reach 128).
    @inlinable @inline(__always)
    static func powerOfTwo(_ n: Int32) -> Float {
        Float(bitPattern: UInt32(bitPattern: (n &+ 127) &<< 23))
    }

    /// e^x: +inf above 88.72, 0 below -87.34, NaN for NaN.
    @inlinable @inline(__always)
    public static func exp(_ x: Float) -> Float {
        let clamped = Swift.min(Swift.max(x, underflow), overflow)
        let (q, n) = reduce(clamped)
        // 2^n in two factors so that n = 128, near the overflow bound, stays representable.
        let half = n &>> 1
        var y = (q + 1) * powerOfTwo(half) * powerOfTwo(n &- half)
        y = x > overflow ? .infinity : y
        y = x < underflow ? 0 : y
        return x != x ? x : y
    }

    /// e^x - 1 for x <= 0, accurate near zero (no cancellation).
    @inlinable @inline(__always)
    static func expm1NonPositive(_ x: Float) -> Float {
        let (q, n) = reduce(Swift.max(x, underflow))
        let scale = powerOfTwo(n)
        return scale * q + (scale - 1)
    }

    /// tanh x = sign(x) * (-m / (2 + m)) with m = e^(-2|x|) - 1; accurate near zero.
    @inlinable @inline(__always)
    public static func tanh(_ x: Float) -> Float {
        let magnitude = Float(bitPattern: x.bitPattern & 0x7FFF_FFFF)
        let m = expm1NonPositive(-2 * magnitude)
        let t = -m / (2 + m)
        // t is never negative except as -0 (when m = +0); take its magnitude and x's sign.
        let signed = Float(bitPattern: (t.bitPattern & 0x7FFF_FFFF) | (x.bitPattern & 0x8000_0000))
        return x != x ? x : signed
    }

    /// 1 / (1 + e^-x).
    @inlinable @inline(__always)
    public static func sigmoid(_ x: Float) -> Float {
        1 / (1 + exp(-x))
    }

    /// e^x for `count` floats from `input` into `output` (which may alias), by the C kernel
    /// for this CPU's widest instruction set (`Kernels`): the same bits as `exp(_:)`.
    public static func exp(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, count: Int) {
        lesson_exp(input, output, count)
    }

    /// tanh(x) for `count` floats (the C kernel; the same bits as `tanh(_:)`).
    public static func tanh(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, count: Int) {
        lesson_tanh(input, output, count)
    }

    /// sigmoid(x) for `count` floats (the C kernel; the same bits as `sigmoid(_:)`).
    public static func sigmoid(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, count: Int) {
        lesson_sigmoid(input, output, count)
    }
}
