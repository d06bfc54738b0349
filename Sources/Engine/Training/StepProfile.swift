import Foundation

/// The parts a training step's time is split into by `lesson bench --profile`.
public enum StepPhase: Int, CaseIterable, Sendable {
    /// logits = x @ W and its two gradient products.
    case softmaxProducts
    /// The LSTM layers' input, recurrent and gradient products.
    case lstmProducts
    /// Bias, log-sum-exp, loss and d logits over the whole `[N, V]` matrix.
    case softmaxElementwise
    /// Gate activations, new states and the gate gradients.
    case lstmElementwise
    /// Embedding lookups, the sparse embedding gradient and dropout masks.
    case embeddingAndDropout
    /// Adding the shards' gradients together.
    case combine
    /// Global norm, clipping and the SGD update.
    case clipAndUpdate

    public var title: String {
        switch self {
        case .softmaxProducts: "softmax products"
        case .lstmProducts: "LSTM products"
        case .softmaxElementwise: "softmax element-wise"
        case .lstmElementwise: "LSTM element-wise"
        case .embeddingAndDropout: "embedding and dropout"
        case .combine: "summing the shards' gradients"
        case .clipAndUpdate: "clipping and update"
        }
    }

    /// Whether the phase runs inside a shard (concurrently on every core) or once per step.
    public var isPerShard: Bool { self != .combine && self != .clipAndUpdate }
}

/// One matrix product as the step issues it: `C[m, n] (+)= op(A)[m, k] @ op(B)[k, n]`.
public struct ProductShape: Hashable, Sendable {
    /// What the product computes, e.g. "layer 1 recurrent".
    public let name: String
    public let phase: StepPhase
    /// Its dimensions, transposes and whether it adds to C (beta = 1).
    public let key: ProductKey
    /// Whether B is a model weight (in bf16, packed once a step rather than per product).
    public let weight: Bool

    public init(name: String, phase: StepPhase, m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, accumulates: Bool,
                weight: Bool = false) {
        self.name = name
        self.phase = phase
        key = ProductKey(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, accumulates: accumulates)
        self.weight = weight
    }

    public var m: Int { key.m }
    public var n: Int { key.n }
    public var k: Int { key.k }
    public var transposeA: Bool { key.transposeA }
    public var transposeB: Bool { key.transposeB }
    public var accumulates: Bool { key.accumulates }

    /// Floating-point operations of one call (a multiply and an add per term).
    public var flops: Double { key.flops }

    /// `600x10000x128 NT`: m, n, k and whether A and B are transposed.
    public var dimensions: String { "\(m)x\(n)x\(k) \(transposeA ? "T" : "N")\(transposeB ? "T" : "N")" }
}

/// Calls and time of one product shape.
public struct ProductTally: Sendable, Equatable {
    public var calls = 0
    public var nanoseconds: UInt64 = 0
    /// What ran it: "OpenBLAS", "oneDNN" or "bf16 kernels".
    public var library = ""
}

/// Accumulates where training steps spend their time, phase by phase and product by product.
///
/// Each shard owns one (they run on different threads) and the step owns one for its serial
/// phases. The clock is injected: tests drive it by hand.
public final class StepProfile {
    /// Nanoseconds on a monotonic clock.
    public let clock: () -> UInt64
    public private(set) var nanoseconds = [UInt64](repeating: 0, count: StepPhase.allCases.count)
    public private(set) var products: [ProductShape: ProductTally] = [:]
    /// Steps measured.
    public internal(set) var steps = 0
    /// Wall time of the measured steps, clipping and update included.
    public internal(set) var stepNanoseconds: UInt64 = 0

    public init(clock: @escaping () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }) {
        self.clock = clock
    }

    /// Runs `body`, adding its time to `phase`.
    @inline(__always)
    func measure<R>(_ phase: StepPhase, _ body: () throws -> R) rethrows -> R {
        let start = clock()
        defer { nanoseconds[phase.rawValue] &+= clock() &- start }
        return try body()
    }

    /// Runs the product `body`, adding its time to its phase and to its shape's tally.
    @inline(__always)
    func measure(_ shape: ProductShape, library: String, _ body: () -> Void) {
        let start = clock()
        body()
        let elapsed = clock() &- start
        nanoseconds[shape.phase.rawValue] &+= elapsed
        var tally = products[shape] ?? ProductTally()
        tally.calls += 1
        tally.nanoseconds &+= elapsed
        tally.library = library
        products[shape] = tally
    }

    /// Time of `phase`, in nanoseconds.
    public subscript(phase: StepPhase) -> UInt64 { nanoseconds[phase.rawValue] }

    /// Forgets everything measured so far (after warm-up steps, say).
    public func reset() {
        nanoseconds = [UInt64](repeating: 0, count: StepPhase.allCases.count)
        products = [:]
        steps = 0
        stepNanoseconds = 0
    }

    /// Adds what `other` measured in `phases`, with its products of those phases.
    func absorb(_ other: StepProfile, phases: [StepPhase]) {
        for phase in phases { nanoseconds[phase.rawValue] &+= other.nanoseconds[phase.rawValue] }
        for (shape, tally) in other.products where phases.contains(shape.phase) {
            products[shape, default: ProductTally()].calls += tally.calls
            products[shape, default: ProductTally()].nanoseconds &+= tally.nanoseconds
            products[shape, default: ProductTally()].library = tally.library
        }
    }
}
