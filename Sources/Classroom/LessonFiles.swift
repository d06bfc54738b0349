import Foundation
import Notebook

/// The files a lesson's page may load besides itself: the local files its prose links to or
/// shows as images, decided once when the server starts. Nothing else in the lesson's folder
/// is served: not the lesson's Markdown (which holds the solutions a student session
/// withholds), not other lessons, not the cell cache, not files the prose does not link.
///
/// Each linked file is resolved to its real path at start-up and kept only if that path lies
/// inside the lesson's folder (symbolic links that lead out are refused), names no hidden
/// file or folder, is a regular file, and is neither Markdown, nor an HTML page (an instructor
/// report holds the solutions too, and the page never loads another page), nor the lesson.
public struct LessonFiles: Sendable {
    /// Why a linked file is not served.
    public enum Refusal: Error, Equatable, Sendable, CustomStringConvertible {
        case notRelative, malformed, outside, hidden, markdown, page, theLesson, missing, notAFile

        public var description: String {
            switch self {
            case .notRelative: return "only paths relative to the lesson are served"
            case .malformed: return "not a usable path"
            case .outside: return "it is outside the lesson's folder"
            case .hidden: return "hidden files and folders are never served"
            case .markdown: return "Markdown sources are never served"
            case .page: return "HTML pages (a report may hold the solutions) are never served"
            case .theLesson: return "the lesson itself is never served"
            case .missing: return "no such file in the lesson's folder"
            case .notAFile: return "it is not a regular file"
            }
        }
    }

    /// A prose link that names a file the server does not serve.
    public struct Skipped: Equatable, Sendable {
        public let link: String
        public let reason: Refusal
    }

    /// The allow-list: a request path's decoded segments joined by `/` -> the real file.
    public let served: [String: URL]
    /// Links to local files that are not served (a teacher may want to know why an image is missing).
    public let skipped: [Skipped]

    /// The files `document`'s prose links, beside `notebook` (the lesson's own file).
    public init(document: NotebookDocument, notebook: URL) {
        self.init(links: Self.destinations(in: document), notebook: notebook)
    }

    init(links: [String], notebook: URL) {
        let lesson = Self.realPath(notebook.path)
        let folder = Self.realPath(notebook.deletingLastPathComponent().path)
        var served: [String: URL] = [:]
        var skipped: [Skipped] = []
        for link in links {
            switch LocalLink(destination: link) {
            case .notAFile:
                continue
            case .refused(let reason):
                skipped.append(Skipped(link: link, reason: reason))
            case .path(let segments):
                switch Self.resolve(segments, in: folder, lesson: lesson) {
                case .success(let file): served[segments.joined(separator: "/")] = file
                case .failure(let reason): skipped.append(Skipped(link: link, reason: reason))
                }
            }
        }
        self.served = served
        self.skipped = skipped
    }

    /// The file a request path (as sent: percent-encoded, with its leading `/`) names, if it
    /// is one the prose links; nil for everything else, whether or not it exists.
    public func file(forRequestPath requestPath: String) -> URL? {
        guard case .path(let segments) = LocalLink(requestPath: requestPath) else { return nil }
        return served[segments.joined(separator: "/")]
    }

    /// The bytes of a file `file(forRequestPath:)` gave, read only if it is still what it was
    /// at start-up: the same real path (no link swapped in along the way since) and a regular
    /// file, opened without following a link at its last step; nil otherwise.
    public static func contents(of file: URL) -> Data? {
        guard realPath(file.path) == file.path else { return nil }
        let descriptor = open(file.path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
        return try? handle.readToEnd() ?? Data()
    }

    /// Every link and image destination in the prose, in document order.
    static func destinations(in document: NotebookDocument) -> [String] {
        document.blocks.flatMap { block -> [String] in
            guard case .prose(let prose) = block else { return [] }
            return prose.nodes.flatMap(\.allNodes).compactMap { node in
                switch node.kind {
                case .link(let url, _), .image(let url, _): return url
                default: return nil
                }
            }
        }
    }

    /// The real file `segments` names inside `folder` (both real paths), or why it is not served.
    private static func resolve(_ segments: [String], in folder: String?, lesson: String?) -> Result<URL, Refusal> {
        guard let folder else { return .failure(.missing) }
        guard let real = realPath(([folder] + segments).joined(separator: "/")) else { return .failure(.missing) }
        // Compared as bytes: `String` comparison treats differently normalised names as equal.
        let base = folder.hasSuffix("/") ? folder : folder + "/"
        guard real.utf8.starts(with: base.utf8) else { return .failure(.outside) }
        let inside = String(decoding: real.utf8.dropFirst(base.utf8.count), as: UTF8.self).split(separator: "/")
        if inside.contains(where: { $0.hasPrefix(".") }) { return .failure(.hidden) }
        if real == lesson { return .failure(.theLesson) }
        if let name = inside.last, LocalLink.isMarkdown(String(name)) { return .failure(.markdown) }
        if let name = inside.last, LocalLink.isPage(String(name)) { return .failure(.page) }
        let type = (try? FileManager.default.attributesOfItem(atPath: real))?[.type] as? FileAttributeType
        guard type == .typeRegular else { return .failure(.notAFile) }
        return .success(URL(fileURLWithPath: real))
    }

    /// The path with every symbolic link, `.` and `..` resolved; nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The content type for a file's extension; images and text the page may show.
    static func contentType(of url: URL) -> String {
        switch url.pathExtension.lowercased() {
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "svg": return "image/svg+xml"
        case "webp": return "image/webp"
        case "txt": return "text/plain; charset=utf-8"
        case "csv": return "text/csv; charset=utf-8"
        default: return "application/octet-stream"
        }
    }
}
