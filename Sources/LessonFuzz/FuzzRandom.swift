/// A small deterministic generator (SplitMix64): the same seed gives the same numbers on every
/// machine and in every process, unlike `SystemRandomNumberGenerator` or `Hasher`, so an input
/// is reproduced from its seed and index alone.
struct FuzzRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    /// The generator of input `index` under run seed `seed`: both mixed, so neighbouring
    /// indices give unrelated inputs.
    init(seed: UInt64, index: Int) {
        var mixer = FuzzRandom(seed: seed ^ 0x9E37_79B9_7F4A_7C15)
        let first = mixer.next()
        var second = FuzzRandom(seed: first ^ (UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03))
        state = second.next()
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `range`; the lower bound for an empty range.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        let width = UInt64(bitPattern: Int64(range.upperBound &- range.lowerBound))
        guard width < UInt64.max else { return Int(truncatingIfNeeded: next()) }
        return range.lowerBound &+ Int(truncatingIfNeeded: next() % (width + 1))
    }

    /// True with probability `probability`.
    mutating func chance(_ probability: Double) -> Bool {
        Double(next() >> 11) / Double(1 << 53) < probability
    }

    /// One element; `fallback` when `items` is empty.
    mutating func pick<T>(_ items: [T], or fallback: T) -> T {
        items.isEmpty ? fallback : items[int(0...(items.count - 1))]
    }

    /// One of the strings (the common case of `pick`).
    mutating func pick(_ items: [String]) -> String {
        pick(items, or: "")
    }

    /// An index into `weights`, chosen in proportion to them.
    mutating func weighted(_ weights: [Int]) -> Int {
        let total = weights.reduce(0) { $0 + max($1, 0) }
        guard total > 0 else { return 0 }
        var roll = int(0...(total - 1))
        for (position, weight) in weights.enumerated() {
            roll -= max(weight, 0)
            if roll < 0 { return position }
        }
        return weights.count - 1
    }

    /// A count that is usually small and sometimes large: many inputs stay cheap, a few probe limits.
    mutating func count(typical: Int, rare: Int) -> Int {
        chance(0.9) ? int(0...max(typical, 0)) : int(0...max(rare, 0))
    }
}
