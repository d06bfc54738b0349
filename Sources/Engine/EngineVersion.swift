/// The engine's version, recorded in checkpoints and reports, and part of every cell cache
/// key: raise it whenever what a cell computes can change (an initialiser, a built-in), so
/// cached outputs of the old behaviour are never taken for the new one.
public enum EngineVersion {
    /// 0.2.0: BasicLSTMCell's kernel is Glorot-uniform unless initScale is given; generate,
    /// pca and scatter.
    /// 0.3.0: ModelConfig has `precision` (shown in its description); bf16 training. float32
    /// results are unchanged to the bit (the C kernels repeat the Swift arithmetic).
    /// 0.4.0: float32 products run on OpenBLAS or oneDNN, whichever this machine measured
    /// faster per shape (`ProductPlan`), which can move results in the last bits.
    public static let string = "0.4.0"
}
