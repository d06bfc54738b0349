import Foundation

/// What `lesson bench --profile` prints: a measured `StepProfile` per step, with each product's rate
/// inside the step against its rate timed alone, and the GEMM-only ceiling.
public struct ProfileBreakdown {
    public struct Phase: Sendable {
        public let title: String
        public let milliseconds: Double
        public let share: Double
    }

    public struct Product: Sendable {
        public let shape: ProductShape
        public let callsPerStep: Double
        public let millisecondsPerStep: Double
        public let gigaflopsInStep: Double
        public let gigaflopsAlone: Double
        /// What ran it.
        public let library: String
    }

    public let phases: [Phase]
    public let products: [Product]
    public let stepMilliseconds: Double
    public let wordsPerStep: Int
    public let workers: Int

    /// Times every product shape of `profile` alone (`ProductBenchmark`), on `workers` threads.
    public init(_ profile: StepProfile, wordsPerStep: Int, workers: Int, rateAlone: ((ProductShape) -> Double)? = nil) {
        let rateAlone = rateAlone ?? { ProductBenchmark.gigaflops($0, workers: workers) }
        let steps = Double(Swift.max(profile.steps, 1))
        let step = Double(profile.stepNanoseconds) / steps / 1e6
        var phases = StepPhase.allCases.map { phase in
            Phase(title: phase.title, milliseconds: Double(profile[phase]) / steps / 1e6, share: 0)
        }
        let accounted = phases.reduce(0) { $0 + $1.milliseconds }
        phases.append(Phase(title: "other (waiting for the other shards, copying states)", milliseconds: Swift.max(0, step - accounted), share: 0))
        self.phases = phases.map { Phase(title: $0.title, milliseconds: $0.milliseconds, share: step > 0 ? $0.milliseconds / step : 0) }
        products = profile.products
            .sorted { ($0.key.phase.rawValue, $1.value.nanoseconds) < ($1.key.phase.rawValue, $0.value.nanoseconds) }
            .map { shape, tally in
                let seconds = Double(tally.nanoseconds) / 1e9
                return Product(shape: shape, callsPerStep: Double(tally.calls) / steps,
                               millisecondsPerStep: seconds * 1e3 / steps,
                               gigaflopsInStep: seconds > 0 ? shape.flops * Double(tally.calls) / seconds / 1e9 : 0,
                               gigaflopsAlone: rateAlone(shape), library: tally.library)
            }
        stepMilliseconds = step
        self.wordsPerStep = wordsPerStep
        self.workers = workers
    }

    /// Milliseconds a step's products would take at their rates alone.
    public var ceilingMilliseconds: Double {
        products.reduce(0) { total, product in
            total + (product.gigaflopsAlone > 0 ? product.shape.flops * product.callsPerStep / (product.gigaflopsAlone * 1e6) : 0)
        }
    }

    public var ceilingWordsPerSecond: Double { ceilingMilliseconds > 0 ? Double(wordsPerStep) / ceilingMilliseconds * 1e3 : 0 }
    public var measuredWordsPerSecond: Double { stepMilliseconds > 0 ? Double(wordsPerStep) / stepMilliseconds * 1e3 : 0 }

    public var lines: [String] {
        var out = ["Where a step's time goes (\(wordsPerStep) words a step; the per-shard phases are shard 1's of \(workers), which run at the same time):"]
        for phase in phases {
            out.append("  " + Self.pad(phase.title, 54) + String(format: "%6.1f%%  %8.2f ms", phase.share * 100, phase.milliseconds))
        }
        out.append("  " + Self.pad("whole step", 54) + String(format: "%6.1f%%  %8.2f ms", 100.0, stepMilliseconds))
        out.append("")
        out.append("Matrix products of one shard, per step, in the step and timed alone (GFLOP/s):")
        out.append("  " + Self.pad("product", 26) + Self.pad("m x n x k", 20) + "calls     ms   in step    alone   ratio  library")
        for product in products {
            let ratio = product.gigaflopsAlone > 0 ? product.gigaflopsInStep / product.gigaflopsAlone : 0
            out.append("  " + Self.pad(product.shape.name, 26) + Self.pad(product.shape.dimensions, 20)
                       + String(format: "%5.0f %6.2f %9.1f %8.1f %6.0f%%  ", product.callsPerStep, product.millisecondsPerStep,
                                product.gigaflopsInStep, product.gigaflopsAlone, ratio * 100) + product.library)
        }
        out.append("")
        let share = ceilingWordsPerSecond > 0 ? measuredWordsPerSecond / ceilingWordsPerSecond : 0
        out.append(String(format: "GEMM-only ceiling: %.0f words/s (%.2f ms a step: every product at its rate alone, nothing else);", ceilingWordsPerSecond, ceilingMilliseconds))
        out.append(String(format: "the profiled steps ran at %.0f words/s, %.0f%% of it.", measuredWordsPerSecond, share * 100))
        return out
    }

    public var jsonObject: [String: Any] {
        [
            "step_ms": Self.rounded(stepMilliseconds),
            "phases": phases.map { ["phase": $0.title, "ms": Self.rounded($0.milliseconds), "share": Self.rounded($0.share)] },
            "products": products.map { product -> [String: Any] in
                ["name": product.shape.name, "m": product.shape.m, "n": product.shape.n, "k": product.shape.k,
                 "transpose_a": product.shape.transposeA, "transpose_b": product.shape.transposeB,
                 "calls_per_step": product.callsPerStep, "ms_per_step": Self.rounded(product.millisecondsPerStep),
                 "gflops_in_step": Self.rounded(product.gigaflopsInStep), "gflops_alone": Self.rounded(product.gigaflopsAlone),
                 "library": product.library]
            },
            "gemm_ceiling_ms": Self.rounded(ceilingMilliseconds),
            "gemm_ceiling_words_per_second": Self.rounded(ceilingWordsPerSecond),
            "profiled_words_per_second": Self.rounded(measuredWordsPerSecond),
        ]
    }

    static func rounded(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
