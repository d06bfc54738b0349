import Engine
import Tensor

/// Reads back the entries `ObjectEntryEncoding.swift` writes, rebuilding the engine objects
/// over the variables already read, so shared parameters stay shared.
extension StateDecoder {
    func decodeEntry(_ tag: EntryTag, _ reader: inout StateReader, index: Int) throws(SessionStateError) -> Node {
        let what = "object \(index)"
        switch tag {
        case .variable:
            let name = try reader.optionalString("the name of \(what)")
            return .variable(Variable(try reader.tensor("the value of \(what)"), name: name))
        case .tensor:
            let isVariable = try reader.bool("\(what)'s variable flag")
            let isTrainable = try reader.bool("\(what)'s trainable flag")
            switch try reader.byte("\(what)'s storage") {
            case 0:
                let node = try variable(&reader, "\(what)'s value")
                return .object(TensorObject(.float(node), isVariable: isVariable, isTrainable: isTrainable))
            case 1:
                let ids = try reader.intTensor("\(what)'s ids")
                return .object(TensorObject(.int(ids), isVariable: isVariable, isTrainable: isTrainable))
            case let other:
                throw .malformed("\(what) has the unknown storage \(other)")
            }
        case .rowIterator:
            let tensor = try object(&reader, as: TensorObject.self, "\(what)'s tensor")
            let position = try reader.int("\(what)'s position")
            guard let rows = tensor.shape.first, position >= 0, position <= rows else {
                throw .malformed("\(what)'s position \(position) is outside its tensor of shape \(tensor.shape)")
            }
            let iterator = TensorRowIterator(tensor)
            iterator.position = position
            return .object(iterator)
        case .batchIterator:
            let ids = try reader.int32Array("\(what)'s ids")
            let batchSize = try reader.int("\(what)'s batch size")
            let numSteps = try reader.int("\(what)'s step count")
            let position = try reader.int("\(what)'s position")
            do {
                var iterator = try BatchIterator(ids: ids, batchSize: batchSize, numSteps: numSteps)
                try iterator.seek(to: position)
                return .object(BatchIteratorObject(iterator))
            } catch {
                throw .malformed("\(what) is not a valid batch iterator: \(error)")
            }
        case .modelConfig:
            return .object(ModelConfigObject(try Self.readConfig(&reader, what)))
        case .model:
            return .object(try decodeModel(&reader, what))
        case .optimizer:
            let rate = try reader.float("\(what)'s learning rate")
            guard rate > 0, rate.isFinite else { throw .malformed("\(what)'s learning rate \(rate) is not positive") }
            return .object(OptimizerObject(learningRate: rate))
        case .stateTuple:
            let c = try variable(&reader, "\(what)'s c")
            let h = try variable(&reader, "\(what)'s h")
            return .object(LSTMStateTupleObject(c: c, h: h))
        case .lstmCell:
            return .object(try decodeCell(&reader, what))
        case .multiCell:
            let count = try reader.count("\(what)'s cells", minimumSize: 4)
            var cells: [BasicLSTMCellObject] = []
            for _ in 0..<count { cells.append(try object(&reader, as: BasicLSTMCellObject.self, "a cell of \(what)")) }
            guard !cells.isEmpty else { throw .malformed("\(what) is a MultiRNNCell without cells") }
            return .object(MultiRNNCellObject(cells: cells))
        }
    }

    private func decodeModel(_ reader: inout StateReader, _ what: String) throws(SessionStateError) -> ModelObject {
        let config = try Self.readConfig(&reader, what)
        let embedding = try variable(&reader, "\(what)'s embedding")
        var parameters: [(kernel: Variable, bias: Variable)] = []
        for layer in config.hiddenSizes.indices {
            let kernel = try variable(&reader, "\(what)'s layer \(layer) kernel")
            parameters.append((kernel, try variable(&reader, "\(what)'s layer \(layer) bias")))
        }
        let softmaxW = try variable(&reader, "\(what)'s softmax weights")
        let softmaxB = try variable(&reader, "\(what)'s softmax bias")
        let epochsRun = try reader.int("\(what)'s epoch count")
        let generator = try reader.bool("whether \(what) has a trainer") ? try reader.generator("\(what)'s trainer") : nil
        guard epochsRun >= 0 else { throw .malformed("\(what) has run \(epochsRun) epochs") }
        let model: LanguageModel
        do {
            var cells: [BasicLSTMCell] = []
            var width = config.embeddingSize
            for (units, layer) in zip(config.hiddenSizes, parameters) {
                cells.append(try BasicLSTMCell(units: units, inputSize: width, forgetBias: config.forgetBias,
                                               kernel: layer.kernel, bias: layer.bias))
                width = units
            }
            model = try LanguageModel(config: config, embedding: embedding, cells: cells, softmaxW: softmaxW, softmaxB: softmaxB)
        } catch {
            throw .malformed("\(what)'s parameters do not fit its configuration: \(error)")
        }
        let object = ModelObject(model)
        object.epochsRun = epochsRun
        if let generator { object.restoreTrainer(generator: generator) }
        return object
    }

    private func decodeCell(_ reader: inout StateReader, _ what: String) throws(SessionStateError) -> BasicLSTMCellObject {
        let units = try reader.int("\(what)'s units")
        let forgetBias = try reader.float("\(what)'s forget bias")
        let initScale = try reader.float("\(what)'s init scale")
        let holder = Int(try reader.u32("\(what)'s library"))
        guard units >= 1, units <= ModelArguments.maximumUnits, forgetBias.isFinite, initScale > 0, initScale.isFinite else {
            throw .malformed("\(what) is a BasicLSTMCell with impossible sizes")
        }
        guard holder < stateHolders.count, let state = stateHolders[holder] as? ModelAPIState else {
            throw .malformed("\(what) belongs to library state \(holder), which is not a model API here")
        }
        let object = BasicLSTMCellObject(units: units, forgetBias: forgetBias, initScale: initScale, state: state)
        if try reader.bool("whether \(what) is built") {
            let inputSize = try reader.int("\(what)'s input size")
            let kernel = try variable(&reader, "\(what)'s kernel")
            let bias = try variable(&reader, "\(what)'s bias")
            do {
                object.restore(try BasicLSTMCell(units: units, inputSize: inputSize, forgetBias: forgetBias,
                                                 kernel: kernel, bias: bias))
            } catch {
                throw .malformed("\(what)'s weights do not fit its sizes: \(error)")
            }
        }
        return object
    }

    /// A configuration, refused unless `ModelConfig.problems()` finds none.
    static func readConfig(_ reader: inout StateReader, _ what: String) throws(SessionStateError) -> ModelConfig {
        var config = ModelConfig()
        config.initScale = try reader.float("\(what)'s init scale")
        config.learningRate = try reader.float("\(what)'s learning rate")
        config.maxGradNorm = try reader.float("\(what)'s max grad norm")
        config.keepProb = try reader.float("\(what)'s keep prob")
        config.decay = try reader.float("\(what)'s decay")
        config.forgetBias = try reader.float("\(what)'s forget bias")
        config.numSteps = try reader.int("\(what)'s step count")
        config.embeddingSize = try reader.int("\(what)'s embedding size")
        config.maxEpochDecayLR = try reader.int("\(what)'s decay epoch")
        config.maxEpoch = try reader.int("\(what)'s epoch count")
        config.batchSize = try reader.int("\(what)'s batch size")
        config.vocabularySize = try reader.int("\(what)'s vocabulary size")
        let layers = try reader.count("\(what)'s hidden sizes", minimumSize: 8)
        var hiddenSizes: [Int] = []
        for _ in 0..<layers { hiddenSizes.append(try reader.int("\(what)'s hidden size")) }
        config.hiddenSizes = hiddenSizes
        config.seed = try reader.u64("\(what)'s seed")
        let problems = config.problems()
        guard problems.isEmpty else { throw .malformed("\(what)'s configuration: " + problems.joined(separator: "; ")) }
        return config
    }
}
