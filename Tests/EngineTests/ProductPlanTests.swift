import Engine
import Foundation
import Tensor
import TestSupport
import Testing

/// The per-shape choice between OpenBLAS and oneDNN: decided by an injected timer, kept in a
/// file per machine, and never trusting a file that is not one of ours.
@Suite("Product plan")
struct ProductPlanTests {
    static let large = ProductKey(m: 600, n: 1024, k: 200, transposeA: false, transposeB: false, accumulates: false)
    static let other = ProductKey(m: 30, n: 256, k: 1024, transposeA: false, transposeB: true, accumulates: true)
    static let small = ProductKey(m: 6, n: 24, k: 8, transposeA: true, transposeB: false, accumulates: false)

    /// A timer that says oneDNN is faster on `large`, OpenBLAS on everything else, and counts calls.
    final class FakeTimer: @unchecked Sendable {
        // @unchecked: used from one thread in these tests.
        var calls: [(ProductKey, ProductLibrary)] = []
        func time(_ key: ProductKey, _ library: ProductLibrary) -> Double {
            calls.append((key, library))
            let oneDNNWins = key == ProductPlanTests.large
            return (library == .oneDNN) == oneDNNWins ? 0.001 : 0.002
        }
    }

    @Test("each large shape is measured once with both libraries and goes to the faster; small ones are not measured")
    func choosesFaster() {
        let timer = FakeTimer()
        let plan = ProductPlan(file: nil, fingerprint: "test", timer: timer.time)
        #expect(plan.library(for: Self.large) == .oneDNN)
        #expect(plan.library(for: Self.other) == .openBLAS)
        #expect(plan.library(for: Self.large) == .oneDNN)
        #expect(plan.library(for: Self.small) == .openBLAS)
        #expect(timer.calls.count == 4, "two shapes, two libraries each, once")
        #expect(plan.decided[Self.large]?.milliseconds == ["openblas": 2, "onednn": 1])
    }

    @Test("LESSON_PRODUCTS-style forcing measures nothing")
    func forced() {
        let timer = FakeTimer()
        let plan = ProductPlan(file: nil, fingerprint: "test", forced: .oneDNN, timer: timer.time)
        #expect(plan.library(for: Self.other) == .oneDNN && plan.library(for: Self.small) == .oneDNN)
        #expect(timer.calls.isEmpty)
    }

    @Test("choices survive in the machine's file; another machine's file, a broken one or a huge one is ignored")
    func file() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.url.appendingPathComponent("nested/product-plan.json")
        let first = FakeTimer()
        let plan = ProductPlan(file: file, fingerprint: "machine A", timer: first.time)
        _ = plan.library(for: Self.large)
        _ = plan.library(for: Self.other)
        #expect(FileManager.default.fileExists(atPath: file.path))

        let again = FakeTimer()
        let reread = ProductPlan(file: file, fingerprint: "machine A", timer: again.time)
        #expect(reread.library(for: Self.large) == .oneDNN && reread.library(for: Self.other) == .openBLAS)
        #expect(again.calls.isEmpty, "nothing measured again on the same machine")

        let elsewhere = FakeTimer()
        let otherMachine = ProductPlan(file: file, fingerprint: "machine B", timer: elsewhere.time)
        _ = otherMachine.library(for: Self.large)
        #expect(elsewhere.calls.count == 2, "a plan made on another machine is measured afresh")

        for hostile in [Data("{\"fingerprint\": \"machine A\", \"choices\": 7}".utf8), Data([0xFF, 0x00, 0x7B]),
                        Data(repeating: 0x20, count: 2 << 20)] {
            try hostile.write(to: file)
            let timer = FakeTimer()
            let fresh = ProductPlan(file: file, fingerprint: "machine A", timer: timer.time)
            #expect(fresh.library(for: Self.large) == .oneDNN)
            #expect(timer.calls.count == 2, "a file that is not a plan is ignored and replaced")
        }
    }

    @Test("a plan file that is a folder or a FIFO is not read (and nothing waits on it)")
    func notAFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let folder = directory.url.appendingPathComponent("folder-plan.json")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let fifo = directory.url.appendingPathComponent("fifo-plan.json")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        for file in [folder, fifo] {
            let timer = FakeTimer()
            let plan = ProductPlan(file: file, fingerprint: "m", timer: timer.time)
            #expect(plan.library(for: Self.large) == .oneDNN)
            #expect(timer.calls.count == 2, "\(file.lastPathComponent): measured, not read")
        }
    }

    @Test("a plan whose file cannot be written still chooses")
    func unwritable() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let blocker = directory.url.appendingPathComponent("not-a-folder")
        try Data("x".utf8).write(to: blocker)
        let plan = ProductPlan(file: blocker.appendingPathComponent("product-plan.json"), fingerprint: "m", timer: FakeTimer().time)
        #expect(plan.library(for: Self.large) == .oneDNN)
    }

    @Test("the real measurement returns a positive time for both libraries")
    func measures() {
        let key = ProductKey(m: 64, n: 96, k: 80, transposeA: true, transposeB: true, accumulates: true)
        for library in ProductLibrary.allCases {
            let seconds = ProductPlan.measure(key, library)
            #expect(seconds > 0 && seconds < 1, "\(library): \(seconds) s")
        }
    }

    @Test("oneDNN's products equal numpy's for every transpose and beta",
          arguments: [(false, false, Float(0)), (true, false, Float(1)), (false, true, Float(0.5)), (true, true, Float(0))])
    func oneDNNAgainstNumpy(_ setting: (Bool, Bool, Float)) throws {
        let (transposeA, transposeB, beta) = setting
        let (m, n, k) = (13, 37, 29)
        var generator = SplitMix64(seed: 77)
        func random(_ count: Int) -> [Float] { (0..<count).map { _ in Float(generator.nextDouble() * 2 - 1) } }
        let a = random(m * k), b = random(k * n), start = random(m * n)
        var c = start
        #expect(OneDNN.gemm(a, transposeA: transposeA, b, transposeB: transposeB, &c, m: m, n: n, k: k, beta: beta))
        let reference = try Numpy.evaluate("""
            A = a.reshape(\(transposeA ? "(\(k), \(m))" : "(\(m), \(k))")).astype(np.float64)
            B = b.reshape(\(transposeB ? "(\(n), \(k))" : "(\(k), \(n))")).astype(np.float64)
            out["c"] = \(beta) * start.astype(np.float64) + (A.T if \(transposeA ? "True" : "False") else A) @ (B.T if \(transposeB ? "True" : "False") else B)
            """, inputs: ["a": try Tensor(shape: [a.count], scalars: a), "b": try Tensor(shape: [b.count], scalars: b),
                          "start": try Tensor(shape: [m, n], scalars: start)])
        #expect(allClose(try Tensor(shape: [m, n], scalars: c), try #require(reference["c"]), rtol: 1e-5, atol: 1e-5))
        #expect(!OneDNN.gemm(a, transposeA: false, b, transposeB: false, &c, m: 0, n: n, k: k), "an empty product is left to BLAS")
    }

    @Test("the fused step with every product on oneDNN matches autodiff as the OpenBLAS one does")
    func fusedStepOnOneDNN() throws {
        let problem = FusedCase.all[3]
        let (model, x, y, initial) = try problem.problem()
        let reference = try ModelFixtures.autodiff(model, x: x, y: y, state: initial)
        let plan = ProductPlan(file: nil, fingerprint: "test", forced: .oneDNN)
        let runner = FusedBatchStep(model: model, batchSize: problem.batchSize, numSteps: problem.numSteps, workers: 2, plan: plan)
        var state = initial
        var generator = RandomGenerator(seed: 5)
        let cost = try runner.step(x: x, y: y, state: &state, mode: .train, generator: &generator)
        #expect(abs(cost - reference.cost) <= 1e-5 * abs(reference.cost))
        for (index, (mine, theirs)) in zip(runner.gradients.tensors(), reference.gradients).enumerated() {
            #expect(ModelFixtures.relativeError(mine, reference: theirs) <= 1e-5, "\(FusedPathTests.variableNames[index])")
        }
    }
}
