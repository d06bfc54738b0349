import Foundation

/// Finds the directory that holds the three Penn Treebank files.
///
/// The places, in order:
/// 1. an explicit directory (the `--data DIR` option); if given, it must hold the files;
/// 2. the `LESSON_DATA_DIR` environment variable;
/// 3. `data/ptb` in the working directory;
/// 4. `../shared/data/ptb` next to the working directory.
///
/// The first place that holds all three files wins. Relative paths are taken
/// relative to the working directory, and `~` is expanded.
public enum DataDirectory {
    /// The files a data directory must hold.
    public static let fileNames = ["ptb.train.txt", "ptb.valid.txt", "ptb.test.txt"]

    /// The environment variable read in step 2.
    public static let environmentVariable = "LESSON_DATA_DIR"

    /// Where the files come from, for the error message.
    public static let downloadURL = "http://www.fit.vutbr.cz/~imikolov/rnnlm/simple-examples.tgz"

    /// One place the search looked at, and what it found there.
    struct Candidate: Equatable, Sendable {
        /// The absolute, standardized directory path.
        let path: String
        /// Why the search looked here, e.g. `--data` or `$LESSON_DATA_DIR`.
        let origin: String
        /// Whether `path` is an existing directory.
        let exists: Bool
        /// The file names of `DataDirectory.fileNames` not found in `path`.
        let missing: [String]

        /// True when all three files are present.
        var isComplete: Bool { exists && missing.isEmpty }

        /// One line for the error message: the path, why it was searched, what was wrong.
        var summary: String {
            let finding = exists ? "missing \(missing.joined(separator: ", "))" : "no such directory"
            return "\(path) (\(origin)): \(finding)"
        }
    }

    /// Picks the data directory.
    /// - Parameters:
    ///   - explicit: the `--data` option, if the user gave one.
    ///   - environment: the process environment (inject it so tests stay hermetic).
    ///   - workingDirectory: the directory relative paths start from.
    /// - Returns: the directory URL holding `ptb.train.txt`, `ptb.valid.txt`, `ptb.test.txt`.
    /// - Throws: `EngineError.dataDirectoryMissing` / `.dataDirectoryIncomplete` when `explicit`
    ///   does not exist or lacks a file (no fallback: the user asked for that directory);
    ///   `EngineError.dataNotFound` listing every place looked at when none holds the files.
    public static func resolve(
        explicit: String?, environment: [String: String], workingDirectory: String
    ) throws -> URL {
        let base = URL(fileURLWithPath: workingDirectory, isDirectory: true)
        if let explicit {
            let candidate = inspect(explicit, origin: "--data", base: base)
            guard candidate.exists else {
                throw EngineError.dataDirectoryMissing(directory: candidate.path, origin: "--data")
            }
            guard candidate.isComplete else {
                throw EngineError.dataDirectoryIncomplete(
                    directory: candidate.path, origin: "--data", missing: candidate.missing)
            }
            return URL(fileURLWithPath: candidate.path, isDirectory: true)
        }
        var searched: [Candidate] = []
        if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty {
            searched.append(inspect(fromEnvironment, origin: "$\(environmentVariable)", base: base))
        }
        searched.append(inspect("data/ptb", origin: "data/ptb in the working directory", base: base))
        searched.append(inspect("../shared/data/ptb", origin: "shared/data/ptb beside the working directory", base: base))
        if let found = searched.first(where: { $0.isComplete }) {
            return URL(fileURLWithPath: found.path, isDirectory: true)
        }
        throw EngineError.dataNotFound(searched: searched.map(\.summary))
    }

    /// Looks at one directory without reading any file.
    static func inspect(_ path: String, origin: String, base: URL) -> Candidate {
        let expanded = NSString(string: path).expandingTildeInPath
        let url = URL(fileURLWithPath: expanded, isDirectory: true, relativeTo: base).standardizedFileURL
        let directory = url.path
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        let exists = fileManager.fileExists(atPath: directory, isDirectory: &isDirectory) && isDirectory.boolValue
        let missing = fileNames.filter { name in
            var fileIsDirectory: ObjCBool = false
            let filePath = url.appendingPathComponent(name).path
            return !(fileManager.fileExists(atPath: filePath, isDirectory: &fileIsDirectory) && !fileIsDirectory.boolValue)
        }
        return Candidate(path: directory, origin: origin, exists: exists, missing: missing)
    }

    /// The text of `EngineError.dataNotFound`: every place looked at (each a `Candidate.summary`),
    /// then how to get the files.
    static func notFoundMessage(searched: [String]) -> String {
        var lines = ["could not find the Penn Treebank files (\(fileNames.joined(separator: ", "))). Looked in:"]
        for (number, place) in searched.enumerated() {
            lines.append("  \(number + 1). \(place)")
        }
        lines.append("To get them, download Tomas Mikolov's simple-examples archive (\(downloadURL)) and unpack it;")
        lines.append("its data/ folder holds \(fileNames.joined(separator: ", ")).")
        lines.append("Copy those three files into one of the places above, or pass --data DIR, "
            + "or set \(environmentVariable)=DIR.")
        return lines.joined(separator: "\n")
    }
}
