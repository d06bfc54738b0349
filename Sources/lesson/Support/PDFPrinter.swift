import Foundation

/// Prints an HTML report to PDF with headless Chromium (`lesson run --pdf`): the report's own
/// print style keeps code inside the margins and figures on one page.
enum PDFPrinter {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// `$LESSON_CHROMIUM` when set (nil unless it can run), else Chromium on the PATH
    /// (`chromium`, `chromium-browser`, `google-chrome`) or at /usr/bin/chromium.
    static var browser: String? {
        if let chosen = ProcessInfo.processInfo.environment["LESSON_CHROMIUM"] {
            return FileManager.default.isExecutableFile(atPath: chosen) ? chosen : nil
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let names = ["chromium", "chromium-browser", "google-chrome"]
        let candidates = path.split(separator: ":").flatMap { folder in names.map { "\(folder)/\($0)" } } + ["/usr/bin/chromium"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Writes `html` (a file) as `pdf`.
    /// - Throws: `Failure` saying why (no Chromium, it failed, it took longer than `seconds`).
    static func print(_ html: URL, to pdf: URL, seconds: TimeInterval = 180) throws {
        guard let browser else {
            throw Failure(description: "--pdf needs Chromium (Debian: apt-get install chromium); the HTML was written")
        }
        let profile = try PrivateFolder(prefix: "lesson-pdf")
        defer { profile.remove() }
        let temporary = pdf.deletingLastPathComponent().appendingPathComponent(".\(pdf.lastPathComponent).\(UUID().uuidString).tmp")
        let arguments = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--no-first-run", "--disable-extensions", "--disable-background-networking",
                         "--user-data-dir=\(profile.url.path)", "--no-pdf-header-footer",
                         "--print-to-pdf=\(temporary.path)", html.absoluteString]
        let finished = try ChildProcess.run(browser, arguments, keepStdout: false, stderrLimit: 2000, killAfter: seconds)
        let written = (try? FileManager.default.attributesOfItem(atPath: temporary.path)[.size] as? Int) ?? 0
        guard !finished.signalled, finished.status == 0, written > 0 else {
            try? FileManager.default.removeItem(at: temporary)
            let why = finished.signalled ? "took longer than \(Int(seconds)) s" : "exit status \(finished.status)"
            throw Failure(description: "Chromium could not print \(html.lastPathComponent) (\(why)): "
                          + (finished.stderr.split(separator: "\n").last.map(String.init) ?? ""))
        }
        guard rename(temporary.path, pdf.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw Failure(description: "cannot write \(pdf.path): \(String(cString: strerror(errno)))")
        }
    }
}
