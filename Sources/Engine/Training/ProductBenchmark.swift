import Foundation
import Tensor

/// Times one matrix product shape by itself: the rate the training step could reach on
/// it if nothing else ran. `lesson bench --profile` sets each product of a step against it.
public enum ProductBenchmark {
    /// GFLOP/s of `shape` run over and over on `workers` threads at once (each on its own
    /// matrices, with single-threaded BLAS, as the shards run), for at least `seconds`.
    public static func gigaflops(_ shape: ProductShape, workers: Int, precision: Precision = .float32, plan: ProductPlan = .shared,
                                 seconds: Double = 0.25, clock: () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }) -> Double {
        let count = Swift.max(1, workers)
        let operands = (0..<count).map { ProductOperands(shape.key, seed: UInt64($0) + 1) }
        // One per worker: each keeps its own bf16 packs.
        let products = (0..<count).map { _ in MatrixProducts(precision: precision, plan: plan) }
        func runAll(_ repetitions: Int) {
            BLAS.singleThreaded {
                Parallel.forEach(count) { w in
                    for _ in 0..<repetitions { operands[w].run(products[w], weight: shape.weight) }
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
}

/// A, B and C for one product shape, filled with small values: what the timers multiply.
final class ProductOperands: @unchecked Sendable {
    // @unchecked: each worker touches only its own operands.
    let key: ProductKey
    let a: FloatBuffer, b: FloatBuffer, c: FloatBuffer

    init(_ key: ProductKey, seed: UInt64) {
        self.key = key
        a = FloatBuffer(count: key.m * key.k)
        b = FloatBuffer(count: key.k * key.n)
        c = FloatBuffer(count: key.m * key.n)
        var generator = RandomGenerator(seed: seed)
        for buffer in [a, b] {
            for i in 0..<buffer.count { buffer.pointer[i] = generator.nextUnitFloat() - 0.5 }
        }
    }

    /// The product through the training step's path (library plan, precision, weight packs).
    func run(_ products: MatrixProducts, weight: Bool) {
        products.gemm("timed", .softmaxProducts, a.pointer, transposeA: key.transposeA, b.pointer, transposeB: key.transposeB,
                      c.pointer, m: key.m, n: key.n, k: key.k, beta: key.accumulates ? 1 : 0, weight: weight)
    }

    /// The product on one float32 library.
    func run(_ library: ProductLibrary) {
        ProductPlan.run(library, a.pointer, transposeA: key.transposeA, b.pointer, transposeB: key.transposeB, c.pointer,
                        m: key.m, n: key.n, k: key.k, beta: key.accumulates ? 1 : 0)
    }
}
