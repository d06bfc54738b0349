import Foundation
import Notebook

/// The lesson file a server teaches from: what a student's fork downloads as, and where the
/// presenter's edits are written back.
///
/// Writing back replaces one cell's code lines and nothing else (`CellRewrite`), atomically (a
/// new file in the same folder, renamed over the old one), and only when the file on disk is
/// still the text the server last read or wrote, so an edit made in a text editor meanwhile
/// is never overwritten.
public final class ServedNotebook: @unchecked Sendable {
    // @unchecked: `text` is only touched with `lock` held.
    public let url: URL
    /// Students download the handout (solutions replaced by their exercises), never the lesson.
    public let student: Bool
    private var text: String
    private let lock = NSLock()

    public struct Refusal: Error, CustomStringConvertible {
        public let status: Int
        public let description: String
    }

    public init(url: URL, text: String, student: Bool) {
        self.url = url
        self.text = text
        self.student = student
    }

    /// The lesson as a fork's student has it: their edits in place of the lesson's code (the
    /// handout's, in a student session).
    public func download(edits: [Int: String]) throws(Refusal) -> String {
        let lesson = lock.withLock { text }
        let base = student ? StudentHandout.text(of: NotebookParser.parse(text: lesson), text: lesson) : lesson
        do {
            return try CellRewrite.apply(edits, to: base)
        } catch {
            throw Refusal(status: 409, description: "Your edits cannot be written into the lesson: \(error.description)")
        }
    }

    /// A name for a fork's download: `<lesson>-my-copy.md`.
    public var downloadName: String {
        url.deletingPathExtension().lastPathComponent + "-my-copy.md"
    }

    /// Writes `code` into cell `cell` (0-based) of the lesson file.
    public func writeBack(cell: Int, code: String) throws(Refusal) {
        lock.lock()
        defer { lock.unlock() }
        do {
            guard let data = try? Data(contentsOf: url), let onDisk = String(data: data, encoding: .utf8) else {
                throw Refusal(status: 409, description: "The notebook file cannot be read any more: nothing was written.")
            }
            guard onDisk == text else {
                throw Refusal(status: 409, description: "The notebook changed on disk since the server read it: nothing was "
                              + "written. Copy your edit into the file by hand, or restart the server to teach the new version.")
            }
            let updated: String
            do throws(CellRewrite.Refusal) {
                updated = try CellRewrite.apply([cell: code], to: text)
            } catch {
                throw Refusal(status: 400, description: "Cell \(cell + 1) cannot be written back: \(error.description)")
            }
            let folder = url.deletingLastPathComponent()
            let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).lesson-\(UUID().uuidString)")
            do {
                try Data(updated.utf8).write(to: temporary, options: .withoutOverwriting)
                if let mode = try? FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] {
                    try? FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: temporary.path)
                }
                guard rename(temporary.path, url.path) == 0 else {
                    throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
                }
            } catch {
                try? FileManager.default.removeItem(at: temporary)
                throw Refusal(status: 503, description: "The notebook could not be written: \(error.localizedDescription)")
            }
            text = updated
        }
    }
}
