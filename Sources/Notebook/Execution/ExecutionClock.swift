import Foundation

/// Where the executor reads the time, injected so per-cell timings in tests and
/// snapshots are deterministic.
public protocol ExecutionClock: Sendable {
    /// The current instant.
    func now() -> Date
}

/// The wall clock, for real runs.
public struct SystemClock: ExecutionClock {
    public init() {}

    public func now() -> Date { Date() }
}
