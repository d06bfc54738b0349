import Synchronization

/// Set from another thread to stop the running cell: by the user (Ctrl-C) or by
/// the cell's time limit.
final class InterruptFlag: Sendable {
    enum Reason: Equatable, Sendable {
        case user
        case timeLimit(seconds: Double)
    }

    private struct State {
        var reason: Reason?
        /// Counts cells, so a time-limit timer left over from an earlier cell does nothing.
        var generation = 0
        /// Set by `cancel()`: every cell from now on starts interrupted, until `resume()`.
        var cancelled = false
    }

    private let state = Mutex(State())

    /// Why the running cell must stop, or nil to carry on.
    var current: Reason? {
        state.withLock { $0.reason }
    }

    var isSet: Bool { current != nil }

    var isCancelled: Bool {
        state.withLock { $0.cancelled }
    }

    func set() {
        state.withLock { $0.reason = .user }
    }

    /// Interrupts the running cell and every later one, so a stop request that lands
    /// between two cells is not lost.
    func cancel() {
        state.withLock {
            $0.cancelled = true
            $0.reason = .user
        }
    }

    /// Lets cells run again after `cancel()`.
    func resume() {
        state.withLock {
            $0.cancelled = false
            $0.reason = nil
        }
    }

    /// Starts a new cell: clears the flag (unless cancelled) and returns the cell's generation.
    func beginCell() -> Int {
        state.withLock {
            $0.reason = $0.cancelled ? .user : nil
            $0.generation += 1
            return $0.generation
        }
    }

    /// Sets the time-limit reason, but only while cell `generation` is still the running one.
    func expire(generation expected: Int, seconds: Double) {
        state.withLock {
            if $0.generation == expected, $0.reason == nil { $0.reason = .timeLimit(seconds: seconds) }
        }
    }

    /// Ends the cell's generation so its timer can no longer fire into the next one.
    func endCell() {
        state.withLock { $0.generation += 1 }
    }
}
