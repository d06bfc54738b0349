import Engine
import Foundation
import Tensor
import TestSupport
import Testing

/// Saving and loading a whole model: exact round trips, refusals that leave the
/// model intact, the stored configuration, and Python's `safetensors` as reader.
@Suite("Model checkpoints")
struct CheckpointTests {
    static func config(hiddenSizes: [Int] = [6, 4], seed: UInt64 = 1) -> ModelConfig {
        var config = ModelFixtures.config(hiddenSizes: hiddenSizes, embeddingSize: 5, vocabularySize: 17, batchSize: 3,
                                          numSteps: 4, keepProb: 0.75, forgetBias: 0.25, seed: seed)
        config.learningRate = 0.6
        config.maxEpoch = 7
        return config
    }

    static func bits(_ model: LanguageModel) -> [[UInt32]] {
        model.trainableVariables.map { $0.value.scalars.map(\.bitPattern) }
    }

    @Test("save then load restores every weight bit for bit")
    func roundTrip() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.url.appendingPathComponent("model.safetensors")
        let saved = try ModelFixtures.model(Self.config(seed: 1))
        // Bias values that are not zero, and values whose bits matter.
        saved.stack.cells[0].bias.value.scalars[0] = -0.0
        saved.stack.cells[1].bias.value.scalars[3] = .leastNonzeroMagnitude
        saved.softmaxB.value.scalars[2] = 1e-30
        try saved.save(to: url)

        let loaded = try ModelFixtures.model(Self.config(seed: 2))
        #expect(Self.bits(loaded) != Self.bits(saved))
        try loaded.load(from: url)
        #expect(Self.bits(loaded) == Self.bits(saved))
    }

    @Test("loading into a model of another shape names the variable and changes nothing")
    func shapeMismatch() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.url.appendingPathComponent("model.safetensors")
        try ModelFixtures.model(Self.config(hiddenSizes: [6, 4])).save(to: url)

        // Same embedding, so the first variable would fit: it must still not be replaced.
        let other = try ModelFixtures.model(Self.config(hiddenSizes: [7, 4], seed: 3))
        let before = Self.bits(other)
        let kernel = "rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel:0"
        do {
            try other.load(from: url)
            Issue.record("loading [6, 4] weights into a [7, 4] model succeeded")
        } catch EngineError.checkpointEntryInvalid(let path, let tensor, let detail) {
            #expect(path == url.path)
            #expect(tensor == kernel)
            #expect(detail.contains("[11, 24]") && detail.contains("[12, 28]"), "\(detail)")
        }
        #expect(Self.bits(other) == before)
    }

    @Test("loading a checkpoint without some variable names it and changes nothing")
    func missingVariable() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.url.appendingPathComponent("one-layer.safetensors")
        try ModelFixtures.model(Self.config(hiddenSizes: [6])).save(to: url)
        let twoLayers = try ModelFixtures.model(Self.config(hiddenSizes: [6, 4], seed: 4))
        let before = Self.bits(twoLayers)
        #expect(throws: EngineError.checkpointEntryInvalid(
            path: url.path, tensor: "rnn/multi_rnn_cell/cell_1/basic_lstm_cell/kernel:0", detail: "the checkpoint has no such tensor")) {
            try twoLayers.load(from: url)
        }
        #expect(Self.bits(twoLayers) == before)
    }

    @Test("the configuration is stored with the weights")
    func storedConfig() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.url.appendingPathComponent("model.safetensors")
        let config = Self.config()
        try ModelFixtures.model(config).save(to: url, metadata: ["lesson.epoch": "3"])
        #expect(try LanguageModel.storedConfig(at: url) == config)
        #expect(try SafeTensors.read(from: url).metadata["lesson.epoch"] == "3")

        // A file written without the configuration has none.
        let bare = directory.url.appendingPathComponent("bare.safetensors")
        try SafeTensors.write([("x", Tensor([1, 2]))], to: bare)
        #expect(try LanguageModel.storedConfig(at: bare) == nil)
        #expect(throws: EngineError.self) { try LanguageModel.storedConfig(at: directory.url.appendingPathComponent("none")) }
    }

    private struct PythonTensor: Decodable {
        let dtype: String
        let shape: [Int]
        let bits: [UInt32]
    }

    @Test("Python's safetensors.numpy.load_file reads a saved model: same names, shapes and values")
    func pythonReadsModel() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.url.appendingPathComponent("model.safetensors")
        let model = try ModelFixtures.model(Self.config())
        try model.save(to: url)
        let output = try Python.run("""
            import json, numpy as np
            from safetensors.numpy import load_file
            tensors = load_file(\(PTBReference.literal(url.path)))
            print(json.dumps({name: {"dtype": str(array.dtype), "shape": list(array.shape),
                                     "bits": array.view(np.uint32).ravel().tolist()}
                              for name, array in tensors.items()}))
            """)
        let tensors = try JSONDecoder().decode([String: PythonTensor].self, from: Data(output.utf8))
        #expect(tensors.count == model.trainableVariables.count)
        for variable in model.trainableVariables {
            let name = try #require(variable.name)
            let read = try #require(tensors[name], "Python does not see \(name)")
            #expect(read.dtype == "float32")
            #expect(read.shape == variable.shape, "\(name)")
            #expect(read.bits == variable.value.scalars.map(\.bitPattern), "\(name)")
        }
    }
}
