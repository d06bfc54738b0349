import Foundation
import Tensor
import TestSupport
import Testing

// The C element-wise kernels (`Kernels`), under every instruction set this CPU runs:
// the same bits as the Swift definitions they replaced (VectorMath's scalar functions and
// the LSTM and softmax formulas written out below), and the softmax against numpy.
//
// Switching the instruction set is process-wide; every set gives the same bits, which is
// what these tests prove, so tests running alongside are not affected by the switch.

@Suite("Element-wise kernels per instruction set", .serialized)
struct KernelsTests {
    static var sets: [Kernels.InstructionSet] { Kernels.InstructionSet.allCases.filter { $0 <= Kernels.best } }

    /// Values where such kernels break, and a random sweep.
    static let inputs: [Float] = {
        var values: [Float] = [0, -0, 1, -1, .infinity, -.infinity, .nan, 88.72284, 88.72285, 88.8, -87.33655, -87.34, -103,
                               -88.73, 1e-30, -1e-30, Float.leastNonzeroMagnitude, -Float.leastNormalMagnitude, 9.5, -9.5, 43.6, -43.6,
                               20, -20, 0.3466, -0.3466, Float.greatestFiniteMagnitude, -Float.greatestFiniteMagnitude]
        var generator = SplitMix64(seed: 11)
        for _ in 0..<20_000 { values.append(Float(generator.nextDouble() * 200 - 100)) }
        for _ in 0..<5_000 { values.append(Float(generator.nextDouble() * 2 - 1) * 1e-3) }
        return values
    }()

    @Test("the AVX-512 or AVX2 kernels are in use where the CPU has them")
    func bestIsUsed() {
        let flags = KernelSelection.cpuFlags()
        if ["avx512f", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains) {
            #expect(Kernels.best == .avx512)
        } else if ["avx2", "fma"].allSatisfy(flags.contains) {
            #expect(Kernels.best == .avx2)
        }
        #expect(Kernels.InstructionSet.allCases.map(\.name) == ["SSE2", "AVX2", "AVX-512"])
    }

    @Test("exp, tanh and sigmoid give the scalar Swift functions' bits under every instruction set, at every length")
    func functions() {
        let scalar: [(String, (Float) -> Float, (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void)] = [
            ("exp", VectorMath.exp, { VectorMath.exp($0, $1, count: $2) }),
            ("tanh", VectorMath.tanh, { VectorMath.tanh($0, $1, count: $2) }),
            ("sigmoid", VectorMath.sigmoid, { VectorMath.sigmoid($0, $1, count: $2) }),
        ]
        for set in Self.sets {
            for (name, one, many) in scalar {
                let expected = Self.inputs.map { one($0).bitPattern }
                for count in [Self.inputs.count, 1, 15, 17, 33] {
                    var output = [Float](repeating: 7, count: count)
                    let ran = Kernels.with(set) {
                        Self.inputs.withUnsafeBufferPointer { input in
                            output.withUnsafeMutableBufferPointer { many(input.baseAddress!, $0.baseAddress!, count) }
                        }
                    }
                    #expect(ran)
                    let mismatch = (0..<count).first { output[$0].bitPattern != expected[$0] }
                    #expect(mismatch == nil, "\(set.name) \(name) at \(mismatch.map { "\(Self.inputs[$0])" } ?? ""), length \(count)")
                }
            }
        }
    }

    /// The LSTM step written out with VectorMath's scalar functions: what the engine's Swift
    /// code computed before the kernels.
    static func referenceActivate(gates: inout [Float], bias: [Float], forgetBias: Float, previous: [Float],
                                  rows: Int, units h: Int) -> (cells: [Float], hiddens: [Float], tanhCells: [Float]) {
        var cells = [Float](repeating: 0, count: rows * h), hiddens = cells, tanhCells = cells
        for r in 0..<rows {
            for k in 0..<h {
                let g = r * 4 * h
                let i = VectorMath.sigmoid(gates[g + k] + bias[k])
                let j = VectorMath.tanh(gates[g + h + k] + bias[h + k])
                let f = VectorMath.sigmoid(gates[g + 2 * h + k] + bias[2 * h + k] + forgetBias)
                let o = VectorMath.sigmoid(gates[g + 3 * h + k] + bias[3 * h + k])
                let c = previous[r * h + k] * f + i * j
                let t = VectorMath.tanh(c)
                (gates[g + k], gates[g + h + k], gates[g + 2 * h + k], gates[g + 3 * h + k]) = (i, j, f, o)
                cells[r * h + k] = c
                tanhCells[r * h + k] = t
                hiddens[r * h + k] = t * o
            }
        }
        return (cells, hiddens, tanhCells)
    }

    static func referenceDifferentiate(gates: [Float], previous: [Float], tanhCells: [Float], hiddenCarry: [Float],
                                       cellCarry: inout [Float], upstream: [Float], rows: Int, units h: Int) -> [Float] {
        var grads = [Float](repeating: 0, count: rows * 4 * h)
        for r in 0..<rows {
            for k in 0..<h {
                let g = r * 4 * h, s = r * h + k
                let (i, j, f, o, t) = (gates[g + k], gates[g + h + k], gates[g + 2 * h + k], gates[g + 3 * h + k], tanhCells[s])
                let dh = upstream[s] + hiddenCarry[s]
                let dc = cellCarry[s] + dh * o * (1 - t * t)
                grads[g + k] = dc * j * i * (1 - i)
                grads[g + h + k] = dc * i * (1 - j * j)
                grads[g + 2 * h + k] = dc * previous[s] * f * (1 - f)
                grads[g + 3 * h + k] = dh * t * o * (1 - o)
                cellCarry[s] = dc * f
            }
        }
        return grads
    }

    static func random(_ count: Int, scale: Float, _ generator: inout SplitMix64) -> [Float] {
        (0..<count).map { _ in Float(generator.nextDouble() * 2 - 1) * scale }
    }

    @Test("the LSTM step's kernels give the Swift formulas' bits under every instruction set",
          arguments: [(rows: 3, units: 5), (rows: 2, units: 16), (rows: 4, units: 33), (rows: 30, units: 256)])
    func lstm(_ size: (rows: Int, units: Int)) {
        let (rows, h) = size
        var generator = SplitMix64(seed: UInt64(rows * 1000 + h))
        let preactivations = Self.random(rows * 4 * h, scale: 6, &generator)
        let bias = Self.random(4 * h, scale: 1, &generator)
        let previous = Self.random(rows * h, scale: 2, &generator)
        let upstream = Self.random(rows * h, scale: 0.1, &generator)
        let hiddenCarry = Self.random(rows * h, scale: 0.1, &generator)
        let carryIn = Self.random(rows * h, scale: 0.1, &generator)

        var referenceGates = preactivations
        let reference = Self.referenceActivate(gates: &referenceGates, bias: bias, forgetBias: 0.5, previous: previous, rows: rows, units: h)
        var referenceCarry = carryIn
        let referenceGrads = Self.referenceDifferentiate(gates: referenceGates, previous: previous, tanhCells: reference.tanhCells,
                                                         hiddenCarry: hiddenCarry, cellCarry: &referenceCarry, upstream: upstream,
                                                         rows: rows, units: h)
        for set in Self.sets {
            var gates = preactivations
            var cells = [Float](repeating: 0, count: rows * h), hiddens = cells, tanhCells = cells
            var grads = [Float](repeating: 0, count: rows * 4 * h)
            var carry = carryIn
            _ = Kernels.with(set) {
                Kernels.lstmActivate(gates: &gates, bias: bias, forgetBias: 0.5, previousCells: previous, cells: &cells,
                                     hiddens: &hiddens, tanhCells: &tanhCells, rows: rows, units: h)
                Kernels.lstmDifferentiate(gates: gates, gateGrads: &grads, previousCells: previous, tanhCells: tanhCells,
                                          hiddenCarry: hiddenCarry, cellCarry: &carry, upstream: upstream, rows: rows, units: h)
            }
            #expect(gates.map(\.bitPattern) == referenceGates.map(\.bitPattern), "\(set.name) gates")
            #expect(cells.map(\.bitPattern) == reference.cells.map(\.bitPattern), "\(set.name) c")
            #expect(hiddens.map(\.bitPattern) == reference.hiddens.map(\.bitPattern), "\(set.name) h")
            #expect(tanhCells.map(\.bitPattern) == reference.tanhCells.map(\.bitPattern), "\(set.name) tanh c")
            #expect(grads.map(\.bitPattern) == referenceGrads.map(\.bitPattern), "\(set.name) gate gradients")
            #expect(carry.map(\.bitPattern) == referenceCarry.map(\.bitPattern), "\(set.name) cell carry")
        }
    }

    @Test("softmax cross-entropy and its gradient: numpy's values, and the same bits under every instruction set",
          arguments: [(rows: 3, width: 7), (rows: 5, width: 40), (rows: 4, width: 1000)])
    func softmax(_ size: (rows: Int, width: Int)) throws {
        let (rows, width) = size
        var generator = SplitMix64(seed: UInt64(rows * 7 + width))
        let logits = Self.random(rows * width, scale: 8, &generator)
        let bias = Self.random(width, scale: 2, &generator)
        let targets = (0..<rows).map { Int32($0 * 7919 % width) }
        let scale: Float = 0.25

        var results: [(loss: Double, evaluation: Double, grads: [Float], biasGrad: [Float])] = []
        for set in Self.sets {
            var grads = logits, scratch = logits
            var biasGrad = [Float](repeating: 0, count: width), unused = biasGrad
            var loss = 0.0, evaluation = 0.0
            _ = Kernels.with(set) {
                loss = Kernels.softmaxLoss(&grads, bias: bias, rows: rows, width: width, targets: targets, gradientScale: scale, biasGrad: &biasGrad)
                evaluation = Kernels.softmaxLoss(&scratch, bias: bias, rows: rows, width: width, targets: targets, gradientScale: nil, biasGrad: &unused)
            }
            #expect(loss == evaluation, "\(set.name): evaluating gives the training loss")
            #expect(unused.allSatisfy { $0 == 0 }, "\(set.name): evaluation leaves the bias gradient alone")
            results.append((loss, evaluation, grads, biasGrad))
        }
        for (set, result) in zip(Self.sets, results).dropFirst() {
            #expect(result.loss == results[0].loss, "\(set.name) loss")
            #expect(result.grads.map(\.bitPattern) == results[0].grads.map(\.bitPattern), "\(set.name) gradient")
            #expect(result.biasGrad.map(\.bitPattern) == results[0].biasGrad.map(\.bitPattern), "\(set.name) bias gradient")
        }

        let reference = try Numpy.evaluate("""
            z = (logits.astype(np.float64) + bias.astype(np.float64))
            z = z - z.max(axis=1, keepdims=True)
            logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
            t = targets.astype(np.int64).ravel()
            out["loss"] = np.array([-logp[np.arange(len(t)), t].sum()])
            g = np.exp(logp)
            g[np.arange(len(t)), t] -= 1
            out["grads"] = g * 0.25
            out["bias"] = (g * 0.25).sum(axis=0)
            """, inputs: ["logits": try Tensor(shape: [rows, width], scalars: logits), "bias": try Tensor(shape: [width], scalars: bias),
                          "targets": try Tensor(shape: [rows], scalars: targets.map(Float.init))])
        let loss = try #require(reference["loss"]).scalars[0]
        #expect(abs(Float(results[0].loss) - loss) <= 1e-5 * abs(loss), "loss \(results[0].loss) vs numpy \(loss)")
        #expect(allClose(try Tensor(shape: [rows, width], scalars: results[0].grads), try #require(reference["grads"]), rtol: 1e-4, atol: 1e-7))
        #expect(allClose(try Tensor(shape: [width], scalars: results[0].biasGrad), try #require(reference["bias"]), rtol: 1e-4, atol: 1e-7))
    }

    @Test("column sums and axpy: a plain loop's bits under every instruction set")
    func sumsAndAxpy() {
        var generator = SplitMix64(seed: 5)
        let (rows, columns) = (37, 1029)
        let matrix = Self.random(rows * columns, scale: 3, &generator)
        var expectedSums = [Float](repeating: 0, count: columns)
        for r in 0..<rows { for j in 0..<columns { expectedSums[j] += matrix[r * columns + j] } }
        let x = Self.random(1001, scale: 1, &generator), y = Self.random(1001, scale: 1, &generator)
        let expectedY = zip(x, y).map { $1 + Float(-0.37) * $0 }
        for set in Self.sets {
            var sums = [Float](repeating: 9, count: columns)
            var axpy = y
            _ = Kernels.with(set) {
                Kernels.columnSums(matrix, rows: rows, columns: columns, into: &sums)
                Kernels.axpy(-0.37, x, &axpy, count: x.count)
            }
            #expect(sums.map(\.bitPattern) == expectedSums.map(\.bitPattern), "\(set.name) column sums")
            #expect(axpy.map(\.bitPattern) == expectedY.map(\.bitPattern), "\(set.name) axpy")
        }
    }

    @Test("an instruction set the CPU lacks is refused and changes nothing")
    func refused() {
        let before = Kernels.current
        if Kernels.best < .avx512 {
            #expect(!Kernels.use(.avx512))
            #expect(Kernels.current == before)
        }
        #expect(Kernels.use(.sse2) && Kernels.current == .sse2)
        #expect(Kernels.use(before) && Kernels.current == before)
    }
}
