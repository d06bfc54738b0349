import ArgumentParser
import CellScript
import ModelAPI
import Engine
import Foundation
import Notebook

/// `--param name=value` options, shared by `run` and `step`.
enum ParamOption {
    /// The pairs, checked: a name, an `=`, no name twice.
    static func parse(_ params: [String]) throws -> [String: String] {
        var result: [String: String] = [:]
        for param in params {
            guard let equals = param.firstIndex(of: "=") else {
                throw ValidationError("--param \(param): expected name=value, e.g. --param epochs=1")
            }
            let name = String(param[..<equals]).trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { throw ValidationError("--param \(param): the name before '=' is empty") }
            guard result[name] == nil else { throw ValidationError("--param \(name) is given twice") }
            result[name] = String(param[param.index(after: equals)...])
        }
        return result
    }
}

/// Reading the notebook a command was given.
enum NotebookFile {
    /// The parsed notebook and its text, its warnings printed on standard error.
    /// - Throws: `ExitCode(2)` after printing why the file cannot be read.
    static func load(_ path: String) throws -> (document: NotebookDocument, text: String) {
        do {
            let loaded = try NotebookParser.load(contentsOf: URL(fileURLWithPath: path), name: path)
            for warning in loaded.document.warnings { Console.stderr(warning.description) }
            return loaded
        } catch {
            Console.error("\(error)")
            throw ExitCode(2)
        }
    }
}

/// The front matter's `data:` folder.
enum FrontMatterData {
    /// The folder, relative to the notebook's own folder unless absolute; nil when not set.
    static func directory(_ document: NotebookDocument, _ notebook: URL) -> String? {
        guard let directory = document.dataDirectory, !directory.isEmpty else { return nil }
        let expanded = (directory as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return expanded }
        return notebook.deletingLastPathComponent().appendingPathComponent(expanded).standardizedFileURL.path
    }
}

/// What every command that runs a notebook sets up the same way.
enum NotebookRunning {
    /// The model API for `notebook`: data from `--data` when given, else the notebook's own
    /// `data:`, else the usual lookup; the folders it reads are logged in `dataLog`. Cells'
    /// paths start at the notebook's folder and may write there and in `reportFolder`
    /// (default `Output/` in the working directory), or only into `scratch` when given.
    static func library(_ document: NotebookDocument, at notebook: URL, dataDirectory: String?, seed: UInt64,
                        dataLog: DataLog, reportFolder: URL? = nil, scratch: URL? = nil) -> ModelAPI {
        let files = FileScope(lessonFolder: notebook.deletingLastPathComponent(),
                              reportFolder: reportFolder ?? defaultReportFolder, scratch: scratch)
        return ModelAPI(dataDirectory: dataDirectory ?? FrontMatterData.directory(document, notebook), files: files,
                        seed: seed, dataLog: dataLog)
    }

    /// `Output/` in the working directory, where reports go unless `-o` says otherwise.
    static var defaultReportFolder: URL {
        URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Output")
    }

    /// The cell cache beside `notebook`, checking the data files the cells read.
    static func cache(for notebook: URL, seed: UInt64, dataLog: DataLog, stateThreshold: TimeInterval = 1)
        -> CacheSettings {
        CacheSettings(cache: CellCache(folder: CellCache.folder(forNotebook: notebook)),
                      engineVersion: EngineVersion.string, seed: seed,
                      dataFilesRead: { DataChecksums.urls(in: dataLog.directories) }, stateThreshold: stateThreshold)
    }
}
