import Foundation

/// Set from another thread to stop the running cell: by the user (Ctrl-C) or by
/// the cell's time limit. A lock rather than an atomic keeps the package's macOS 13 floor.
final class InterruptFlag: @unchecked Sendable {
    enum Reason: Equatable {
        case user
        case timeLimit(seconds: Double)
    }

    private let lock = NSLock()
    private var reason: Reason?
    /// Counts cells, so a time-limit timer left over from an earlier cell does nothing.
    private var generation = 0
    /// Set by `cancel()`: every cell from now on starts interrupted, until `resume()`.
    private var cancelled = false

    /// Why the running cell must stop, or nil to carry on.
    var current: Reason? {
        lock.lock()
        defer { lock.unlock() }
        return reason
    }

    var isSet: Bool { current != nil }

    var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelled
    }

    func set() {
        lock.lock()
        reason = .user
        lock.unlock()
    }

    /// Interrupts the running cell and every later one, so a stop request that lands
    /// between two cells is not lost.
    func cancel() {
        lock.lock()
        cancelled = true
        reason = .user
        lock.unlock()
    }

    /// Lets cells run again after `cancel()`.
    func resume() {
        lock.lock()
        cancelled = false
        reason = nil
        lock.unlock()
    }

    /// Starts a new cell: clears the flag (unless cancelled) and returns the cell's generation.
    func beginCell() -> Int {
        lock.lock()
        defer { lock.unlock() }
        reason = cancelled ? .user : nil
        generation += 1
        return generation
    }

    /// Sets the time-limit reason, but only while cell `generation` is still the running one.
    func expire(generation expected: Int, seconds: Double) {
        lock.lock()
        if generation == expected, reason == nil { reason = .timeLimit(seconds: seconds) }
        lock.unlock()
    }

    /// Ends the cell's generation so its timer can no longer fire into the next one.
    func endCell() {
        lock.lock()
        generation += 1
        lock.unlock()
    }
}
