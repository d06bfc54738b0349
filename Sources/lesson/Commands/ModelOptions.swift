import ArgumentParser
import Engine

extension Precision: ExpressibleByArgument {}

/// Flags for every hyperparameter; defaults are the tutorial's configuration.
struct ModelOptions: ParsableArguments {
    @Option(help: "Half-width of the uniform initialisation range.")
    var initScale: Float = ModelConfig.tutorial.initScale
    @Option(help: "Learning rate of the first epochs.")
    var learningRate: Float = ModelConfig.tutorial.learningRate
    @Option(help: "Clip gradients to this global norm.")
    var maxGradNorm: Float = ModelConfig.tutorial.maxGradNorm
    @Option(help: "Time steps each batch is unrolled for.")
    var numSteps: Int = ModelConfig.tutorial.numSteps
    @Option(help: "Units of each LSTM layer, bottom first, comma-separated.")
    var hiddenSizes: String = ModelConfig.tutorial.hiddenSizes.map(String.init).joined(separator: ",")
    @Option(help: "Width of the word embedding.")
    var embeddingSize: Int = ModelConfig.tutorial.embeddingSize
    @Option(help: "Epoch (counted from 0) after which the learning rate decays.")
    var maxEpochDecayLr: Int = ModelConfig.tutorial.maxEpochDecayLR
    @Option(name: [.customLong("max-epoch"), .customLong("epochs")], help: "Epochs to train.")
    var maxEpoch: Int = ModelConfig.tutorial.maxEpoch
    @Option(help: "Probability of keeping an activation under dropout (1 = no dropout).")
    var keepProb: Float = ModelConfig.tutorial.keepProb
    @Option(help: "Learning-rate decay per epoch after --max-epoch-decay-lr.")
    var decay: Float = ModelConfig.tutorial.decay
    @Option(help: "Sequences per mini-batch.")
    var batchSize: Int = ModelConfig.tutorial.batchSize
    @Option(help: "Added to the forget gate's pre-activation.")
    var forgetBias: Float = ModelConfig.tutorial.forgetBias
    @Option(help: "Seed of initialisation and dropout.")
    var seed: UInt64 = ModelConfig.tutorial.seed
    @Option(help: "Matrix products in float32 (the tutorial's numbers) or bf16 (bfloat16 inputs, float32 sums; needs AVX512_BF16).")
    var precision: Precision = ModelConfig.tutorial.precision

    /// The configuration these flags describe, with the data's vocabulary size.
    /// - Throws: `ValidationError` naming every bad value.
    func config(vocabularySize: Int) throws -> ModelConfig {
        var config = ModelConfig()
        config.initScale = initScale
        config.learningRate = learningRate
        config.maxGradNorm = maxGradNorm
        config.numSteps = numSteps
        let sizes = hiddenSizes.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !sizes.isEmpty, sizes.allSatisfy({ $0 != nil }) else {
            throw ValidationError("--hidden-sizes takes comma-separated whole numbers, like 256,128 (got \"\(hiddenSizes)\")")
        }
        config.hiddenSizes = sizes.compactMap { $0 }
        config.embeddingSize = embeddingSize
        config.maxEpochDecayLR = maxEpochDecayLr
        config.maxEpoch = maxEpoch
        config.keepProb = keepProb
        config.decay = decay
        config.batchSize = batchSize
        config.forgetBias = forgetBias
        config.seed = seed
        config.precision = precision
        config.vocabularySize = vocabularySize
        let problems = config.problems()
        guard problems.isEmpty else { throw ValidationError(problems.joined(separator: "\n")) }
        return config
    }
}

import Foundation
