import Foundation

/// A child process's output, read as it comes on a thread of its own, so a test waits for
/// a line to appear (or for the output to end) without polling or sleeping. Set `pipe` as
/// the process's output, run it, then `start()`.
public final class OutputCapture: @unchecked Sendable {
    // @unchecked: `bytes` and `ended` are read and written with `condition` held.
    private let condition = NSCondition()
    private var bytes = Data()
    private var ended = false
    public let pipe = Pipe()

    public init() {}

    /// Starts reading; the process must be running (its copy of the pipe is then the writer).
    public func start() {
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            while true {
                let data = handle.availableData
                condition.withLock {
                    if data.isEmpty { ended = true } else { bytes.append(data) }
                    condition.broadcast()
                }
                if data.isEmpty { return }
            }
        }
    }

    /// Everything read so far.
    public var text: String {
        condition.withLock { String(decoding: bytes, as: UTF8.self) }
    }

    /// Blocks until `done` holds for the text read so far, or the output ends (the process
    /// exited); returns the text.
    @discardableResult
    public func wait(until done: (String) -> Bool) -> String {
        condition.lock()
        defer { condition.unlock() }
        while true {
            let text = String(decoding: bytes, as: UTF8.self)
            if ended || done(text) { return text }
            condition.wait()
        }
    }

    /// Blocks until the output ends (every writer closed it: the process exited); returns it all.
    @discardableResult
    public func waitForEnd() -> String {
        wait { _ in false }
    }

    /// Blocks until `text` has been printed (or the output ends); returns everything so far.
    @discardableResult
    public func wait(for text: String) -> String {
        wait { $0.contains(text) }
    }
}
