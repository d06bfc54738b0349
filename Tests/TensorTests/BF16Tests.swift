import Foundation
import Tensor
import TestSupport
import Testing

// The bf16 matrix products (AVX512_BF16): rounding checked from first principles, products
// against numpy in float64 on the same bf16-rounded inputs, and against float32 BLAS.

@Suite("bf16 matrix products", .enabled(if: BF16.isSupported, "this CPU has no AVX512_BF16"))
struct BF16Tests {
    /// The two bf16 neighbours of a finite float, in Double.
    static func neighbours(_ x: Float) -> (Double, Double) {
        let truncated = Float(bitPattern: x.bitPattern & 0xFFFF_0000)
        let next = Float(bitPattern: (x.bitPattern & 0xFFFF_0000) &+ 0x1_0000)
        return (Double(truncated), Double(next))
    }

    @Test("rounding to bf16 picks the nearer neighbour, ties to even; subnormals become zero; specials survive")
    func rounding() {
        var generator = SplitMix64(seed: 3)
        var values: [Float] = [1, -1, 0.1, 3.14159, 65504, 1e30, -1e-30, 1.0039062, 1.0117188, 1.0078125, 1.0234375, 1.015625]
        for _ in 0..<50_000 {
            values.append(Float(bitPattern: UInt32(truncatingIfNeeded: generator.next()) & 0x7EFF_FFFF | (generator.next() % 2 == 0 ? 0 : 0x8000_0000)))
        }
        for x in values where x.isNormal {
            let rounded = BF16.rounded(x)
            let (low, high) = Self.neighbours(x)
            let exact = Double(x)
            let lowDistance = abs(exact - low), highDistance = abs(exact - high)
            let expected: Double
            if lowDistance != highDistance {
                expected = lowDistance < highDistance ? low : high
            } else {
                // A tie: the neighbour whose last kept bit is 0.
                expected = (x.bitPattern >> 16) & 1 == 0 ? low : high
            }
            #expect(Double(rounded) == expected || (expected.isInfinite && rounded.isInfinite), "\(x) -> \(rounded), expected \(expected)")
        }
        #expect(BF16.rounded(Float.leastNonzeroMagnitude) == 0)
        #expect(BF16.rounded(-Float.leastNormalMagnitude / 2).bitPattern == (-Float(0)).bitPattern)
        #expect(BF16.rounded(.infinity) == .infinity && BF16.rounded(-.infinity) == -.infinity)
        #expect(BF16.rounded(.nan).isNaN)
        #expect(BF16.rounded(Float.greatestFiniteMagnitude) == .infinity, "rounds up past the largest bf16")
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, beta: Float, packed: Bool
        var testDescription: String {
            "\(m)x\(n)x\(k) \(transposeA ? "T" : "N")\(transposeB ? "T" : "N") beta \(beta)\(packed ? " packed" : "")"
        }
    }

    static let cases: [Case] = [
        Case(m: 1, n: 1, k: 1, transposeA: false, transposeB: false, beta: 0, packed: false),
        Case(m: 13, n: 33, k: 7, transposeA: false, transposeB: false, beta: 0, packed: true),
        Case(m: 12, n: 32, k: 64, transposeA: true, transposeB: false, beta: 1, packed: false),
        Case(m: 25, n: 17, k: 31, transposeA: false, transposeB: true, beta: 1, packed: true),
        Case(m: 30, n: 100, k: 40, transposeA: true, transposeB: true, beta: 0, packed: false),
        Case(m: 7, n: 300, k: 1030, transposeA: false, transposeB: false, beta: 0.5, packed: true),
        Case(m: 40, n: 129, k: 600, transposeA: true, transposeB: true, beta: 0, packed: true),
    ]

    @Test("products equal numpy's float64 product of the bf16-rounded inputs (to float32 summation error)", arguments: cases)
    func againstNumpy(_ c: Case) throws {
        var generator = SplitMix64(seed: UInt64(c.m * 31 + c.n * 7 + c.k))
        func random(_ count: Int) -> [Float] { (0..<count).map { _ in Float(generator.nextDouble() * 2 - 1) } }
        let a = random(c.m * c.k), b = random(c.k * c.n), start = random(c.m * c.n)
        var result = start
        let ok = a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                result.withUnsafeMutableBufferPointer { out in
                    if c.packed {
                        var packed = [UInt16](repeating: 0xFFFF, count: BF16.packedCount(k: c.k, n: c.n))
                        packed.withUnsafeMutableBufferPointer { BF16.pack(b.baseAddress!, transposed: c.transposeB, k: c.k, n: c.n, into: $0.baseAddress!) }
                        return BF16.gemm(a.baseAddress!, transposeA: c.transposeA, packed: packed, out.baseAddress!, m: c.m, n: c.n, k: c.k, beta: c.beta)
                    }
                    return BF16.gemm(a.baseAddress!, transposeA: c.transposeA, b.baseAddress!, transposeB: c.transposeB,
                                     out.baseAddress!, m: c.m, n: c.n, k: c.k, beta: c.beta)
                }
            }
        }
        #expect(ok)
        // numpy rounds the inputs itself (nearest even on the bit pattern), so the kernels'
        // packing is checked too.
        let reference = try Numpy.evaluate("""
            def bf16(x):
                bits = x.astype(np.float32).view(np.uint32).astype(np.uint64)
                bits = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16 << 16
                return bits.astype(np.uint32).view(np.float32).astype(np.float64)
            A = bf16(a).reshape(\(c.transposeA ? "(\(c.k), \(c.m))" : "(\(c.m), \(c.k))"))
            B = bf16(b).reshape(\(c.transposeB ? "(\(c.n), \(c.k))" : "(\(c.k), \(c.n))"))
            opA = A.T if \(c.transposeA ? "True" : "False") else A
            opB = B.T if \(c.transposeB ? "True" : "False") else B
            out["c"] = \(c.beta) * start.astype(np.float64) + opA @ opB
            out["scale"] = np.abs(opA) @ np.abs(opB) + np.abs(start)
            """, inputs: ["a": try Tensor(shape: [a.count], scalars: a), "b": try Tensor(shape: [b.count], scalars: b),
                          "start": try Tensor(shape: [c.m, c.n], scalars: start)])
        let expected = try #require(reference["c"]).scalars
        let scale = try #require(reference["scale"]).scalars
        // Float32 sums of k products: error at most ~k ulp of the sum of magnitudes.
        let tolerance = Float(c.k + 2) * Float.ulpOfOne
        for i in 0..<expected.count {
            #expect(abs(result[i] - expected[i]) <= tolerance * scale[i] + 1e-30, "element \(i): \(result[i]) vs \(expected[i])")
            if abs(result[i] - expected[i]) > tolerance * scale[i] + 1e-30 { break }
        }
    }

    @Test("against float32 BLAS the products differ by bf16's rounding only")
    func againstFloat32() {
        let (m, n, k) = (50, 70, 300)
        var generator = SplitMix64(seed: 9)
        let a = (0..<(m * k)).map { _ in Float(generator.nextDouble() * 2 - 1) }
        let b = (0..<(k * n)).map { _ in Float(generator.nextDouble() * 2 - 1) }
        var single = [Float](repeating: 0, count: m * n), half = single
        BLAS.gemm(a, transposeA: false, b, transposeB: false, &single, m: m, n: n, k: k)
        #expect(BF16.gemm(a, transposeA: false, b, transposeB: false, &half, m: m, n: n, k: k))
        let worst = zip(single, half).map { abs($0 - $1) }.max() ?? 0
        let typical = single.map(abs).reduce(0, +) / Float(single.count)
        // Each input carries a relative error up to 2^-9; sums of 300 random-sign products
        // keep the error near sqrt(k) * 2^-8 * typical magnitude, far above float32's.
        #expect(worst > 1e-5, "bf16 really rounds (worst difference \(worst))")
        #expect(worst < 0.05 * typical * 10, "worst difference \(worst) against typical \(typical)")
    }

    @Test("an empty inner dimension gives beta * C, and an empty C is left alone")
    func emptyShapes() {
        var c: [Float] = [1, 2, 3, 4]
        let none: [Float] = [0]
        #expect(BF16.gemm(none, transposeA: false, none, transposeB: false, &c, m: 2, n: 2, k: 0, beta: 0.5))
        #expect(c == [0.5, 1, 1.5, 2])
        #expect(BF16.gemm(none, transposeA: false, none, transposeB: false, &c, m: 0, n: 2, k: 3, beta: 0))
        #expect(c == [0.5, 1, 1.5, 2])
    }
}
