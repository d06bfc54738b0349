import CellScript
import Engine
import Tensor

// How each model API object is saved with a session (for the cell cache): each type writes
// its own entry and reads it back (`ArchivableObject`); `ModelAPI` registers them. References
// to other entries are their table indices (u32). The tags and layouts are the saved-session
// format: never reuse a tag for another layout.

extension TensorObject: ArchivableObject {
    static var archiveTag: UInt8 { 2 }

    func archive(into entry: inout StateWriter, encoder: StateEncoder, global: String) throws(SessionStateError) {
        entry.bool(isVariable)
        entry.bool(isTrainable)
        switch storage {
        case .float(let node):
            entry.byte(0)
            entry.u32(try encoder.reference(node))
        case .int(let ids):
            entry.byte(1)
            try entry.intTensor(ids)
        }
    }

    static func unarchive(from reader: inout StateReader, decoder: StateDecoder,
                          what: String) throws(SessionStateError) -> Self {
        let isVariable = try reader.bool("\(what)'s variable flag")
        let isTrainable = try reader.bool("\(what)'s trainable flag")
        switch try reader.byte("\(what)'s storage") {
        case 0:
            let node = try decoder.variable(&reader, "\(what)'s value")
            return Self(.float(node), isVariable: isVariable, isTrainable: isTrainable)
        case 1:
            let ids = try reader.intTensor("\(what)'s ids")
            return Self(.int(ids), isVariable: isVariable, isTrainable: isTrainable)
        case let other:
            throw .malformed("\(what) has the unknown storage \(other)")
        }
    }
}

extension TensorRowIterator: ArchivableObject {
    static var archiveTag: UInt8 { 3 }

    func archive(into entry: inout StateWriter, encoder: StateEncoder, global: String) throws(SessionStateError) {
        entry.u32(try encoder.reference(tensor, global: global))
        entry.int(position)
    }

    static func unarchive(from reader: inout StateReader, decoder: StateDecoder,
                          what: String) throws(SessionStateError) -> Self {
        let tensor = try decoder.object(&reader, as: TensorObject.self, "\(what)'s tensor")
        let position = try reader.int("\(what)'s position")
        guard let rows = tensor.shape.first, position >= 0, position <= rows else {
            throw .malformed("\(what)'s position \(position) is outside its tensor of shape \(tensor.shape)")
        }
        let iterator = Self(tensor)
        iterator.position = position
        return iterator
    }
}

extension BatchIteratorObject: ArchivableObject {
    static var archiveTag: UInt8 { 4 }

    func archive(into entry: inout StateWriter, encoder: StateEncoder, global: String) throws(SessionStateError) {
        try entry.int32Array(iterator.ids)
        entry.int(iterator.batchSize)
        entry.int(iterator.numSteps)
        entry.int(iterator.position)
    }

    static func unarchive(from reader: inout StateReader, decoder: StateDecoder,
                          what: String) throws(SessionStateError) -> Self {
        let ids = try reader.int32Array("\(what)'s ids")
        let batchSize = try reader.int("\(what)'s batch size")
        let numSteps = try reader.int("\(what)'s step count")
        let position = try reader.int("\(what)'s position")
        do {
            var iterator = try BatchIterator(ids: ids, batchSize: batchSize, numSteps: numSteps)
            try iterator.seek(to: position)
            return Self(iterator)
        } catch {
            throw .malformed("\(what) is not a valid batch iterator: \(error)")
        }
    }
}

extension ModelConfigObject: ArchivableObject {
    static var archiveTag: UInt8 { 5 }

    func archive(into entry: inout StateWriter, encoder: StateEncoder, global: String) throws(SessionStateError) {
        try config.archive(into: &entry)
    }

    static func unarchive(from reader: inout StateReader, decoder: StateDecoder,
                          what: String) throws(SessionStateError) -> Self {
        Self(try ModelConfig.unarchive(from: &reader, what: what))
    }
}

extension ModelObject: ArchivableObject {
    static var archiveTag: UInt8 { 6 }

    /// Config, parameters (embedding, each layer's kernel and bias, softmax weights and
    /// bias), epochs run, and the trainer's dropout generator when the trainer exists.
    func archive(into entry: inout StateWriter, encoder: StateEncoder, global: String) throws(SessionStateError) {
        try model.config.archive(into: &entry)
        entry.u32(try encoder.reference(model.embedding))
        for cell in model.stack.cells {
            entry.u32(try encoder.reference(cell.kernel))
            entry.u32(try encoder.reference(cell.bias))
        }
        entry.u32(try encoder.reference(model.softmaxW))
        entry.u32(try encoder.reference(model.softmaxB))
        entry.int(epochsRun)
        entry.bool(trainerGenerator != nil)
        if let trainerGenerator { entry.generator(trainerGenerator) }
    }

    static func unarchive(from reader: inout StateReader, decoder: StateDecoder,
                          what: String) throws(SessionStateError) -> Self {
        let config = try ModelConfig.unarchive(from: &reader, what: what)
        let embedding = try decoder.variable(&reader, "\(what)'s embedding")
        var parameters: [(kernel: Variable, bias: Variable)] = []
        for layer in config.hiddenSizes.indices {
            let kernel = try decoder.variable(&reader, "\(what)'s layer \(layer) kernel")
            parameters.append((kernel, try decoder.variable(&reader, "\(what)'s layer \(layer) bias")))
        }
        let softmaxW = try decoder.variable(&reader, "\(what)'s softmax weights")
        let softmaxB = try decoder.variable(&reader, "\(what)'s softmax bias")
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
        let object = Self(model)
        object.epochsRun = epochsRun
        if let generator { object.restoreTrainer(generator: generator) }
        return object
    }
}

extension OptimizerObject: ArchivableObject {
    static var archiveTag: UInt8 { 7 }

    func archive(into entry: inout StateWriter, encoder: StateEncoder, global: String) throws(SessionStateError) {
        entry.float(learningRate)
    }

    static func unarchive(from reader: inout StateReader, decoder: StateDecoder,
                          what: String) throws(SessionStateError) -> Self {
        let rate = try reader.float("\(what)'s learning rate")
        guard rate > 0, rate.isFinite else { throw .malformed("\(what)'s learning rate \(rate) is not positive") }
        return Self(learningRate: rate)
    }
}

extension TensorObject: HistoryHoldingObject {
    func forgetHistory() {
        if case .float(let node) = storage { node.forgetHistory() }
    }
}

extension LSTMStateTupleObject: HistoryHoldingObject {
    func forgetHistory() {
        c.forgetHistory()
        h.forgetHistory()
    }
}

extension LSTMStateTupleObject: ArchivableObject {
    static var archiveTag: UInt8 { 8 }

    func archive(into entry: inout StateWriter, encoder: StateEncoder, global: String) throws(SessionStateError) {
        let (c, h) = (try encoder.reference(self.c), try encoder.reference(self.h))
        entry.u32(c)
        entry.u32(h)
    }

    static func unarchive(from reader: inout StateReader, decoder: StateDecoder,
                          what: String) throws(SessionStateError) -> Self {
        let c = try decoder.variable(&reader, "\(what)'s c")
        let h = try decoder.variable(&reader, "\(what)'s h")
        return Self(c: c, h: h)
    }
}

extension BasicLSTMCellObject: ArchivableObject {
    static var archiveTag: UInt8 { 9 }

    /// Sizes, the library state it draws from (by index), and its weights once built.
    func archive(into entry: inout StateWriter, encoder: StateEncoder, global: String) throws(SessionStateError) {
        guard let holder = encoder.stateHolders.firstIndex(where: { $0 === state }) else {
            throw .unsupported("a BasicLSTMCell belongs to a model API that is not registered in this session")
        }
        entry.int(units)
        entry.float(forgetBias)
        entry.float(initScale ?? 0)  // 0: Glorot-uniform
        entry.u32(UInt32(holder))
        entry.bool(cell != nil)
        if let built = cell {
            entry.int(built.inputSize)
            entry.u32(try encoder.reference(built.kernel))
            entry.u32(try encoder.reference(built.bias))
        }
    }

    static func unarchive(from reader: inout StateReader, decoder: StateDecoder,
                          what: String) throws(SessionStateError) -> Self {
        let units = try reader.int("\(what)'s units")
        let forgetBias = try reader.float("\(what)'s forget bias")
        let initScale = try reader.float("\(what)'s init scale")
        let holder = Int(try reader.u32("\(what)'s library"))
        guard units >= 1, units <= ModelArguments.maximumUnits, forgetBias.isFinite, initScale >= 0, initScale.isFinite else {
            throw .malformed("\(what) is a BasicLSTMCell with impossible sizes")
        }
        guard holder < decoder.stateHolders.count, let state = decoder.stateHolders[holder] as? ModelAPIState else {
            throw .malformed("\(what) belongs to library state \(holder), which is not a model API here")
        }
        let object = Self(units: units, forgetBias: forgetBias, initScale: initScale > 0 ? initScale : nil, state: state)
        if try reader.bool("whether \(what) is built") {
            let inputSize = try reader.int("\(what)'s input size")
            let kernel = try decoder.variable(&reader, "\(what)'s kernel")
            let bias = try decoder.variable(&reader, "\(what)'s bias")
            do {
                object.restore(try BasicLSTMCell(units: units, inputSize: inputSize, forgetBias: forgetBias,
                                                 kernel: kernel, bias: bias))
            } catch {
                throw .malformed("\(what)'s weights do not fit its sizes: \(error)")
            }
        }
        return object
    }
}

extension MultiRNNCellObject: ArchivableObject {
    static var archiveTag: UInt8 { 10 }

    func archive(into entry: inout StateWriter, encoder: StateEncoder, global: String) throws(SessionStateError) {
        var references: [UInt32] = []
        for cell in cells { references.append(try encoder.reference(cell, global: global)) }
        try entry.count(references.count)
        for reference in references { entry.u32(reference) }
    }

    static func unarchive(from reader: inout StateReader, decoder: StateDecoder,
                          what: String) throws(SessionStateError) -> Self {
        let count = try reader.count("\(what)'s cells", minimumSize: 4)
        var cells: [BasicLSTMCellObject] = []
        for _ in 0..<count { cells.append(try decoder.object(&reader, as: BasicLSTMCellObject.self, "a cell of \(what)")) }
        guard !cells.isEmpty else { throw .malformed("\(what) is a MultiRNNCell without cells") }
        return Self(cells: cells)
    }
}

extension ModelConfig {
    /// Every field, in declaration order.
    func archive(into writer: inout StateWriter) throws(SessionStateError) {
        for value in [initScale, learningRate, maxGradNorm, keepProb, decay, forgetBias] {
            writer.float(value)
        }
        for value in [numSteps, embeddingSize, maxEpochDecayLR, maxEpoch, batchSize, vocabularySize] {
            writer.int(value)
        }
        try writer.count(hiddenSizes.count)
        for units in hiddenSizes { writer.int(units) }
        writer.u64(seed)
        try writer.string(precision.rawValue)
    }

    /// A configuration, refused unless `ModelConfig.problems()` finds none.
    static func unarchive(from reader: inout StateReader, what: String) throws(SessionStateError) -> ModelConfig {
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
        let precision = try reader.string("\(what)'s precision")
        guard let known = Precision(rawValue: precision) else { throw .malformed("\(what) has the unknown precision '\(precision)'") }
        config.precision = known
        let problems = config.problems()
        guard problems.isEmpty else { throw .malformed("\(what)'s configuration: " + problems.joined(separator: "; ")) }
        return config
    }
}
