import Foundation

/// A link or image destination in a lesson's prose, read as a path relative to the lesson's
/// page (which `lesson serve` shows at `/`), or the reason it names no file the server serves.
///
/// Only relative paths count: a destination with a scheme (`http:`, `mailto:`, `data:`) or
/// that starts with `/` is not a file beside the lesson. `.` segments are dropped as a browser
/// drops them; `..`, hidden names, empty segments and Markdown sources are refused here, before
/// the file system is asked anything.
enum LocalLink: Equatable {
    /// The path's segments, percent-decoded (`my%20figure.png` and `my figure.png` alike).
    case path([String])
    /// Not a file link at all (`#anchor`, `https://…`, `mailto:`): nothing to say about it.
    case notAFile
    /// A relative link the server will not serve, and why.
    case refused(LessonFiles.Refusal)

    init(destination: String) {
        // A browser requests the path without its query and fragment.
        let path = destination.prefix { $0 != "#" }.prefix { $0 != "?" }
        guard !path.isEmpty else { self = .notAFile; return }
        // A scheme (`https:`, `data:`), or `//host/…`: somewhere else, as `URLPolicy` in Render sees it.
        let firstSegment = path.prefix { $0 != "/" }
        let slashes: Set<Character> = ["/", "\\"]
        guard !firstSegment.contains(":"), !(path.prefix(2).count == 2 && path.prefix(2).allSatisfy(slashes.contains))
        else { self = .notAFile; return }
        guard !path.hasPrefix("/") else { self = .refused(.notRelative); return }
        self = Self.segments(path.split(separator: "/", omittingEmptySubsequences: false).map(String.init))
    }

    /// A request's path (as sent: percent-encoded, with its leading `/` and any query), read
    /// the same way; `.` segments are refused rather than dropped (browsers never send them).
    init(requestPath: String) {
        let path = requestPath.prefix { $0 != "?" }
        guard path.hasPrefix("/") else { self = .refused(.malformed); return }
        let segments = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !segments.contains(".") else { self = .refused(.malformed); return }
        self = Self.segments(segments)
    }

    /// Decodes and checks each raw segment.
    private static func segments(_ raw: [String]) -> LocalLink {
        var decoded: [String] = []
        for segment in raw where segment != "." {
            guard !segment.isEmpty, let name = segment.removingPercentEncoding,
                  !name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }),
                  !name.contains("/"), !name.contains("\\") else { return .refused(.malformed) }
            if name == ".." { return .refused(.outside) }
            if name.hasPrefix(".") { return .refused(.hidden) }
            decoded.append(name)
        }
        guard let last = decoded.last else { return .refused(.malformed) }
        return isMarkdown(last) ? .refused(.markdown) : .path(decoded)
    }

    /// `.html`, `.htm` and `.xhtml` in any case: pages such as the instructor report.
    static func isPage(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return [".html", ".htm", ".xhtml"].contains { lowered.hasSuffix($0) }
    }

    /// `.md` and `.markdown` in any case: lessons, whose solutions a student session withholds.
    static func isMarkdown(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return lowered.hasSuffix(".md") || lowered.hasSuffix(".markdown")
    }
}
