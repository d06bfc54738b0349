/// An error raised while a cell runs. Built-ins throw it with just a message;
/// the interpreter fills in the location of the call or expression that failed.
/// Any other `Error` a built-in throws is reported with its description.
public struct ScriptError: Error, CustomStringConvertible {
    public var phase: CellDiagnostic.Phase
    public var message: String
    public var location: SourceLocation?
    public var notes: [String]

    public init(_ message: String, at location: SourceLocation? = nil, notes: [String] = []) {
        self.phase = .runtime
        self.message = message
        self.location = location
        self.notes = notes
    }

    init(phase: CellDiagnostic.Phase, _ message: String, at location: SourceLocation?) {
        self.phase = phase
        self.message = message
        self.location = location
        self.notes = []
    }

    public var description: String { message }

    public var diagnostic: CellDiagnostic {
        CellDiagnostic(phase, message, at: location, notes: notes)
    }

    /// The error with `location` filled in when it has none yet.
    func located(at fallback: SourceLocation?) -> ScriptError {
        var copy = self
        if copy.location == nil { copy.location = fallback }
        return copy
    }

    /// Converts whatever a built-in threw into a located script error.
    static func from(_ error: any Error, at location: SourceLocation?) -> ScriptError {
        if let scriptError = error as? ScriptError {
            return scriptError.located(at: location)
        }
        return ScriptError(String(describing: error), at: location)
    }
}
