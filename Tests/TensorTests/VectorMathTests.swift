import Foundation
import Tensor
import Testing

// VectorMath's branch-free exp, tanh and sigmoid against Foundation's Double-precision
// functions, on a dense sweep of [-100, 100] plus the places where such kernels break:
// tiny and subnormal inputs, the overflow and underflow edges, and special values.
//
// Errors are relative to the exact (Double) value, and only measured where the Float result
// is a normal number. Beyond the range the kernels saturate: exp overflows to +inf, and
// results below the smallest normal Float (1.2e-38) may be flushed to zero.

@Suite("VectorMath")
struct VectorMathTests {
    enum Function: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case exp, tanh, sigmoid

        var testDescription: String { rawValue }

        /// The kernel under test, one scalar at a time.
        func scalar(_ x: Float) -> Float {
            switch self {
            case .exp: return VectorMath.exp(x)
            case .tanh: return VectorMath.tanh(x)
            case .sigmoid: return VectorMath.sigmoid(x)
            }
        }

        /// The kernel's pointer loop, `count` values from `input` into `output`.
        func loop(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, count: Int) {
            switch self {
            case .exp: VectorMath.exp(input, output, count: count)
            case .tanh: VectorMath.tanh(input, output, count: count)
            case .sigmoid: VectorMath.sigmoid(input, output, count: count)
            }
        }

        /// The Tensor method built on the kernel.
        func tensor(_ x: Tensor) -> Tensor {
            switch self {
            case .exp: return x.exp()
            case .tanh: return x.tanh()
            case .sigmoid: return x.sigmoid()
            }
        }

        /// The independent reference, in Double.
        func reference(_ x: Float) -> Double {
            let x = Double(x)
            switch self {
            case .exp: return Foundation.exp(x)
            case .tanh: return Foundation.tanh(x)
            case .sigmoid: return 1 / (1 + Foundation.exp(-x))
            }
        }

        /// Largest relative error allowed where the result is a normal Float, a little above
        /// what the sweep measures (exp 7.6e-8 = 0.93 ulp, tanh 1.5e-7 = 2.4 ulp, sigmoid
        /// 1.4e-7 = 2.2 ulp).
        var tolerance: Double {
            switch self {
            case .exp: return 1e-7
            case .tanh: return 2e-7
            case .sigmoid: return 2e-7
            }
        }

        /// The same bound in units in the last place of the correctly rounded result.
        var ulpTolerance: Double {
            switch self {
            case .exp: return 1
            case .tanh: return 3
            case .sigmoid: return 3
            }
        }
    }

    /// Where the kernels are evaluated: 200 001 evenly spaced points in [-100, 100], tiny
    /// magnitudes, subnormals, and a run of neighbouring Floats around every edge.
    static let sweep: [Float] = {
        var points = (0...200_000).map { Float(-100 + Double($0) / 1000) }
        for k in 0...3000 {
            let tiny = Float(Foundation.pow(10, -30 + 27 * Double(k) / 3000))
            points += [tiny, -tiny]
        }
        let subnormals: [Float] = [
            .leastNonzeroMagnitude, 2 * .leastNonzeroMagnitude, Float.leastNormalMagnitude * 0.01, Float.leastNormalMagnitude * 0.85,
            Float.leastNormalMagnitude.nextDown, .leastNormalMagnitude,
        ]
        points += subnormals + subnormals.map { -$0 }
        // exp's overflow (ln of the largest Float) and underflow (ln of the smallest normal and
        // of the smallest subnormal) bounds, their negations for sigmoid, the kernels' own
        // clamping constants, and where tanh's 2x and sigmoid's 1 - y saturate.
        let edges: [Float] = [
            88.722_839, 88.722_84, 88.7, -87.336_544, -87.336_55, -87.3, -103, -103.972_08,
            -88.722_839, 87.336_544, 44.361_42, -44.361_42, 9.010_913, 16.635_532, -16.635_532, 0.5, -0.5,
        ]
        for edge in edges {
            var below = edge, above = edge
            points.append(edge)
            for _ in 0..<64 {
                below = below.nextDown
                above = above.nextUp
                points += [below, above]
            }
        }
        points += [.greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1e30, -1e30, 1000, -1000]
        return points
    }()

    /// Error statistics of `results` (the kernel applied to `inputs`) against `function`'s reference.
    struct Accuracy {
        var maximumRelativeError = 0.0
        var worstInput: Float = 0
        var maximumUlps = 0.0
        var failures: [String] = []

        init(_ function: Function, inputs: [Float], results: [Float]) {
            for (x, y) in zip(inputs, results) {
                let exact = function.reference(x)
                let rounded = Float(exact)
                if exact.isNaN {
                    if !y.isNaN { failures.append("\(function)(\(x)) = \(y), expected nan") }
                } else if abs(exact) > Double(Float.greatestFiniteMagnitude) {
                    if !(y.isInfinite && y.sign == rounded.sign) && abs(y) != .greatestFiniteMagnitude {
                        failures.append("\(function)(\(x)) = \(y), expected to overflow")
                    }
                } else if abs(exact) < Double(Float.leastNormalMagnitude) {
                    // Subnormal results: anything between zero and the exact value's neighbourhood.
                    if !(abs(Double(y) - exact) <= Double(Float.leastNormalMagnitude)) {
                        failures.append("\(function)(\(x)) = \(y), expected about \(exact)")
                    }
                } else {
                    let error = abs(Double(y) - exact) / abs(exact)
                    let ulps = abs(Double(y) - exact) / Double(rounded.ulp)
                    if !(error <= maximumRelativeError) {
                        maximumRelativeError = error
                        worstInput = x
                    }
                    maximumUlps = Swift.max(maximumUlps, ulps.isNaN ? .infinity : ulps)
                }
            }
        }

        var summary: String {
            "max relative error \(maximumRelativeError) at x = \(worstInput), max \(maximumUlps) ulp"
        }
    }

    @Test("scalar function vs Double reference", arguments: Function.allCases)
    func scalarAccuracy(_ function: Function) {
        let inputs = Self.sweep
        let accuracy = Accuracy(function, inputs: inputs, results: inputs.map(function.scalar))
        #expect(accuracy.failures.isEmpty, "\(accuracy.failures.prefix(5))")
        #expect(accuracy.maximumRelativeError <= function.tolerance, "\(function): \(accuracy.summary)")
        #expect(accuracy.maximumUlps <= function.ulpTolerance, "\(function): \(accuracy.summary)")
    }

    @Test("pointer loop vs Double reference", arguments: Function.allCases)
    func loopAccuracy(_ function: Function) {
        let inputs = Self.sweep
        var results = [Float](repeating: .nan, count: inputs.count)
        inputs.withUnsafeBufferPointer { input in
            results.withUnsafeMutableBufferPointer { output in
                function.loop(input.baseAddress!, output.baseAddress!, count: input.count)
            }
        }
        let accuracy = Accuracy(function, inputs: inputs, results: results)
        #expect(accuracy.failures.isEmpty, "\(accuracy.failures.prefix(5))")
        #expect(accuracy.maximumRelativeError <= function.tolerance, "\(function): \(accuracy.summary)")
        #expect(accuracy.maximumUlps <= function.ulpTolerance, "\(function): \(accuracy.summary)")
    }

    @Test("Tensor method vs Double reference", arguments: Function.allCases)
    func tensorAccuracy(_ function: Function) throws {
        let inputs = Self.sweep
        let x = try Tensor(shape: [inputs.count], scalars: inputs)
        let y = function.tensor(x)
        #expect(y.shape == x.shape)
        let accuracy = Accuracy(function, inputs: inputs, results: y.scalars)
        #expect(accuracy.failures.isEmpty, "\(accuracy.failures.prefix(5))")
        #expect(accuracy.maximumRelativeError <= function.tolerance, "\(function): \(accuracy.summary)")
        #expect(accuracy.maximumUlps <= function.ulpTolerance, "\(function): \(accuracy.summary)")
    }

    @Test("loops agree with the scalar function at every length and in place", arguments: Function.allCases)
    func loopsMatchScalarFunction(_ function: Function) {
        var generator = RandomGenerator(seed: 17)
        // Lengths around every plausible SIMD width and unroll factor, so that each remainder path runs.
        for count in Array(0...70) + [127, 128, 129, 1000, 1023] {
            let inputs = Tensor.uniform(shape: [count], lower: -30, upper: 30, generator: &generator).scalars
            let expected = inputs.map(function.scalar)
            var separate = [Float](repeating: .nan, count: count + 1)
            var inPlace = inputs
            inputs.withUnsafeBufferPointer { input in
                separate.withUnsafeMutableBufferPointer { output in
                    guard let source = input.baseAddress, let destination = output.baseAddress else { return }
                    function.loop(source, destination, count: count)
                }
            }
            inPlace.withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                function.loop(base, base, count: count)
            }
            #expect(separate.prefix(count).map(\.bitPattern) == expected.map(\.bitPattern), "\(function), count \(count)")
            #expect(separate[count].isNaN, "\(function) wrote past the end at count \(count)")
            #expect(inPlace.map(\.bitPattern) == expected.map(\.bitPattern), "\(function) in place, count \(count)")
        }
    }

    struct Special: Sendable, CustomTestStringConvertible {
        let function: Function
        let x: Float
        let expected: Float

        var testDescription: String { "\(function)(\(x.sign == .minus && x == 0 ? "-0" : "\(x)")) = \(expected)" }
    }

    static let specials: [Special] = [
        Special(function: .exp, x: .infinity, expected: .infinity),
        Special(function: .exp, x: -.infinity, expected: 0),
        Special(function: .exp, x: .nan, expected: .nan),
        Special(function: .exp, x: 0, expected: 1),
        Special(function: .exp, x: -0.0, expected: 1),
        Special(function: .exp, x: 1000, expected: .infinity),
        Special(function: .exp, x: -1000, expected: 0),
        Special(function: .exp, x: 89, expected: .infinity),
        Special(function: .tanh, x: .infinity, expected: 1),
        Special(function: .tanh, x: -.infinity, expected: -1),
        Special(function: .tanh, x: .nan, expected: .nan),
        Special(function: .tanh, x: -0.0, expected: -0.0),
        Special(function: .tanh, x: 20, expected: 1),
        Special(function: .tanh, x: -20, expected: -1),
        Special(function: .tanh, x: .leastNonzeroMagnitude, expected: .leastNonzeroMagnitude),
        Special(function: .tanh, x: -.leastNonzeroMagnitude, expected: -.leastNonzeroMagnitude),
        Special(function: .tanh, x: 1e-30, expected: 1e-30),
        Special(function: .sigmoid, x: .infinity, expected: 1),
        Special(function: .sigmoid, x: -.infinity, expected: 0),
        Special(function: .sigmoid, x: .nan, expected: .nan),
        Special(function: .sigmoid, x: 0, expected: 0.5),
        Special(function: .sigmoid, x: -0.0, expected: 0.5),
        Special(function: .sigmoid, x: 1000, expected: 1),
        Special(function: .sigmoid, x: -1000, expected: 0),
    ]

    @Test("special values are exact", arguments: specials)
    func specialValue(_ special: Special) throws {
        let scalar = special.function.scalar(special.x)
        let tensor = special.function.tensor(Tensor([special.x])).scalars[0]
        for (path, y) in [("scalar", scalar), ("tensor", tensor)] {
            if special.expected.isNaN {
                #expect(y.isNaN, "\(path)")
            } else {
                // Bit patterns, so that the sign of a zero counts.
                #expect(y.bitPattern == special.expected.bitPattern, "\(path): got \(y), sign \(y.sign)")
            }
        }
    }

    @Test func tanhOfPositiveZeroIsPositiveZero() {
        let scalar = VectorMath.tanh(0)
        let tensor = Tensor([0, 0, 0]).tanh()
        #expect(scalar.bitPattern == Float(0).bitPattern, "VectorMath.tanh(0) = \(scalar), sign \(scalar.sign)")
        #expect(tensor.scalars.allSatisfy { $0.sign == .plus }, "Tensor([0, 0, 0]).tanh() = \(tensor)")
    }
}
