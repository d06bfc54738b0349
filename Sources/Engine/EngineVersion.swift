/// The engine's version, recorded in checkpoints and reports, and part of every cell cache
/// key: raise it whenever what a cell computes can change (an initialiser, a built-in), so
/// cached outputs of the old behaviour are never taken for the new one.
public enum EngineVersion {
    /// 0.2.0: BasicLSTMCell's kernel is Glorot-uniform unless initScale is given; generate,
    /// pca and scatter.
    public static let string = "0.2.0"
}
