import Dispatch
import Foundation

/// Runs a program to its end with nothing on its standard input, reading what it writes on
/// both outputs at once (a child blocked writing one pipe must not wait for us reading the
/// other), and kills it (SIGKILL) when it runs past its time. For `lesson grade FOLDER`'s
/// grading processes and `--pdf`'s Chromium.
enum ChildProcess {
    struct Finished {
        /// The exit status, or the signal that ended it (`signalled`).
        var status: Int32
        var signalled: Bool
        /// Its standard output; empty when it was not kept.
        var stdout: Data
        /// The end of its standard error (at most `stderrLimit` bytes), as text.
        var stderr: String
    }

    /// - Parameters:
    ///   - keepStdout: keep its standard output (else it goes to /dev/null).
    ///   - stderrLimit: how much of the end of its standard error to keep.
    ///   - seconds: how long it may run before it is killed.
    /// - Throws: when it cannot be started.
    static func run(_ executable: String, _ arguments: [String], keepStdout: Bool, stderrLimit: Int,
                    killAfter seconds: TimeInterval) throws -> Finished {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = keepStdout ? output : FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: watchdog)
        let stderrRead = DispatchGroup()
        let stderrBox = Box()
        DispatchQueue.global().async(group: stderrRead) {
            stderrBox.text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile().suffix(stderrLimit),
                                    as: UTF8.self)
        }
        let stdout = keepStdout ? output.fileHandleForReading.readDataToEndOfFile() : Data()
        stderrRead.wait()
        process.waitUntilExit()
        watchdog.cancel()
        return Finished(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
                        stdout: stdout, stderr: stderrBox.text)
    }

    /// Text one thread writes and another reads after waiting for it.
    private final class Box: @unchecked Sendable {
        // @unchecked: written before the group's work ends, read after `wait()`.
        var text = ""
    }
}
