import Tensor
import Testing

// xoshiro256** seeded through SplitMix64, checked against the published reference
// outputs of both algorithms, then for the properties the engine relies on.

@Suite("RandomGenerator")
struct RandomGeneratorTests {
    @Test func seedingIsSplitMix64() {
        // SplitMix64's first outputs for seed 1234567 (Rosetta Code, "Pseudo-random numbers/Splitmix64").
        let generator = RandomGenerator(seed: 1_234_567)
        #expect(generator.state.0 == 6_457_827_717_110_365_317)
        #expect(generator.state.1 == 3_203_168_211_198_807_973)
        #expect(generator.state.2 == 9_817_491_932_198_370_423)
        #expect(generator.state.3 == 4_593_380_528_125_082_431)
    }

    @Test func streamIsXoshiro256StarStar() {
        // The reference implementation's outputs from state {1, 2, 3, 4} (xoshiro256starstar.c,
        // as quoted by rand_xoshiro's tests).
        var generator = RandomGenerator(state: (1, 2, 3, 4))
        let expected: [UInt64] = [
            11520, 0, 1_509_978_240, 1_215_971_899_390_074_240, 1_216_172_134_540_287_360,
            607_988_272_756_665_600, 16_172_922_978_634_559_625, 8_476_171_486_693_032_832,
            10_595_114_339_597_558_777, 2_904_607_092_377_533_576,
        ]
        let drawn = expected.map { _ in generator.next() }
        #expect(drawn == expected)
    }

    @Test(arguments: [0, 1, 42, 0xDEAD_BEEF, UInt64.max] as [UInt64])
    func sameSeedSameStream(seed: UInt64) {
        var a = RandomGenerator(seed: seed)
        var b = RandomGenerator(seed: seed)
        #expect(a == b)
        let first = (0..<1000).map { _ in a.next() }
        let second = (0..<1000).map { _ in b.next() }
        #expect(first == second)
        #expect(a == b)
    }

    @Test func differentSeedsGiveDifferentStreams() {
        let seeds: [UInt64] = [0, 1, 2, 3, 42, 43, 0xDEAD_BEEF, UInt64.max]
        let prefixes = seeds.map { seed -> [UInt64] in
            var generator = RandomGenerator(seed: seed)
            return (0..<4).map { _ in generator.next() }
        }
        #expect(Set(prefixes).count == seeds.count)
        // Not merely shifted copies of each other: no first value reappears in another stream.
        #expect(Set(prefixes.flatMap { $0 }).count == 4 * seeds.count)
    }

    @Test func unitFloatsAreUniformInTheHalfOpenUnitInterval() {
        var generator = RandomGenerator(seed: 2024)
        let draws = (0..<100_000).map { _ in generator.nextUnitFloat() }
        #expect(draws.allSatisfy { $0 >= 0 && $0 < 1 })
        let mean = draws.reduce(0.0) { $0 + Double($1) } / Double(draws.count)
        let variance = draws.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(draws.count)
        // The standard error of the mean is 0.29 / sqrt(1e5) = 9e-4.
        #expect(abs(mean - 0.5) < 5e-3)
        #expect(abs(variance - 1.0 / 12) < 2e-3)
        // Each tenth of the interval gets its share (expected 10 000, standard deviation 95).
        var deciles = [Int](repeating: 0, count: 10)
        for x in draws { deciles[Int(x * 10)] += 1 }
        #expect(deciles.allSatisfy { abs($0 - 10_000) < 600 }, "\(deciles)")
    }

    @Test func unitFloatIsTheTop24BitsOfTheNextWord() {
        var words = RandomGenerator(seed: 7)
        var floats = RandomGenerator(seed: 7)
        for _ in 0..<1000 {
            let word = words.next()
            #expect(floats.nextUnitFloat() == Float(word >> 40) / 16_777_216)
        }
    }

    @Test(arguments: [(Float(-0.1), Float(0.1)), (0, 1), (-3, -2), (5, 5.5), (-1e-3, 2e3)])
    func uniformTensorStaysWithinBounds(lower: Float, upper: Float) {
        var generator = RandomGenerator(seed: 99)
        let tensor = Tensor.uniform(shape: [50, 40], lower: lower, upper: upper, generator: &generator)
        #expect(tensor.shape == [50, 40])
        #expect(tensor.count == 2000)
        #expect(tensor.scalars.allSatisfy { $0 >= lower && $0 < upper })
        let mean = tensor.scalars.reduce(0.0) { $0 + Double($1) } / Double(tensor.count)
        let width = Double(upper) - Double(lower)
        // Standard error of the mean: width * 0.29 / sqrt(2000) = 0.0065 width.
        #expect(abs(mean - (Double(lower) + Double(upper)) / 2) < 0.04 * width)
    }

    @Test func uniformTensorDrawsOneUnitFloatPerElementInOrder() {
        var generator = RandomGenerator(seed: 5)
        var copy = generator
        let tensor = Tensor.uniform(shape: [3, 4, 5], lower: -2, upper: 6, generator: &generator)
        let expected = (0..<60).map { _ in -2 + 8 * copy.nextUnitFloat() }
        #expect(tensor.scalars == expected)
        #expect(generator == copy)
    }

    @Test(arguments: [(Float(1), Float(2)), (5, 5.5), (-3, -2)])
    func uniformTensorExcludesTheUpperBoundEvenForTheLargestDraw(lower: Float, upper: Float) {
        // A state whose next word is all ones, so that nextUnitFloat() is 1 - 2^-24, its largest value.
        var generator = RandomGenerator.drawing(UInt64.max)
        var probe = generator
        #expect(probe.nextUnitFloat() == 1 - 0x1p-24)
        let tensor = Tensor.uniform(shape: [1], lower: lower, upper: upper, generator: &generator)
        #expect(tensor.scalars[0] < upper, "uniform(\(lower), \(upper)) drew \(tensor.scalars[0])")
    }

    @Test func emptyUniformTensorDrawsNothing() {
        var generator = RandomGenerator(seed: 5)
        let before = generator
        let tensor = Tensor.uniform(shape: [3, 0], lower: 0, upper: 1, generator: &generator)
        #expect(tensor.shape == [3, 0])
        #expect(tensor.scalars.isEmpty)
        #expect(generator == before)
    }

    @Test func stateRoundTrips() {
        var generator = RandomGenerator(seed: 31_337)
        for _ in 0..<123 { _ = generator.next() }
        var restored = RandomGenerator(state: generator.state)
        #expect(restored == generator)
        let original = (0..<500).map { _ in generator.next() }
        let resumed = (0..<500).map { _ in restored.next() }
        #expect(original == resumed)
    }

    @Test func equalityFollowsTheState() {
        var a = RandomGenerator(seed: 1)
        let b = RandomGenerator(seed: 1)
        _ = a.next()
        #expect(a != b)
    }
}

extension RandomGenerator {
    /// A generator whose next output is `word`: xoshiro256** returns rotl(s1 * 5, 7) * 9, and
    /// multiplying by an odd number is invertible modulo 2^64.
    fileprivate static func drawing(_ word: UInt64) -> RandomGenerator {
        let rotated = word &* inverse(9)
        let product = rotated >> 7 | rotated << 57
        return RandomGenerator(state: (0, product &* inverse(5), 0, 0))
    }

    /// The inverse of an odd number modulo 2^64, by Newton's iteration (each step doubles the correct bits).
    private static func inverse(_ odd: UInt64) -> UInt64 {
        var x = odd
        for _ in 0..<6 { x = x &* (2 &- odd &* x) }
        return x
    }
}
