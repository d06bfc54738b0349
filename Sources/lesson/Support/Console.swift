import Foundation

/// Unbuffered line output, so logs reach a pipe (`| tee run.log`) as they happen.
enum Console {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// A line on standard error as it is (diagnostics already carry `file:line: error:`).
    static func stderr(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func warning(_ text: String) {
        stderr("warning: \(text)")
    }

    static func error(_ text: String) {
        stderr(text.contains(": error: ") ? text : "error: \(text)")
    }
}
