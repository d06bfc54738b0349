/// Why a session's state could not be saved (`exportState`) or read back (`importState`).
public enum SessionStateError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The state holds something the format cannot carry: a function or closure, a bound
    /// method, an object of an unknown type, a library without saved state. The text names
    /// the global or library at fault.
    case unsupported(String)
    /// The bytes are not a saved session this version can read: wrong magic or version,
    /// truncated, an unknown tag, a length past the end, an inconsistent object.
    case malformed(String)

    public var description: String {
        switch self {
        case .unsupported(let detail): return "cannot save the session: \(detail)"
        case .malformed(let detail): return "not a readable saved session: \(detail)"
        }
    }
}
