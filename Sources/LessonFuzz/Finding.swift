import Foundation

/// Something the fuzzer found: the input, what kind of failure, and why.
struct Finding: Sendable {
    enum Kind: String, CaseIterable, Sendable {
        /// The worker died: a signal (a Swift runtime trap, a stack overflow) or an unexpected exit.
        case crash
        /// The worker stopped making progress on one input.
        case hang
        /// A file outside the sandbox was created, changed or deleted, or canary bytes came out.
        case escape
        /// An output broke a rule every run must keep (see `TextInvariants`).
        case invariant

        /// The folder under the output folder its inputs are saved in.
        var folder: String { self == .crash ? "crashes" : rawValue + "s" }
    }

    var kind: Kind
    var index: Int
    var message: String
}

/// The files a worker keeps in its own folder besides the sandbox and the canary.
enum WorkerFiles {
    /// The index of the input being run, written before it starts.
    static let current = "current-index"
    /// Its files (see `FuzzInput.save(in:)`).
    static let input = "current-input"
    static let stderr = "stderr.log"
    static let names: Set<String> = [current, input, stderr]
}
