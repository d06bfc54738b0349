import Foundation
import Tensor

/// Saving and loading a model's weights as a safetensors file: one tensor per
/// trainable variable under its tutorial name, the configuration as JSON metadata.
/// numpy and PyTorch users can open the file with `safetensors.numpy.load_file`.
extension LanguageModel {
    static let configKey = "lesson.config"

    /// Writes every trainable variable to `url` (atomically: a failure leaves any old file intact).
    /// - Throws: `EngineError.fileUnwritable` and the checkpoint errors of `SafeTensors.write`.
    public func save(to url: URL, metadata extra: [String: String] = [:]) throws {
        var metadata = extra
        if let json = try? JSONEncoder().encode(config), let text = String(data: json, encoding: .utf8) {
            metadata[Self.configKey] = text
        }
        let tensors = trainableVariables.map { (name: $0.name ?? "unnamed", tensor: $0.value) }
        try SafeTensors.write(tensors, metadata: metadata, to: url)
    }

    /// Replaces this model's weights with those stored at `url`.
    /// Nothing changes unless every variable is present with the right shape.
    /// - Throws: the checkpoint errors of `SafeTensors.read`, or `EngineError.checkpointEntryInvalid`
    ///   naming a variable that is missing or has another shape.
    public func load(from url: URL) throws {
        let contents = try SafeTensors.read(from: url)
        var values: [Tensor] = []
        for variable in trainableVariables {
            let name = variable.name ?? "unnamed"
            guard let tensor = contents.tensors[name] else {
                throw EngineError.checkpointEntryInvalid(path: url.path, tensor: name, detail: "the checkpoint has no such tensor")
            }
            guard tensor.shape == variable.shape else {
                throw EngineError.checkpointEntryInvalid(path: url.path, tensor: name, detail: "shape \(tensor.shape) does not match the model's \(variable.shape)")
            }
            values.append(tensor)
        }
        for (variable, value) in zip(trainableVariables, values) { variable.value = value }
    }

    /// The configuration stored in a checkpoint by `save`, if any.
    public static func storedConfig(at url: URL) throws -> ModelConfig? {
        let contents = try SafeTensors.read(from: url)
        guard let text = contents.metadata[configKey], let data = text.data(using: .utf8) else { return nil }
        return try? JSONDecoder().decode(ModelConfig.self, from: data)
    }
}
