import Foundation

/// Whether a run was cancelled and whether a cell is running, shared between the thread
/// that runs the notebook and the one that cancels it.
final class CancellationState: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    private var cellRunning = false

    var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelled
    }

    var isCellRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cellRunning
    }

    /// Marks the run cancelled; false if it already was.
    func requestCancel() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if cancelled { return false }
        cancelled = true
        return true
    }

    /// Marks a cell running unless the run is cancelled; false means do not start it.
    func beginCell() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if cancelled { return false }
        cellRunning = true
        return true
    }

    func endCell() {
        lock.lock()
        cellRunning = false
        lock.unlock()
    }
}
