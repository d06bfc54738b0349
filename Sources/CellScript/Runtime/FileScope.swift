import Foundation

/// The files a session's cells may touch, and where their paths lead.
///
/// Cells are text from other people (a student's answer, a cell typed in class), so the paths
/// they pass to `save`, `load` and `ptbRawData(dataDir:)` are confined:
/// - a path is relative to the lesson's folder; absolute paths and `~` are refused;
/// - writes stay inside the lesson's folder or the report folder, reads inside those or the
///   data folder the run was given; `..` that leaves them, and symbolic links that lead out,
///   are refused;
/// - no path may name a hidden file or folder (`.git`, `.lesson-cache`), and cells never write
///   Markdown, so a lesson cannot be overwritten by its own cells.
/// A refusal names the rule and the path as the cell wrote it, never anything read from a file.
///
/// With a `scratch` folder (grading), writes land there instead, at the same path relative to
/// the lesson's folder, and reads look there first: a lesson that saves a model and loads it
/// again still works, and nothing the answers write survives the run.
public struct FileScope: Sendable {
    public enum Access: Sendable {
        case read
        case write
    }

    /// Where relative paths start; cells may read and write inside it.
    public let lessonFolder: URL
    /// The folder reports go to (`Output/`); cells may read and write inside it. Nil for none.
    public let reportFolder: URL?
    /// Folders cells may read but not write (the data folder the run was given).
    public let readOnlyFolders: [URL]
    /// When set, every write goes here instead (see the type's comment); writes to the report
    /// folder are then refused.
    public let scratch: URL?

    /// - Parameters:
    ///   - lessonFolder: the notebook's folder.
    ///   - reportFolder: the run's report folder, nil for none.
    ///   - readOnlyFolders: folders that may also be read (the data folder).
    ///   - scratch: a private folder that takes every write, for runs whose writes must vanish.
    public init(lessonFolder: URL, reportFolder: URL? = nil, readOnlyFolders: [URL] = [], scratch: URL? = nil) {
        self.lessonFolder = Self.canonical(lessonFolder)
        self.reportFolder = reportFolder.map(Self.canonical)
        self.readOnlyFolders = readOnlyFolders.map(Self.canonical)
        self.scratch = scratch.map(Self.canonical)
    }

    /// The scope of a library used outside a notebook: the working directory only.
    public static var workingDirectory: FileScope {
        FileScope(lessonFolder: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true))
    }

    /// This scope with `folders` readable too (the data folder once it is known).
    public func reading(_ folders: [URL]) -> FileScope {
        FileScope(lessonFolder: lessonFolder, reportFolder: reportFolder, readOnlyFolders: readOnlyFolders + folders,
                  scratch: scratch)
    }

    /// The file `path` (as a cell wrote it) names, checked for `access`.
    /// - Parameters:
    ///   - path: the cell's path, relative to the lesson's folder.
    ///   - access: reading an existing file or folder, or writing a file.
    ///   - what: the call, for messages (`save(_:to:)`).
    /// - Throws: `ScriptError` naming the rule the path breaks.
    public func resolve(_ path: String, for access: Access, what: String) throws -> URL {
        let segments = try checkedSegments(path, what: what)
        guard let lexical = Self.join(lessonFolder, segments) else {
            throw refusal(path, what: what, "it leads out of the lesson's folder")
        }
        if let scratch {
            if let inLesson = Self.relative(lexical, to: lessonFolder) {
                return try resolveInScratch(scratch, relative: inLesson, path: path, access: access, what: what)
            }
            guard access == .read else {
                throw refusal(path, what: what, "here (grading, a student's copy) cells may write only inside the lesson's folder, into a scratch folder of their own")
            }
        }
        let real = try realPath(of: lexical, path: path, access: access, what: what)
        guard roots(for: access).contains(where: { Self.isInside(real, $0, orIs: access == .read) }) else {
            throw refusal(path, what: what, Self.reason(lexical: lexical, real: real, in: self, access: access))
        }
        return real
    }

    // MARK: The rules

    /// The path's segments once it passes the rules that need no file system.
    private func checkedSegments(_ path: String, what: String) throws -> [String] {
        guard !path.isEmpty else { throw ScriptError("\(what): the path is empty") }
        guard !path.contains("\0") else { throw refusal(path, what: what, "it holds a NUL character") }
        guard !path.hasPrefix("/") else {
            throw refusal(path, what: what, "it is an absolute path; write it relative to the lesson's folder")
        }
        guard !path.hasPrefix("~") else {
            throw refusal(path, what: what, "`~` is not expanded; write the path relative to the lesson's folder")
        }
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if let hidden = segments.first(where: { $0.hasPrefix(".") && $0 != "." && $0 != ".." }) {
            throw refusal(path, what: what, "`\(hidden)` is a hidden name, and cells may not touch hidden files")
        }
        guard segments.contains(where: { $0 != "." }) else {
            throw refusal(path, what: what, "it names the lesson's folder, not a file")
        }
        return segments
    }

    private func roots(for access: Access) -> [URL] {
        let writable = [lessonFolder] + (reportFolder.map { [$0] } ?? [])
        return access == .write ? writable : writable + readOnlyFolders
    }

    /// The real path behind `lexical`: symbolic links resolved, for a write the folder it goes
    /// into (which must exist) and the file itself only if it is already there.
    private func realPath(of lexical: URL, path: String, access: Access, what: String) throws -> URL {
        if access == .write {
            if ["md", "markdown"].contains(lexical.pathExtension.lowercased()) {
                throw refusal(path, what: what, "cells may not write Markdown files (a lesson could be lost)")
            }
            guard let realFolder = Self.existingRealPath(lexical.deletingLastPathComponent()) else {
                throw Self.missingFolder(path, what: what)
            }
            let target = realFolder.appendingPathComponent(lexical.lastPathComponent)
            return Self.existingRealPath(target) ?? target
        }
        guard let real = Self.existingRealPath(lexical) else {
            // Say nothing about files the cell may not read, not even whether they exist.
            if roots(for: .read).contains(where: { Self.isInside(lexical, $0, orIs: true) }) {
                throw ScriptError("\(what): there is no file or folder \"\(path)\"")
            }
            throw refusal(path, what: what, Self.reason(lexical: lexical, real: lexical, in: self, access: access))
        }
        return real
    }

    /// Writes go to `scratch` at the same relative path; reads find a file written there
    /// first, else the lesson's own (checked as usual).
    private func resolveInScratch(_ scratch: URL, relative: [String], path: String, access: Access,
                                  what: String) throws -> URL {
        let mirrored = relative.reduce(scratch) { $0.appendingPathComponent($1) }
        switch access {
        case .write:
            if ["md", "markdown"].contains(mirrored.pathExtension.lowercased()) {
                throw refusal(path, what: what, "cells may not write Markdown files (a lesson could be lost)")
            }
            let folders = relative.dropLast()
            if !folders.isEmpty {
                // The copy has the lesson's folders, made as they are needed.
                guard Self.existingRealPath(lessonFolder.appendingPathComponent(folders.joined(separator: "/"))) != nil
                else { throw Self.missingFolder(path, what: what) }
                try? FileManager.default.createDirectory(at: mirrored.deletingLastPathComponent(),
                                                         withIntermediateDirectories: true,
                                                         attributes: [.posixPermissions: 0o700])
            }
            return mirrored
        case .read:
            if FileManager.default.fileExists(atPath: mirrored.path) { return mirrored }
            let withoutScratch = FileScope(lessonFolder: lessonFolder, reportFolder: reportFolder,
                                           readOnlyFolders: readOnlyFolders)
            return try withoutScratch.resolve(path, for: .read, what: what)
        }
    }

    private func refusal(_ path: String, what: String, _ reason: String) -> ScriptError {
        ScriptError("\(what): \"\(path)\" is refused: \(reason)", notes: [Self.rule(for: self)])
    }

    /// The rule, as a note under every refusal.
    private static func rule(for scope: FileScope) -> String {
        var writable = "the lesson's folder"
        if scope.scratch != nil {
            writable += " (in a private copy that is thrown away after grading)"
        } else if scope.reportFolder != nil {
            writable += " and the report folder"
        }
        let readable = scope.readOnlyFolders.isEmpty ? "" : ", and read the data folder"
        return "cells may read and write files only inside \(writable)\(readable), "
            + "with paths relative to the lesson's folder"
    }

    private static func reason(lexical: URL, real: URL, in scope: FileScope, access: Access) -> String {
        let allowedLexically = scope.roots(for: access).contains { isInside(lexical, $0, orIs: access == .read) }
        if allowedLexically, lexical.path != real.path { return "a symbolic link on it leads out of the allowed folders" }
        if access == .write, scope.readOnlyFolders.contains(where: { isInside(real, $0, orIs: true) }) {
            return "the data folder is read-only"
        }
        return "it leads out of the lesson's folder"
    }

    // MARK: Paths

    /// `base` followed by `segments`, `.` and `..` applied; nil when `..` climbs above `/`.
    private static func join(_ base: URL, _ segments: [String]) -> URL? {
        var parts = base.path.split(separator: "/").map(String.init)
        for segment in segments {
            switch segment {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default: parts.append(segment)
            }
        }
        return URL(fileURLWithPath: "/" + parts.joined(separator: "/"))
    }

    /// The segments of `url` below `folder`, nil when it is not inside it (or is the folder).
    static func relative(_ url: URL, to folder: URL) -> [String]? {
        let base = folder.path.hasSuffix("/") ? folder.path : folder.path + "/"
        guard url.path.hasPrefix(base) else { return nil }
        return url.path.dropFirst(base.count).split(separator: "/").map(String.init)
    }

    /// Whether `url` lies inside `folder`, or is `folder` itself when `orIs`.
    private static func isInside(_ url: URL, _ folder: URL, orIs: Bool) -> Bool {
        relative(url, to: folder) != nil || (orIs && url.path == folder.path)
    }

    /// The path with every symbolic link resolved, nil when nothing is there.
    private static func existingRealPath(_ url: URL) -> URL? {
        guard let resolved = realpath(url.path, nil) else { return nil }
        defer { free(resolved) }
        return URL(fileURLWithPath: String(cString: resolved))
    }

    /// A folder as it really is (links resolved) when it exists, else as written.
    private static func canonical(_ url: URL) -> URL {
        let standard = url.standardizedFileURL
        return existingRealPath(standard) ?? standard
    }

    private static func missingFolder(_ path: String, what: String) -> ScriptError {
        let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return ScriptError("\(what): cannot write \"\(path)\": the folder \"\(folder.isEmpty ? "." : folder)\" "
                           + "does not exist")
    }
}
