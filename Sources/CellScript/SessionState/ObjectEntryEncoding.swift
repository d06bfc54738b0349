import Engine
import Tensor

/// How each kind of model API object is written into the object table. An entry starts
/// with its `EntryTag`; references to other entries are their table indices (u32).
extension StateEncoder {
    func encodeEntry(_ object: any ScriptObject, global: String) throws(SessionStateError) -> StateWriter {
        var entry = StateWriter()
        switch object {
        case let tensor as TensorObject:
            var refs = StateWriter()
            switch tensor.storage {
            case .float(let node):
                refs.byte(0)
                refs.u32(try reference(node))
            case .int(let ids):
                refs.byte(1)
                try refs.intTensor(ids)
            }
            entry.byte(EntryTag.tensor.rawValue)
            entry.bool(tensor.isVariable)
            entry.bool(tensor.isTrainable)
            entry.append(refs)
        case let iterator as TensorRowIterator:
            let tensor = try reference(iterator.tensor, global: global)
            entry.byte(EntryTag.rowIterator.rawValue)
            entry.u32(tensor)
            entry.int(iterator.position)
        case let batches as BatchIteratorObject:
            entry.byte(EntryTag.batchIterator.rawValue)
            try entry.int32Array(batches.iterator.ids)
            entry.int(batches.iterator.batchSize)
            entry.int(batches.iterator.numSteps)
            entry.int(batches.iterator.position)
        case let config as ModelConfigObject:
            entry.byte(EntryTag.modelConfig.rawValue)
            try Self.write(config.config, into: &entry)
        case let model as ModelObject:
            entry = try encodeModel(model)
        case let optimizer as OptimizerObject:
            entry.byte(EntryTag.optimizer.rawValue)
            entry.float(optimizer.learningRate)
        case let state as LSTMStateTupleObject:
            let (c, h) = (try reference(state.c), try reference(state.h))
            entry.byte(EntryTag.stateTuple.rawValue)
            entry.u32(c)
            entry.u32(h)
        case let cell as BasicLSTMCellObject:
            entry = try encodeCell(cell)
        case let stack as MultiRNNCellObject:
            var cells: [UInt32] = []
            for cell in stack.cells { cells.append(try reference(cell, global: global)) }
            entry.byte(EntryTag.multiCell.rawValue)
            try entry.count(cells.count)
            for cell in cells { entry.u32(cell) }
        default:
            throw .unsupported("global '\(global)' holds a \(object.typeName), which cannot be saved")
        }
        return entry
    }

    /// Config, parameters (embedding, each layer's kernel and bias, softmax weights and
    /// bias), epochs run, and the trainer's dropout generator when the trainer exists.
    private func encodeModel(_ object: ModelObject) throws(SessionStateError) -> StateWriter {
        let model = object.model
        var refs = StateWriter()
        refs.u32(try reference(model.embedding))
        for cell in model.stack.cells {
            refs.u32(try reference(cell.kernel))
            refs.u32(try reference(cell.bias))
        }
        refs.u32(try reference(model.softmaxW))
        refs.u32(try reference(model.softmaxB))
        var entry = StateWriter()
        entry.byte(EntryTag.model.rawValue)
        try Self.write(model.config, into: &entry)
        entry.append(refs)
        entry.int(object.epochsRun)
        entry.bool(object.trainerGenerator != nil)
        if let generator = object.trainerGenerator { entry.generator(generator) }
        return entry
    }

    /// Sizes, the library state it draws from (by index), and its weights once built.
    private func encodeCell(_ cell: BasicLSTMCellObject) throws(SessionStateError) -> StateWriter {
        guard let holder = stateHolders.firstIndex(where: { $0 === cell.state }) else {
            throw .unsupported("a BasicLSTMCell belongs to a model API that is not registered in this session")
        }
        var refs = StateWriter()
        if let built = cell.cell {
            refs.int(built.inputSize)
            refs.u32(try reference(built.kernel))
            refs.u32(try reference(built.bias))
        }
        var entry = StateWriter()
        entry.byte(EntryTag.lstmCell.rawValue)
        entry.int(cell.units)
        entry.float(cell.forgetBias)
        entry.float(cell.initScale)
        entry.u32(UInt32(holder))
        entry.bool(cell.cell != nil)
        entry.append(refs)
        return entry
    }

    /// Every field, in declaration order.
    static func write(_ config: ModelConfig, into writer: inout StateWriter) throws(SessionStateError) {
        for value in [config.initScale, config.learningRate, config.maxGradNorm, config.keepProb, config.decay,
                      config.forgetBias] {
            writer.float(value)
        }
        for value in [config.numSteps, config.embeddingSize, config.maxEpochDecayLR, config.maxEpoch, config.batchSize,
                      config.vocabularySize] {
            writer.int(value)
        }
        try writer.count(config.hiddenSizes.count)
        for units in config.hiddenSizes { writer.int(units) }
        writer.u64(config.seed)
    }
}
