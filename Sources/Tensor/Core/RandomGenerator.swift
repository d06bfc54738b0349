/// A seeded, reproducible random generator (xoshiro256**, seeded through SplitMix64).
///
/// Every random choice in the engine (initialisation, dropout masks) draws from
/// one of these, so a run with the same seed gives the same numbers. Its whole
/// state is four words, which checkpoints can store.
public struct RandomGenerator: RandomNumberGenerator, Sendable, Equatable {
    public private(set) var state: (UInt64, UInt64, UInt64, UInt64)

    /// A generator whose stream is fixed by `seed`.
    public init(seed: UInt64) {
        var mixer = seed
        func splitMix() -> UInt64 {
            mixer &+= 0x9E37_79B9_7F4A_7C15
            var z = mixer
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// Restores a generator from a saved `state`.
    public init(state: (UInt64, UInt64, UInt64, UInt64)) {
        self.state = state
    }

    public mutating func next() -> UInt64 {
        let result = ((state.1 &* 5) << 7 | (state.1 &* 5) >> 57) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = state.3 << 45 | state.3 >> 19
        return result
    }

    /// A float uniform in `[0, 1)` with 24 random bits.
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    public static func == (lhs: RandomGenerator, rhs: RandomGenerator) -> Bool {
        lhs.state == rhs.state
    }
}

extension Tensor {
    /// A tensor of `shape` with values uniform in `[lower, upper)`.
    public static func uniform(shape: [Int], lower: Float, upper: Float, generator: inout RandomGenerator) -> Tensor {
        // lower + width * u can round up to `upper` itself when u is just below 1.
        let largest = upper > lower ? upper.nextDown : lower
        let values = (0..<Shape.count(shape)).map { _ in
            Swift.min(lower + (upper - lower) * generator.nextUnitFloat(), largest)
        }
        return Tensor(uncheckedShape: shape, scalars: values)
    }
}
