/// The engine's version, recorded in checkpoints and reports.
public enum EngineVersion {
    public static let string = "0.1.0"
}
