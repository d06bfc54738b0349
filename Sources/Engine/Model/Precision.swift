import Tensor

/// How the training step multiplies matrices.
public enum Precision: String, Codable, Sendable, CaseIterable {
    /// float32 throughout (OpenBLAS): the tutorial's numbers.
    case float32
    /// Matrix inputs rounded to bfloat16, products summed in float32, weights, gradients
    /// and every element-wise step in float32 (AVX512_BF16 only).
    case bf16

    /// Why this CPU cannot train in this precision, or nil when it can.
    public var unavailableReason: String? {
        switch self {
        case .float32: nil
        case .bf16: BF16.isSupported ? nil
            : "precision bf16 needs a CPU with AVX512_BF16 instructions, which this one lacks; use float32"
        }
    }
}
