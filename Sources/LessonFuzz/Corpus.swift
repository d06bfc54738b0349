import Foundation

/// The real inputs mutations start from: the interpreter's case files (cells split at their
/// `// cell` lines) and the lessons in `Notebooks/`. Read once per process, in name order, so
/// the same tree gives the same inputs for the same seed and index.
struct Corpus: Sendable {
    /// Case files' cells, each the code of one cell.
    var cells: [String] = []
    /// Lessons: file name and text.
    var notebooks: [(name: String, text: String)] = []
    /// Where it was read from, for the summary; nil when no repository was found.
    var root: String?

    /// The corpus under `root` (the repository: `Tests/CellScriptTests/Cases`, `Notebooks`).
    init(root: URL?) {
        guard let root else { return }
        self.root = root.path
        for file in Self.files(under: root.appendingPathComponent("Tests/CellScriptTests/Cases"), ending: ".swift") {
            guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
            cells += text.components(separatedBy: "\n// cell\n").filter { !$0.isEmpty }
        }
        // A student's answers beside a lesson (`lesson step --student`) is not one of the lessons.
        for file in Self.files(under: root.appendingPathComponent("Notebooks"), ending: ".md")
        where !file.lastPathComponent.hasSuffix(".answers.md") {
            guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
            notebooks.append((file.lastPathComponent, text))
        }
    }

    /// The repository: `explicit` when given, else the first folder up from the working
    /// directory, then from this source file, that holds the case files.
    static func findRoot(explicit: String?) -> URL? {
        if let explicit { return URL(fileURLWithPath: explicit) }
        let starts = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                      URL(fileURLWithPath: #filePath).deletingLastPathComponent()]
        for start in starts {
            var folder = start.standardizedFileURL
            for _ in 0..<8 {
                let cases = folder.appendingPathComponent("Tests/CellScriptTests/Cases").path
                if FileManager.default.fileExists(atPath: cases) { return folder }
                folder = folder.deletingLastPathComponent()
            }
        }
        return nil
    }

    private static func files(under folder: URL, ending suffix: String) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { $0.lastPathComponent.hasSuffix(suffix) }
            .sorted { $0.path < $1.path }
    }
}
