import Foundation
import Tensor
import TestSupport
import Testing

// Our repr()/str() against numpy's own, on thousands of generated arrays.
// Each family of cases is sent to ONE python3 process as lines of
// `kind|shape|base64(little-endian scalars)`; numpy answers with a JSON list
// of [repr, str] pairs.

@Suite("numpy repr and str")
struct NumpyReprTests {
    @Test("matches numpy", arguments: Family.allCases)
    fileprivate func matchesNumpy(_ family: Family) throws {
        let samples = family.samples()
        let expected = try NumpyReference.reprAndStr(of: samples)
        try #require(expected.count == samples.count)
        var mismatches = 0
        for (index, (sample, numpy)) in zip(samples, expected).enumerated() {
            let ours = [sample.repr, sample.str]
            guard ours != numpy else { continue }
            mismatches += 1
            // Only the first few, each showing both texts in full.
            if mismatches <= 3 {
                #expect(ours[0] == numpy[0], "repr of \(family) case \(index), shape \(sample.shape)")
                #expect(ours[1] == numpy[1], "str of \(family) case \(index), shape \(sample.shape)")
            }
        }
        #expect(mismatches == 0, "\(mismatches) of \(samples.count) \(family) cases differ from numpy")
    }

    @Test("known numpy text", arguments: [
        (Sample.float([2, 2], [1, 2, 3, 4]), "array([[1., 2.],\n       [3., 4.]], dtype=float32)", "[[1. 2.]\n [3. 4.]]"),
        (Sample.float([], [8]), "array(8., dtype=float32)", "8.0"),
        (Sample.float([0], []), "array([], dtype=float32)", "[]"),
        (Sample.float([0, 3], []), "array([], shape=(0, 3), dtype=float32)", "[]"),
        (Sample.float([2], [1, 2.5]), "array([1. , 2.5], dtype=float32)", "[1.  2.5]"),
        (Sample.float([2], [1e-9, 1]), "array([1.e-09, 1.e+00], dtype=float32)", "[1.e-09 1.e+00]"),
        (Sample.float([3], [.nan, 1, -.infinity]), "array([ nan,   1., -inf], dtype=float32)", "[ nan   1. -inf]"),
        (Sample.int([3], [1, 2, 3]), "array([1, 2, 3], dtype=int32)", "[1 2 3]"),
    ])
    fileprivate func knownText(_ sample: Sample, repr: String, str: String) {
        #expect(sample.repr == repr)
        #expect(sample.str == str)
    }

    @Test func pythonFailureCarriesStderr() {
        #expect(throws: Python.Failure.self) {
            try Python.run("import sys; sys.stderr.write('boom'); sys.exit(3)")
        }
    }
}

/// One array to print, as either dtype.
private enum Sample: CustomTestStringConvertible, Sendable {
    case float(Tensor)
    case int(IntTensor)

    static func float(_ shape: [Int], _ scalars: [Float]) -> Sample {
        .float(Tensor(testShape: shape, scalars))
    }

    static func int(_ shape: [Int], _ scalars: [Int32]) -> Sample {
        .int(IntTensor(testShape: shape, scalars))
    }

    var shape: [Int] {
        switch self {
        case .float(let tensor): return tensor.shape
        case .int(let tensor): return tensor.shape
        }
    }

    var repr: String {
        switch self {
        case .float(let tensor): return tensor.description
        case .int(let tensor): return tensor.description
        }
    }

    var str: String {
        switch self {
        case .float(let tensor): return tensor.numpyString
        case .int(let tensor): return tensor.numpyString
        }
    }

    var testDescription: String { "shape \(shape)" }

    /// `kind|d0,d1|base64` with little-endian scalars.
    var wireLine: String {
        let dims = shape.map(String.init).joined(separator: ",")
        var bytes = Data()
        switch self {
        case .float(let tensor):
            for value in tensor.scalars { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
            return "f|\(dims)|\(bytes.base64EncodedString())"
        case .int(let tensor):
            for value in tensor.scalars { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
            return "i|\(dims)|\(bytes.base64EncodedString())"
        }
    }
}

extension Tensor {
    fileprivate init(testShape shape: [Int], _ scalars: [Float]) {
        do { try self.init(shape: shape, scalars: scalars) } catch { preconditionFailure("\(error)") }
    }
}

extension IntTensor {
    fileprivate init(testShape shape: [Int], _ scalars: [Int32]) {
        do { try self.init(shape: shape, scalars: scalars) } catch { preconditionFailure("\(error)") }
    }
}

private enum NumpyReference {
    static let script = """
        import base64, json, sys
        import numpy as np
        out = []
        for line in sys.stdin.read().splitlines():
            kind, dims, payload = line.split('|')
            shape = tuple(int(d) for d in dims.split(',')) if dims else ()
            wire, dtype = ('<f4', np.float32) if kind == 'f' else ('<i4', np.int32)
            a = np.frombuffer(base64.b64decode(payload), dtype=wire).astype(dtype).reshape(shape)
            out.append([repr(a), str(a)])
        json.dump(out, sys.stdout)
        """

    /// numpy's `[repr, str]` for every sample, in one python3 run.
    static func reprAndStr(of samples: [Sample]) throws -> [[String]] {
        let input = samples.map(\.wireLine).joined(separator: "\n")
        let output = try Python.run(script, stdin: Data(input.utf8))
        return try JSONDecoder().decode([[String]].self, from: Data(output.utf8))
    }
}

// MARK: - Generated cases

/// Families of arrays, each one numpy run. Seeds are fixed: a failure names
/// its family and index, and reproduces.
private enum Family: String, CaseIterable, CustomTestStringConvertible, Sendable {
    /// Random shapes of rank 0-4 filled from one value distribution each.
    case magnitudes
    /// Long rows that wrap at 75 columns, in repr and str.
    case wideRows
    /// Sizes around the 1000-element summarisation threshold.
    case summarised
    /// nan, ±inf, -0.0 and all-zero arrays, alone and mixed with numbers.
    case specials
    /// Arbitrary Float32 bit patterns: subnormals, extremes, 9-digit values.
    case bitPatterns
    /// Cut-off rounding at 8 fraction digits (exact ties at odd/512) and the
    /// thresholds of scientific notation (1e-4, 1e6, a 1000x spread).
    case edges
    /// int32 arrays: word ids, negative values, extremes.
    case integers

    var testDescription: String { rawValue }

    func samples() -> [Sample] {
        var random = RandomGenerator(seed: rawValue.utf8.reduce(7919) { $0 &* 31 &+ UInt64($1) })
        switch self {
        case .magnitudes: return (0..<1500).map { _ in random.sample(shape: random.smallShape()) }
        case .wideRows: return (0..<300).map { _ in random.sample(shape: random.wideShape()) }
        case .summarised: return random.summarisedSamples()
        case .specials: return (0..<400).map { _ in random.specialSample() }
        case .bitPatterns: return (0..<1500).map { _ in random.bitPatternSample() }
        case .edges: return (0..<500).map { _ in random.edgeSample() }
        case .integers: return (0..<400).map { _ in random.intSample() }
        }
    }
}

/// How the values of one generated array are drawn.
private enum Distribution: CaseIterable {
    case decade, positiveDecade, wholeNumbers, fractions, gradients, probabilities
    case embeddings, mixedDecades, spread, zeros
}

fileprivate extension RandomGenerator {
    mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &self) < probability }

    mutating func smallShape() -> [Int] {
        let rank = Int.random(in: 0...4, using: &self)
        let largest = [1, 40, 12, 6, 4][rank]
        return (0..<rank).map { _ in Int.random(in: (chance(0.02) ? 0 : 1)...largest, using: &self) }
    }

    mutating func wideShape() -> [Int] {
        let rows = [[], [Int.random(in: 1...3, using: &self)], [2, Int.random(in: 1...3, using: &self)]]
        return rows.randomElement(using: &self)! + [Int.random(in: 8...160, using: &self)]
    }

    mutating func sample(shape: [Int]) -> Sample {
        let distribution = Distribution.allCases.randomElement(using: &self)!
        return .float(shape, values(Shape.count(shape), distribution))
    }

    mutating func values(_ count: Int, _ distribution: Distribution) -> [Float] {
        let decade = Double(Int.random(in: -12...12, using: &self))
        let logits = (0..<count).map { _ in Double.random(in: 0...10, using: &self) }
        let total = logits.map { exp($0) }.reduce(0, +)
        return (0..<count).map { index in
            Float(value(distribution, decade: decade, probability: exp(logits[index]) / total))
        }
    }

    private mutating func value(_ distribution: Distribution, decade: Double, probability: Double) -> Double {
        let sign: Double = chance(0.5) ? -1 : 1
        switch distribution {
        case .decade: return sign * Double.random(in: 0..<1, using: &self) * pow(10, decade)
        case .positiveDecade: return Double.random(in: 1..<10, using: &self) * pow(10, decade)
        case .wholeNumbers: return Double(Int.random(in: -120...120, using: &self))
        case .fractions: return sign * Double(Int.random(in: 0...40, using: &self)) / [2, 3, 4, 7, 8, 10].randomElement(using: &self)!
        case .gradients: return sign * Double.random(in: 0..<3, using: &self) * 1e-9
        case .probabilities: return probability
        case .embeddings: return Double.random(in: -0.1...0.1, using: &self)
        case .mixedDecades: return sign * pow(10, Double.random(in: -12...12, using: &self))
        case .spread: return sign * Double.random(in: 1...1000, using: &self)
        case .zeros: return 0
        }
    }

    /// Shapes just under, at and over 1000 elements, with several summarised axes.
    mutating func summarisedSamples() -> [Sample] {
        let shapes: [[Int]] = [
            [999], [1000], [1001], [2000], [10, 100], [10, 101], [11, 91], [1, 1001], [1001, 1],
            [10, 10, 10], [3, 4, 400], [20, 20, 20], [2, 1000], [1000, 2], [7, 7, 7, 7], [2, 3, 167],
            [5, 201], [33, 31], [4, 5, 6, 9], [1, 1, 1001], [6, 6, 6, 6], [7, 143],
        ]
        var samples: [Sample] = []
        for shape in shapes {
            for distribution in Distribution.allCases {
                samples.append(.float(shape, values(Shape.count(shape), distribution)))
            }
            samples.append(.int(shape, (0..<Shape.count(shape)).map { _ in Int32.random(in: 0..<10_000, using: &self) }))
        }
        return samples
    }

    mutating func specialSample() -> Sample {
        let pool: [Float] = [.nan, .infinity, -.infinity, -0.0, 0, 1, -1, 0.5, 1e-9, 123.25, 1e7, -2.5e-5]
        let shape = smallShape()
        let weights = (0..<pool.count).map { _ in chance(0.4) }
        let allowed = pool.indices.filter { weights[$0] }.map { pool[$0] }
        let choices = allowed.isEmpty ? [Float.nan] : allowed
        return .float(shape, (0..<Shape.count(shape)).map { _ in choices.randomElement(using: &self)! })
    }

    /// Uniform bit patterns reach every binade, subnormals and nan payloads;
    /// a narrow band of binades keeps some arrays positional.
    mutating func bitPatternSample() -> Sample {
        let shape = chance(0.4) ? [] : [Int.random(in: 1...8, using: &self)]
        let narrow = chance(0.5)
        let lowest = UInt32.random(in: 113...137, using: &self)  // 2^-14 ... 2^10
        let scalars: [Float] = (0..<Shape.count(shape)).map { _ in
            guard narrow else { return Float(bitPattern: UInt32.random(in: .min ... .max, using: &self)) }
            let biased = UInt32.random(in: lowest...(lowest + 9), using: &self)
            let sign: UInt32 = chance(0.3) ? 1 << 31 : 0
            return Float(bitPattern: sign | biased << 23 | UInt32.random(in: 0..<(1 << 23), using: &self))
        }
        return .float(shape, scalars)
    }

    mutating func edgeSample() -> Sample {
        let shape = chance(0.3) ? [] : [Int.random(in: 1...6, using: &self)]
        let pool: [Float] = [
            1e-4, 0.0001_0001, 9.9999e-5, 1e6, 999_999.94, 999_999, 1_000_000.06, 1, 1000, 1000.0001,
            0.1, 1.0 / 3, 2.0 / 3, 0.001953125, 0.005859375, 1.001953125, 16_777_216, 0.12345679,
            .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude, 3.4e38, Float(bitPattern: 3), Float(bitPattern: 0x007F_FFFF),
        ]
        let scalars: [Float] = (0..<Shape.count(shape)).map { _ in
            if chance(0.4) { return pool.randomElement(using: &self)! * (chance(0.2) ? -1 : 1) }
            if chance(0.5) { return halfwayNeighbour() }
            // Odd multiples of 2^-9 sit exactly halfway at the 9th fraction digit.
            return Float(2 * Int.random(in: 0...4000, using: &self) + 1) / 512
        }
        return .float(shape, scalars)
    }

    /// A float next to a short decimal lying exactly halfway between two
    /// floats (9600320000 between 9600319488 and 9600320512): only the
    /// neighbour with an even significand may print as that decimal.
    mutating func halfwayNeighbour() -> Float {
        let ulpPower = Int.random(in: 1...10, using: &self)  // floats in [2^(p+23), 2^(p+24)) are 2^p apart
        var unit: Int64 = 1
        for _ in 1..<ulpPower { unit *= 10 }
        let lowest = (Int64(1) << (ulpPower + 23)) / unit + 1
        let highest = (Int64(1) << (ulpPower + 24)) / unit - 1
        // n * 10^(p-1) = n * 5^(p-1) * 2^(p-1) is an odd multiple of half the gap when n is odd.
        let n = Int64.random(in: lowest...highest, using: &self) | 1
        let halfGap = Int64(1) << (ulpPower - 1)
        return Float(n * unit + (chance(0.5) ? halfGap : -halfGap))
    }

    mutating func intSample() -> Sample {
        let shape = chance(0.05) ? [Int.random(in: 990...1010, using: &self)] : smallShape()
        let range: ClosedRange<Int32> = [0...9999, -50...50, -1_000_000...1_000_000, .min ... .max].randomElement(using: &self)!
        return .int(shape, (0..<Shape.count(shape)).map { _ in Int32.random(in: range, using: &self) })
    }
}
