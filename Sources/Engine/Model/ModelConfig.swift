import Foundation

/// Hyperparameters of the PTB language model. The defaults are the tutorial's
/// "small" configuration.
public struct ModelConfig: Sendable, Equatable, Codable {
    /// Half-width of the uniform initialisation range.
    public var initScale: Float = 0.1
    /// Learning rate of the first `maxEpochDecayLR + 1` epochs.
    public var learningRate: Float = 1.0
    /// Gradients are rescaled so that their global norm is at most this.
    public var maxGradNorm: Float = 5
    /// Time steps each batch is unrolled for.
    public var numSteps: Int = 20
    /// Units of each LSTM layer, bottom first (the tutorial: 256 then 128).
    public var hiddenSizes: [Int] = [256, 128]
    /// Width of the word embedding.
    public var embeddingSize: Int = 200
    /// Epoch index (from 0) after which the learning rate decays.
    public var maxEpochDecayLR: Int = 4
    /// Epochs to train.
    public var maxEpoch: Int = 15
    /// Probability of keeping an activation under dropout (1 = no dropout).
    public var keepProb: Float = 1
    /// Learning-rate decay factor per epoch after `maxEpochDecayLR`.
    public var decay: Float = 0.5
    /// Rows of each mini-batch.
    public var batchSize: Int = 60
    /// Words in the vocabulary.
    public var vocabularySize: Int = 10_000
    /// Added to the forget gate's pre-activation (the tutorial uses 0).
    public var forgetBias: Float = 0
    /// Seed of every random choice (initialisation, dropout).
    public var seed: UInt64 = 1
    /// How the training step multiplies matrices: float32, or bf16 inputs with float32 sums
    /// (AVX512_BF16). Not one of the tutorial's settings; float32 reproduces its numbers.
    public var precision: Precision = .float32

    public init() {}

    private enum CodingKeys: String, CodingKey {
        case initScale, learningRate, maxGradNorm, numSteps, hiddenSizes, embeddingSize, maxEpochDecayLR, maxEpoch
        case keepProb, decay, batchSize, vocabularySize, forgetBias, seed, precision
    }

    /// Configurations saved before `precision` existed read as float32.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        initScale = try c.decode(Float.self, forKey: .initScale)
        learningRate = try c.decode(Float.self, forKey: .learningRate)
        maxGradNorm = try c.decode(Float.self, forKey: .maxGradNorm)
        numSteps = try c.decode(Int.self, forKey: .numSteps)
        hiddenSizes = try c.decode([Int].self, forKey: .hiddenSizes)
        embeddingSize = try c.decode(Int.self, forKey: .embeddingSize)
        maxEpochDecayLR = try c.decode(Int.self, forKey: .maxEpochDecayLR)
        maxEpoch = try c.decode(Int.self, forKey: .maxEpoch)
        keepProb = try c.decode(Float.self, forKey: .keepProb)
        decay = try c.decode(Float.self, forKey: .decay)
        batchSize = try c.decode(Int.self, forKey: .batchSize)
        vocabularySize = try c.decode(Int.self, forKey: .vocabularySize)
        forgetBias = try c.decode(Float.self, forKey: .forgetBias)
        seed = try c.decode(UInt64.self, forKey: .seed)
        precision = try c.decodeIfPresent(Precision.self, forKey: .precision) ?? .float32
    }

    /// The tutorial's configuration.
    public static let tutorial = ModelConfig()

    /// Number of stacked LSTM layers.
    public var numLayers: Int { hiddenSizes.count }

    /// The learning rate of `epoch` (counted from 0): `lr * decay^max(epoch - maxEpochDecayLR, 0)`.
    public func learningRate(epoch: Int) -> Float {
        let exponent = Swift.max(epoch - maxEpochDecayLR, 0)
        var rate = learningRate
        for _ in 0..<exponent { rate *= decay }
        return rate
    }

    /// The most Float32 values a model may need before it is refused (16 GiB).
    static let memoryLimitFloats = 4 << 30

    /// Floats needed by the parameters (with their gradients) and the training path's
    /// activations, or nil when the count overflows. Every step is overflow-checked, so
    /// absurd sizes (from a cell or a saved session) give nil rather than a trap.
    public func estimatedFloats() -> Int? {
        func product(_ a: Int, _ b: Int) -> Int? {
            let result = a.multipliedReportingOverflow(by: b)
            return result.overflow ? nil : result.partialValue
        }
        func sum(_ a: Int, _ b: Int) -> Int? {
            let result = a.addingReportingOverflow(b)
            return result.overflow ? nil : result.partialValue
        }
        guard var parameters = product(vocabularySize, embeddingSize) else { return nil }
        var width = embeddingSize
        var units = 0
        for h in hiddenSizes {
            guard let gates = product(4, h), let rows = sum(width, h), let kernel = product(rows, gates),
                  let withBias = sum(kernel, gates), let total = sum(parameters, withBias), let allUnits = sum(units, h)
            else { return nil }
            parameters = total
            units = allUnits
            width = h
        }
        guard let softmax = product(width, vocabularySize), let rows = product(batchSize, numSteps),
              let embeddingRows = product(embeddingSize, 2), let unitRows = product(units, 16),
              let perRow = sum(vocabularySize, embeddingRows).flatMap({ sum($0, unitRows) }),
              let activations = product(rows, perRow),
              let weights = sum(parameters, softmax).flatMap({ product($0, 2) })
        else { return nil }
        return sum(weights, activations)
    }

    /// Problems with these values, as sentences; empty when the configuration is usable.
    public func problems() -> [String] {
        var found: [String] = []
        func positive(_ value: Float, _ name: String) {
            if !(value > 0 && value.isFinite) { found.append("\(name) must be a positive number (got \(value))") }
        }
        positive(initScale, "init scale")
        positive(learningRate, "learning rate")
        positive(maxGradNorm, "max grad norm")
        positive(decay, "decay")
        if !forgetBias.isFinite { found.append("forget bias must be a finite number (got \(forgetBias))") }
        if !(keepProb > 0 && keepProb <= 1) { found.append("keep prob must be in (0, 1] (got \(keepProb))") }
        if numSteps < 1 { found.append("num steps must be at least 1 (got \(numSteps))") }
        if hiddenSizes.isEmpty || hiddenSizes.contains(where: { $0 < 1 }) { found.append("hidden sizes must be positive and at least one layer (got \(hiddenSizes))") }
        if embeddingSize < 1 { found.append("embedding size must be at least 1 (got \(embeddingSize))") }
        if maxEpoch < 0 { found.append("max epoch must not be negative (got \(maxEpoch))") }
        if batchSize < 1 { found.append("batch size must be at least 1 (got \(batchSize))") }
        if vocabularySize < 2 { found.append("vocabulary size must be at least 2 (got \(vocabularySize))") }
        if let missing = precision.unavailableReason { found.append(missing) }
        if found.isEmpty, let floats = estimatedFloats(), floats > Self.memoryLimitFloats {
            found.append(String(format: "this model would need about %.1f GiB of memory (limit %.0f GiB): use smaller sizes", Double(floats) * 4 / 1_073_741_824, Double(Self.memoryLimitFloats) * 4 / 1_073_741_824))
        } else if found.isEmpty, estimatedFloats() == nil {
            found.append("these sizes are too large to allocate")
        }
        return found
    }
}
