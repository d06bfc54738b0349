import Foundation

/// Runs Python (with numpy) as the independent reference for tests.
public enum Python {
    /// Why a script did not produce output.
    public enum Failure: Error, CustomStringConvertible {
        /// `python3` could not be started at all.
        case launch(underlying: String)
        /// The script exited with `status`; `stderr` says why (usually a traceback).
        case script(status: Int32, stderr: String)

        public var description: String {
            switch self {
            case .launch(let underlying): return "could not start python3: \(underlying)"
            case .script(let status, let stderr): return "python3 exited with status \(status):\n\(stderr)"
            }
        }
    }

    /// Runs `python3 -c script`, feeding it `stdin`, and returns its standard output.
    ///
    /// Input and output go through temporary files rather than pipes, so a
    /// script that writes megabytes while we are still writing its input
    /// cannot deadlock.
    /// - Throws: `Python.Failure` when python3 is missing or the script fails.
    public static func run(_ script: String, stdin: Data? = nil) throws -> String {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("python-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("stdin")
        let output = directory.appendingPathComponent("stdout")
        let errors = directory.appendingPathComponent("stderr")
        try (stdin ?? Data()).write(to: input)
        try Data().write(to: output)
        try Data().write(to: errors)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        process.standardInput = try FileHandle(forReadingFrom: input)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        do {
            try process.run()
        } catch {
            throw Failure.launch(underlying: "\(error)")
        }
        process.waitUntilExit()

        guard process.terminationStatus == 0 else {
            let message = String(decoding: try Data(contentsOf: errors), as: UTF8.self)
            throw Failure.script(status: process.terminationStatus, stderr: message)
        }
        return String(decoding: try Data(contentsOf: output), as: UTF8.self)
    }
}
