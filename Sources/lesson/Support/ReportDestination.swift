import ArgumentParser
import Foundation

/// Where a report goes, checked before any cell runs (a half-hour run must not end in
/// "cannot write"), and written all at once: readers see the old report or the whole new one.
struct ReportDestination {
    let url: URL

    /// `output`, or `Output/<notebook name><suffix>.html` under the current directory (created if
    /// missing); `suffix` is `.student` for the student report.
    /// - Parameters:
    ///   - inputs: files the command reads (besides `notebook`), which no file it writes may replace.
    ///   - handout: whether the student handout is written beside the report too.
    /// - Throws: `ExitCode(2)` after printing why, when the folder is missing or not writable, or
    ///   when the report (or the handout) would replace one of the inputs.
    init(notebook: URL, output: String?, suffix: String = "", inputs: [URL] = [], handout: Bool = false) throws {
        let fileManager = FileManager.default
        if let output {
            url = URL(fileURLWithPath: output)
        } else {
            let folder = NotebookRunning.defaultReportFolder
            do {
                try fileManager.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                Console.error("cannot create the report folder \(folder.path): \(error.localizedDescription)")
                throw ExitCode(2)
            }
            url = folder.appendingPathComponent(notebook.deletingPathExtension().lastPathComponent + suffix + ".html")
        }
        let folder = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            let problem = fileManager.fileExists(atPath: folder) ? "is a file, not a folder" : "does not exist"
            Console.error("-o \(url.path): the folder \(folder) \(problem)")
            throw ExitCode(2)
        }
        guard fileManager.isWritableFile(atPath: folder) else {
            Console.error("cannot write the report: the folder \(folder) is not writable")
            throw ExitCode(2)
        }
        if fileManager.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            Console.error("cannot write the report: \(url.path) is a folder")
            throw ExitCode(2)
        }
        func same(_ a: URL, _ b: URL) -> Bool {
            a.standardizedFileURL.resolvingSymlinksInPath().path == b.standardizedFileURL.resolvingSymlinksInPath().path
        }
        let written = [url, interruptedURL] + (handout ? [handoutURL] : [])
        for target in written {
            if let input = ([notebook] + inputs).first(where: { same($0, target) }) {
                Console.error("-o \(url.path): that would write over \(input.path), which this command reads")
                throw ExitCode(2)
            }
        }
        if handout, same(handoutURL, url) {
            Console.error("-o \(url.path): the student report must not end in .md (the handout goes there)")
            throw ExitCode(2)
        }
    }

    /// The report of a run stopped by Ctrl-C goes beside the real one, which stays as it was.
    var interruptedURL: URL {
        url.deletingPathExtension().appendingPathExtension("interrupted").appendingPathExtension("html")
    }

    /// The student handout beside the report: the report's name with `.md` for `.html`.
    var handoutURL: URL {
        url.deletingPathExtension().appendingPathExtension("md")
    }

    /// Where a file went: where it was asked to, or a private fallback folder.
    struct Saved {
        let url: URL
        /// True when the file could not be written where asked and went to a private temporary
        /// folder instead: the command must then end with exit status 2.
        let isFallback: Bool
    }

    /// Writes `html` atomically and returns where it went. If that fails (disk full, folder
    /// removed meanwhile) the report is saved in a new private temporary folder instead
    /// (mode 0700, a name nobody can guess, never a file another user could have planted), so
    /// the run's results are not lost; only when that fails too is this an error.
    func write(_ html: String, interrupted: Bool) throws -> Saved {
        try Self.save(Data(html.utf8), to: interrupted ? interruptedURL : url, what: "the report")
    }

    /// Writes the student handout beside the report, the same way.
    func writeHandout(_ text: String) throws -> Saved {
        try Self.save(Data(text.utf8), to: handoutURL, what: "the student notebook")
    }

    private static func save(_ data: Data, to target: URL, what: String) throws -> Saved {
        do {
            try data.write(to: target, options: .atomic)
            return Saved(url: target, isFallback: false)
        } catch {
            Console.error("cannot write \(what) to \(target.path): \(error.localizedDescription)")
            do {
                let fallback = try PrivateFolder(prefix: "lesson-report").url.appendingPathComponent(target.lastPathComponent)
                try data.write(to: fallback, options: .withoutOverwriting)
                Console.stderr("\(what) was saved to \(fallback.path) instead")
                return Saved(url: fallback, isFallback: true)
            } catch {
                Console.error("cannot save \(what) anywhere: \(error.localizedDescription)")
                throw ExitCode(2)
            }
        }
    }
}
