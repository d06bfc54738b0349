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

    /// Why the running cell must stop, or nil to carry on.
    var current: Reason? {
        lock.lock()
        defer { lock.unlock() }
        return reason
    }

    var isSet: Bool { current != nil }

    func set() {
        lock.lock()
        reason = .user
        lock.unlock()
    }

    /// Starts a new cell: clears the flag and returns the cell's generation.
    func beginCell() -> Int {
        lock.lock()
        defer { lock.unlock() }
        reason = nil
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
