import Dispatch

/// Data-parallel loops over a few workers (this engine's machines have 2 cores).
public enum Parallel {
    /// Runs `body(i)` for every `i` in `0..<count` concurrently and returns when all are done.
    /// The caller guarantees the iterations touch disjoint memory.
    public static func forEach(_ count: Int, _ body: (Int) -> Void) {
        withoutActuallyEscaping(body) { escapable in
            let box = UncheckedSendable(escapable)
            DispatchQueue.concurrentPerform(iterations: count) { box.value($0) }
        }
    }
}

/// Carries a value into a `@Sendable` closure when the caller has made sure that
/// concurrent use is safe (disjoint rows of a buffer, say).
struct UncheckedSendable<Value>: @unchecked Sendable {
    // @unchecked: that is its purpose; each use says why its concurrent access is safe.
    let value: Value
    init(_ value: Value) { self.value = value }
}
