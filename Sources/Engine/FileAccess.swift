import Foundation

/// Whole-file reads and all-or-nothing writes, with errors that name the path.
///
/// The engine's files are small enough to hold in memory (the PTB training text is
/// 5 MB, a checkpoint of the tutorial's model about 14 MB).
enum FileAccess {
    /// The bytes of the file at `url`.
    /// - Throws: `EngineError.fileMissing` when nothing is there, `EngineError.fileUnreadable`
    ///   when it is a directory or cannot be read.
    static func read(_ url: URL) throws -> Data {
        let path = url.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw EngineError.fileMissing(path: path)
        }
        guard !isDirectory.boolValue else {
            throw EngineError.fileUnreadable(path: path, reason: "it is a directory, not a file")
        }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw EngineError.fileUnreadable(path: path, reason: reason(for: error))
        }
    }

    /// Writes `data` to `url` so that readers see either the old file or the whole new
    /// one, never a part: Foundation's `.atomic` writes a temporary file in the same
    /// directory and renames it over `url`.
    /// - Throws: `EngineError.fileUnwritable` naming `url`.
    static func writeAtomically(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw EngineError.fileUnwritable(path: url.path, reason: "the directory \(directory) does not exist")
        }
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw EngineError.fileUnwritable(path: url.path, reason: reason(for: error))
        }
    }

    /// The operating system's words for a failure, when Foundation kept them.
    private static func reason(for error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
           underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(nsError.code)))
        }
        return nsError.localizedDescription
    }
}
