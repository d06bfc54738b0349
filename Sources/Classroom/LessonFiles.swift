import Foundation

/// The files a lesson's page may load besides itself (its prose's local images), answered
/// only from inside the lesson's folder.
///
/// Refused: `..` segments, absolute or empty paths, hidden names (`.lesson-cache`, `.git`),
/// anything that resolves (through symbolic links) outside the folder, folders, and the
/// percent-encoded forms of all of these.
struct LessonFiles: Sendable {
    /// The lesson's folder, symbolic links resolved.
    let folder: URL

    init(folder: URL) {
        self.folder = folder.standardizedFileURL.resolvingSymlinksInPath()
    }

    enum Lookup: Equatable {
        case file(URL)
        /// Not a path we answer: outside the folder, hidden, malformed.
        case refused
        case notFound
    }

    /// The file a request path (as sent, percent-encoded, with its leading `/`) names.
    func lookup(requestPath: String) -> Lookup {
        let raw = requestPath.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        guard let decoded = String(raw).removingPercentEncoding, !decoded.contains("\0"),
              !decoded.contains("\\") else { return .refused }
        let segments = decoded.split(separator: "/", omittingEmptySubsequences: true)
        guard !segments.isEmpty else { return .refused }
        for segment in segments where segment == ".." || segment == "." || segment.hasPrefix(".") {
            return .refused
        }
        let candidate = segments.reduce(folder) { $0.appendingPathComponent(String($1)) }
        let resolved = candidate.standardizedFileURL.resolvingSymlinksInPath()
        let base = folder.path.hasSuffix("/") ? folder.path : folder.path + "/"
        guard resolved.path.hasPrefix(base) else { return .refused }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved.path, isDirectory: &isDirectory) else { return .notFound }
        return isDirectory.boolValue ? .refused : .file(resolved)
    }

    /// The content type for a file's extension; images and text the page may show.
    static func contentType(of url: URL) -> String {
        switch url.pathExtension.lowercased() {
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "svg": return "image/svg+xml"
        case "webp": return "image/webp"
        case "txt", "md": return "text/plain; charset=utf-8"
        case "csv": return "text/csv; charset=utf-8"
        default: return "application/octet-stream"
        }
    }
}
