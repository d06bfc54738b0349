import Foundation

/// Files written so that a reader (or a crash) never sees half of one.
enum AtomicFile {
    /// Writes `text` to a file beside `url` and renames it over `url`.
    static func write(_ text: String, to url: URL) throws {
        try Data(text.utf8).write(to: url, options: .atomic)
    }
}
