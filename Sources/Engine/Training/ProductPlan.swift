import Digests
import Foundation
import Tensor

/// A library that multiplies float32 matrices for the training step.
public enum ProductLibrary: String, Codable, CaseIterable, Sendable {
    case openBLAS = "openblas"
    case oneDNN = "onednn"

    public var title: String {
        switch self {
        case .openBLAS: "OpenBLAS"
        case .oneDNN: "oneDNN"
        }
    }
}

/// A float32 product's shape as the plan keys it.
public struct ProductKey: Hashable, Codable, Sendable {
    public let m: Int, n: Int, k: Int
    public let transposeA: Bool, transposeB: Bool, accumulates: Bool

    public init(m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, accumulates: Bool) {
        self.m = m
        self.n = n
        self.k = k
        self.transposeA = transposeA
        self.transposeB = transposeB
        self.accumulates = accumulates
    }

    public var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
}

/// Which library multiplies each float32 product shape: whichever a short measurement on
/// this machine found faster, kept in a small file per machine so later runs (and their
/// numbers) do not depend on timing.
///
/// Libraries round differently, so the choice can move results in the last bits; once the
/// file exists a machine always makes the same choice. Products below `smallestCalibrated`
/// FLOPs go to OpenBLAS unmeasured, so small models (and the tests) never depend on timing.
/// `LESSON_PRODUCTS=openblas` or `onednn` forces one library for every product.
public final class ProductPlan: @unchecked Sendable {
    // @unchecked: `choices` and the file are guarded by `lock`.

    /// Seconds one call of `key` takes with `library`, measured (injected in tests).
    public typealias Timer = (ProductKey, ProductLibrary) -> Double

    /// Products smaller than this (in FLOPs) are never measured.
    public static let smallestCalibrated = 1e6

    public let forced: ProductLibrary?
    private let file: URL?
    private let fingerprint: String
    private let timer: Timer
    private let lock = NSLock()
    private var choices: [ProductKey: Choice] = [:]

    public struct Choice: Codable, Sendable, Equatable {
        public let library: ProductLibrary
        /// Measured milliseconds per call, by library name.
        public let milliseconds: [String: Double]
    }

    /// - Parameters:
    ///   - file: where the choices are kept (nil: nowhere); read now, written after each new choice.
    ///   - fingerprint: what the choices are valid for (CPU, libraries); a file made for another is ignored.
    ///   - forced: one library for everything, no measuring.
    public init(file: URL?, fingerprint: String, forced: ProductLibrary? = nil, timer: @escaping Timer = ProductPlan.measure) {
        self.file = file
        self.fingerprint = fingerprint
        self.forced = forced
        self.timer = timer
        if let file, forced == nil { choices = Self.read(file, fingerprint: fingerprint) }
    }

    /// The plan every training step uses: `LESSON_PRODUCTS` if set, else the choices of
    /// this machine in the user's cache folder.
    public static let shared: ProductPlan = {
        let environment = ProcessInfo.processInfo.environment
        let forced = environment["LESSON_PRODUCTS"].flatMap { ProductLibrary(rawValue: $0.lowercased()) }
        let fingerprint = machineFingerprint()
        return ProductPlan(file: defaultFile(environment: environment, fingerprint: fingerprint), fingerprint: fingerprint, forced: forced)
    }()

    /// The library for `key`, measuring both the first time a large shape is seen.
    public func library(for key: ProductKey) -> ProductLibrary {
        if let forced { return forced }
        guard key.flops >= Self.smallestCalibrated else { return .openBLAS }
        lock.lock()
        defer { lock.unlock() }
        if let known = choices[key] { return known.library }
        // Measured under the lock: every thread waits for one decision per shape.
        var milliseconds: [String: Double] = [:]
        for library in ProductLibrary.allCases { milliseconds[library.rawValue] = timer(key, library) * 1000 }
        let fastest = ProductLibrary.allCases.min { (milliseconds[$0.rawValue] ?? .infinity) < (milliseconds[$1.rawValue] ?? .infinity) } ?? .openBLAS
        choices[key] = Choice(library: fastest, milliseconds: milliseconds)
        if let file { Self.write(choices, to: file, fingerprint: fingerprint) }
        return fastest
    }

    /// What has been decided so far.
    public var decided: [ProductKey: Choice] {
        lock.lock()
        defer { lock.unlock() }
        return choices
    }

    // MARK: Measuring

    /// Best of three rounds, each at least 20 ms or 3 calls, both libraries alternating.
    public static func measure(_ key: ProductKey, _ library: ProductLibrary) -> Double {
        let operands = ProductOperands(key, seed: 7)
        return BLAS.singleThreaded { () -> Double in
            operands.run(library)
            var best = Double.infinity
            for _ in 0..<3 {
                let start = DispatchTime.now().uptimeNanoseconds
                var calls = 0
                var elapsed: UInt64 = 0
                while calls < 3 || elapsed < 20_000_000 {
                    operands.run(library)
                    calls += 1
                    elapsed = DispatchTime.now().uptimeNanoseconds - start
                }
                best = Swift.min(best, Double(elapsed) / 1e9 / Double(calls))
            }
            return best
        }
    }

    /// One float32 product with `library` (OpenBLAS when oneDNN refuses).
    @inline(__always)
    static func run(_ library: ProductLibrary, _ a: UnsafePointer<Float>, transposeA: Bool, _ b: UnsafePointer<Float>, transposeB: Bool,
                    _ c: UnsafeMutablePointer<Float>, m: Int, n: Int, k: Int, beta: Float) {
        if library == .oneDNN, OneDNN.gemm(a, transposeA: transposeA, b, transposeB: transposeB, c, m: m, n: n, k: k, beta: beta) {
            return
        }
        BLAS.gemm(a, transposeA: transposeA, b, transposeB: transposeB, c, m: m, n: n, k: k, beta: beta)
    }

    // MARK: The file

    private struct Stored: Codable {
        let fingerprint: String
        let choices: [Entry]
        struct Entry: Codable {
            let key: ProductKey
            let choice: Choice
        }
    }

    /// The CPU model, its flags, core count and the libraries: choices are only reused on the same.
    public static func machineFingerprint() -> String {
        var model = "unknown CPU"
        if let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
           let colon = line.firstIndex(of: ":") {
            model = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let flags = KernelSelection.cpuFlags().sorted().joined(separator: " ")
        let text = "\(model)|\(flags)|\(ProcessInfo.processInfo.activeProcessorCount)|OpenBLAS \(BLAS.coreName)|oneDNN \(OneDNN.version)"
        let hash = Checksum64.of(Data(text.utf8))
        return "\(model), \(ProcessInfo.processInfo.activeProcessorCount) cores, OpenBLAS \(BLAS.coreName), oneDNN \(OneDNN.version) ("
            + String(hash, radix: 16) + ")"
    }

    static func defaultFile(environment: [String: String], fingerprint: String) -> URL? {
        let base: URL
        if let cache = environment["XDG_CACHE_HOME"], cache.hasPrefix("/") {
            base = URL(fileURLWithPath: cache)
        } else if let home = environment["HOME"], home.hasPrefix("/") {
            base = URL(fileURLWithPath: home).appendingPathComponent(".cache")
        } else {
            return nil
        }
        return base.appendingPathComponent("lesson").appendingPathComponent("product-plan.json")
    }

    /// The choices in `file` if it is ours and made for this machine; anything else reads as none.
    static func read(_ file: URL, fingerprint: String) -> [ProductKey: Choice] {
        // Only a regular file: opening a FIFO would wait forever, a device could be endless.
        var status = stat()
        guard stat(file.path, &status) == 0, status.st_mode & S_IFMT == S_IFREG,
              let handle = try? FileHandle(forReadingFrom: file) else { return [:] }
        defer { try? handle.close() }
        // A plan is a few kilobytes; anything much larger is not one of ours.
        guard let data = try? handle.read(upToCount: 1 << 20), data.count < 1 << 20,
              let stored = try? JSONDecoder().decode(Stored.self, from: data), stored.fingerprint == fingerprint
        else { return [:] }
        var choices: [ProductKey: Choice] = [:]
        for entry in stored.choices.prefix(10_000) { choices[entry.key] = entry.choice }
        return choices
    }

    /// Writes the choices atomically (a temporary file renamed over the old); failures are
    /// ignored: the plan is only an optimisation, and it is measured again next time.
    static func write(_ choices: [ProductKey: Choice], to file: URL, fingerprint: String) {
        let stored = Stored(fingerprint: fingerprint, choices: choices.map { Stored.Entry(key: $0.key, choice: $0.value) }
            .sorted { ($0.key.m, $0.key.n, $0.key.k) < ($1.key.m, $1.key.n, $1.key.k) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(stored) else { return }
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? data.write(to: file, options: .atomic)
    }
}
