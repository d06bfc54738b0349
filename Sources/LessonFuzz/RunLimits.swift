/// The limits every input runs under, so that refusals the product is meant to make (a cell past
/// its time, a session over its memory) are not findings.
struct RunLimits: Sendable {
    /// Seconds a cell may run; longer `timeout:` options are cut to it.
    var cellSeconds: Double = 1
    /// Seconds one input may run before the harness cancels it (the product's own cancel path).
    var inputSeconds: Double = 20
    /// The session's memory budget in bytes.
    var memoryBytes: Int = 2 << 30
    /// Seconds without progress before the supervisor calls a worker hung and kills it.
    var hangSeconds: Double = 120
    /// Resident bytes past which the supervisor kills a worker (the budget did not hold).
    var killBytes: Int = 6 << 30
}
