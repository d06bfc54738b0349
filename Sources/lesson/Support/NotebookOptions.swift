import ArgumentParser
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
