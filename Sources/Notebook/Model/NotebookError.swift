/// Why a notebook could not be parsed at all.
public enum NotebookError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be read (missing, a directory, no permission).
    case unreadable(file: String, reason: String)
    /// The file's bytes are not UTF-8; `byteOffset` is the first bad byte.
    case notUTF8(file: String, byteOffset: Int)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "\(file): error: cannot read the notebook: \(reason)"
        case .notUTF8(let file, let byteOffset):
            return "\(file): error: the notebook is not UTF-8 text (first bad byte at offset \(byteOffset))"
        }
    }
}
