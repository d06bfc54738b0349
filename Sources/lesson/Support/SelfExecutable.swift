import Foundation

/// This `lesson` binary, for starting more of itself (a worker host, a grading process).
enum SelfExecutable {
    /// Its path: where /proc/self/exe leads, else how it was started.
    static var path: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
