import Tensor

/// The matrix products of one shard's training step, in one place: float32 through BLAS or
/// bf16 through the AVX512_BF16 kernels, each timed under its name and phase when a
/// profile is attached.
///
/// In bf16, a weight operand (always B in this engine) is packed once per step: weights
/// only change between steps, so `beginStep` retires the packs of the step before.
final class MatrixProducts {
    /// Set by `FusedBatchStep.startProfiling`; nil costs one branch per product.
    var profile: StepProfile?
    let precision: Precision
    /// bf16 packs of the weights, by where they live and how they are read.
    private var packs: [PackKey: PackedOperand] = [:]
    private var generation = 0
    /// Which library runs each float32 shape (asked once per shape, then remembered here).
    let plan: ProductPlan
    private var libraries: [ProductKey: ProductLibrary] = [:]

    init(precision: Precision = .float32, plan: ProductPlan = .shared) {
        self.plan = plan
        // Never call bf16 kernels on a CPU without them: such a configuration is refused
        // before training starts (`ModelConfig.problems`); this is the last line of defence.
        self.precision = precision == .bf16 && !BF16.isSupported ? .float32 : precision
    }

    /// Weights may have changed since the last step: pack them again when next used.
    func beginStep() { generation &+= 1 }

    /// `c = op(a) @ op(b) + beta * c` (see `BLAS.gemm` for the storage conventions).
    /// `weight`: b is a model weight, unchanged until the next `beginStep`.
    @inline(__always)
    func gemm(_ name: @autoclosure () -> String, _ phase: StepPhase,
              _ a: UnsafePointer<Float>, transposeA: Bool, _ b: UnsafePointer<Float>, transposeB: Bool,
              _ c: UnsafeMutablePointer<Float>, m: Int, n: Int, k: Int, beta: Float = 0, weight: Bool = false) {
        guard let profile else {
            run(a, transposeA: transposeA, b, transposeB: transposeB, c, m: m, n: n, k: k, beta: beta, weight: weight)
            return
        }
        let shape = ProductShape(name: name(), phase: phase, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB,
                                 accumulates: beta != 0, weight: weight)
        let library = precision == .bf16 ? "bf16 kernels" : self.library(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, beta: beta).title
        profile.measure(shape, library: library) {
            run(a, transposeA: transposeA, b, transposeB: transposeB, c, m: m, n: n, k: k, beta: beta, weight: weight)
        }
    }

    private func run(_ a: UnsafePointer<Float>, transposeA: Bool, _ b: UnsafePointer<Float>, transposeB: Bool,
                     _ c: UnsafeMutablePointer<Float>, m: Int, n: Int, k: Int, beta: Float, weight: Bool) {
        if precision == .bf16, m > 0, n > 0, k > 0 {
            let done = weight
                ? BF16.gemm(a, transposeA: transposeA, packed: packed(b, transposed: transposeB, k: k, n: n), c, m: m, n: n, k: k, beta: beta)
                : BF16.gemm(a, transposeA: transposeA, b, transposeB: transposeB, c, m: m, n: n, k: k, beta: beta)
            if done { return }
            // Out of scratch memory: this product in float32 rather than not at all.
        }
        ProductPlan.run(library(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, beta: beta),
                        a, transposeA: transposeA, b, transposeB: transposeB, c, m: m, n: n, k: k, beta: beta)
    }

    /// The float32 library for a shape.
    @inline(__always)
    private func library(m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, beta: Float) -> ProductLibrary {
        let key = ProductKey(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, accumulates: beta != 0)
        if let known = libraries[key] { return known }
        let chosen = plan.library(for: key)
        libraries[key] = chosen
        return chosen
    }

    private struct PackKey: Hashable {
        let address: UInt, k: Int, n: Int, transposed: Bool
    }

    /// bf16 panels of one weight, and the step they were packed in.
    private final class PackedOperand {
        let storage: UnsafeMutablePointer<UInt16>
        var generation: Int

        init(count: Int, generation: Int) {
            storage = .allocate(capacity: Swift.max(count, 1))
            self.generation = generation
        }

        deinit { storage.deallocate() }
    }

    private func packed(_ b: UnsafePointer<Float>, transposed: Bool, k: Int, n: Int) -> UnsafePointer<UInt16> {
        let key = PackKey(address: UInt(bitPattern: b), k: k, n: n, transposed: transposed)
        if let existing = packs[key], existing.generation == generation { return UnsafePointer(existing.storage) }
        let operand = packs[key] ?? PackedOperand(count: BF16.packedCount(k: k, n: n), generation: generation)
        operand.generation = generation
        BF16.pack(b, transposed: transposed, k: k, n: n, into: operand.storage)
        packs[key] = operand
        return UnsafePointer(operand.storage)
    }

    /// Runs element-wise work `body`, timed under `phase` when profiling.
    @inline(__always)
    func elementwise<R>(_ phase: StepPhase, _ body: () -> R) -> R {
        guard let profile else { return body() }
        return profile.measure(phase, body)
    }
}
