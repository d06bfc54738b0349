import Foundation

/// Runs work on a thread of its own with a large stack, and waits for it.
///
/// Cells, their parsing and the display of their values recurse over text and values that
/// other people wrote. Every such recursion is bounded (nesting guards, depth limits), but the
/// bounds must fit: 8 MB on the main thread would not. A few hundred MB of address space is
/// reserved for the thread (touched only as it is used), little enough to be created under an
/// 8 GB `ulimit -v`.
enum LargeStack {
    static let size = 512 << 20

    static func run<Result>(_ body: () -> Result) -> Result {
        withoutActuallyEscaping(body) { body in
            let job = Job<Result>(body)
            let done = DispatchSemaphore(value: 0)
            let thread = Thread {
                job.run()
                done.signal()
            }
            thread.stackSize = size
            thread.start()
            done.wait()
            // `run` stored the result before the semaphore was signalled.
            guard let result = job.result else { preconditionFailure("the large-stack thread returned nothing") }
            return result
        }
    }

    /// Hands the work to the thread and the result back; the semaphore orders the two.
    private final class Job<Result>: @unchecked Sendable {
        // @unchecked: the large-stack thread writes `result` and drops `body` before it signals
        // the semaphore; the caller reads `result` only after waiting on it.
        /// Dropped once run: the work must not outlive `run`'s call (it is not escaping).
        private var body: (() -> Result)?
        var result: Result?

        init(_ body: @escaping () -> Result) {
            self.body = body
        }

        func run() {
            result = body?()
            body = nil
        }
    }
}
