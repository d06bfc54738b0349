import Foundation
import Tensor

/// Times one matrix product shape by itself: the rate the training step could reach on
/// it if nothing else ran. `lesson bench --profile` sets each product of a step against it.
public enum ProductBenchmark {
    /// GFLOP/s of `shape` run over and over on `workers` threads at once (each on its own
    /// matrices, with single-threaded BLAS, as the shards run), for at least `seconds`.
    public static func gigaflops(_ shape: ProductShape, workers: Int, precision: Precision = .float32, seconds: Double = 0.25,
                                 clock: () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }) -> Double {
        let count = Swift.max(1, workers)
        let operands = (0..<count).map { Operands(shape, seed: UInt64($0) + 1) }
        // One per worker: each keeps its own bf16 packs.
        let products = (0..<count).map { _ in MatrixProducts(precision: precision) }
        func runAll(_ repetitions: Int) {
            BLAS.singleThreaded {
                Parallel.forEach(count) { w in
                    for _ in 0..<repetitions { operands[w].run(products[w]) }
                }
            }
        }
        runAll(2)  // warm caches and the library's buffers
        var repetitions = 1
        var total: UInt64 = 0
        var done = 0
        // Double the batch until the time is long enough to trust.
        while Double(total) < seconds * 1e9 {
            let start = clock()
            runAll(repetitions)
            total &+= clock() &- start
            done += repetitions
            repetitions *= 2
        }
        return shape.flops * Double(done) / Double(Swift.max(total, 1))
    }

    /// One worker's A, B and C for a shape, filled with small values.
    private final class Operands: @unchecked Sendable {
        // @unchecked: each worker touches only its own Operands.
        let shape: ProductShape
        let a: FloatBuffer, b: FloatBuffer, c: FloatBuffer

        init(_ shape: ProductShape, seed: UInt64) {
            self.shape = shape
            a = FloatBuffer(count: shape.m * shape.k)
            b = FloatBuffer(count: shape.k * shape.n)
            c = FloatBuffer(count: shape.m * shape.n)
            var generator = RandomGenerator(seed: seed)
            for buffer in [a, b] {
                for i in 0..<buffer.count { buffer.pointer[i] = generator.nextUnitFloat() - 0.5 }
            }
        }

        func run(_ products: MatrixProducts) {
            products.gemm(shape.name, shape.phase, a.pointer, transposeA: shape.transposeA, b.pointer, transposeB: shape.transposeB,
                          c.pointer, m: shape.m, n: shape.n, k: shape.k, beta: shape.accumulates ? 1 : 0, weight: shape.weight)
        }
    }
}
