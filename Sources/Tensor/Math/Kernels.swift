import CKernels

/// The engine's element-wise kernels (C, in `CKernels`), compiled for AVX-512, AVX2 and
/// SSE2; the widest set the CPU has is used unless told otherwise. Each gives the same bits
/// as `VectorMath`'s Swift definitions (no fused multiply-adds, the same order of operations).
public enum Kernels {
    /// An instruction set the kernels are compiled for.
    public enum InstructionSet: Int, CaseIterable, Sendable, Comparable {
        case sse2 = 0, avx2 = 1, avx512 = 2

        public var name: String { String(cString: lesson_kernels_isa_name(Int32(rawValue))) }

        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// The widest instruction set this CPU runs.
    public static var best: InstructionSet { InstructionSet(rawValue: Int(lesson_kernels_best_isa())) ?? .sse2 }

    /// The instruction set in use.
    public static var current: InstructionSet { InstructionSet(rawValue: Int(lesson_kernels_isa())) ?? .sse2 }

    /// Uses `set` from now on (before work starts: tests, benchmarks).
    /// - Returns: false, changing nothing, when the CPU lacks it.
    @discardableResult
    public static func use(_ set: InstructionSet) -> Bool { lesson_kernels_use_isa(Int32(set.rawValue)) == 0 }

    /// Runs `body` with `set` in use, then goes back to the one before. False if the CPU lacks it.
    public static func with(_ set: InstructionSet, _ body: () throws -> Void) rethrows -> Bool {
        let previous = current
        guard use(set) else { return false }
        defer { use(previous) }
        try body()
        return true
    }

    /// Softmax cross-entropy of `rows` rows of `width` logits (bias not yet added), summed.
    /// With `gradientScale`, each row becomes `(softmax - onehot) * scale`, added to `biasGrad`.
    @inline(__always)
    public static func softmaxLoss(_ logits: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, rows: Int, width: Int,
                                   targets: UnsafePointer<Int32>, gradientScale: Float?, biasGrad: UnsafeMutablePointer<Float>) -> Double {
        lesson_softmax_loss(logits, bias, rows, width, targets, gradientScale == nil ? 0 : 1, gradientScale ?? 0, biasGrad)
    }

    /// One LSTM step's gates, new cell and hidden state for `rows` rows (see `lesson_lstm_activate`).
    @inline(__always)
    public static func lstmActivate(gates: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, forgetBias: Float,
                                    previousCells: UnsafePointer<Float>, cells: UnsafeMutablePointer<Float>,
                                    hiddens: UnsafeMutablePointer<Float>, tanhCells: UnsafeMutablePointer<Float>, rows: Int, units: Int) {
        lesson_lstm_activate(gates, bias, forgetBias, previousCells, cells, hiddens, tanhCells, rows, units)
    }

    /// One LSTM step's gate gradients (see `lesson_lstm_differentiate`).
    @inline(__always)
    public static func lstmDifferentiate(gates: UnsafePointer<Float>, gateGrads: UnsafeMutablePointer<Float>,
                                         previousCells: UnsafePointer<Float>, tanhCells: UnsafePointer<Float>,
                                         hiddenCarry: UnsafePointer<Float>, cellCarry: UnsafeMutablePointer<Float>,
                                         upstream: UnsafePointer<Float>, rows: Int, units: Int) {
        lesson_lstm_differentiate(gates, gateGrads, previousCells, tanhCells, hiddenCarry, cellCarry, upstream, rows, units)
    }

    /// `out[j] = sum over rows of m[row, j]` for a row-major `[rows, columns]` matrix.
    @inline(__always)
    public static func columnSums(_ m: UnsafePointer<Float>, rows: Int, columns: Int, into out: UnsafeMutablePointer<Float>) {
        lesson_column_sums(m, rows, columns, out)
    }

    /// `y += a * x`.
    @inline(__always)
    public static func axpy(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        lesson_axpy(a, x, y, count)
    }
}
