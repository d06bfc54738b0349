import CellScript
import Engine
import Tensor

// Shape legend: B = batch, T = time steps, D = input width, H = a cell's units.

/// The state of one LSTM layer, displayed as TensorFlow's namedtuple:
/// `LSTMStateTuple(c=array(...), h=array(...))`.
final class LSTMStateTupleObject: ScriptObject {
    let c: Variable
    let h: Variable

    init(c: Variable, h: Variable) {
        self.c = c
        self.h = h
    }

    convenience init(_ state: LSTMStateTuple) {
        self.init(c: state.c, h: state.h)
    }

    var tuple: LSTMStateTuple { LSTMStateTuple(c: c, h: h) }
    var typeName: String { "LSTMStateTuple" }
    var description: String { "LSTMStateTuple(c=\(Self.show(c)), h=\(Self.show(h)))" }

    private static func show(_ node: Variable) -> String {
        node.value.rank == 0 ? node.value.numpyString : node.value.description
    }

    func member(_ name: String) throws -> Value? {
        switch name {
        case "c", "0": return TensorObject.value(c)
        case "h", "1": return TensorObject.value(h)
        case "description": return .string(description)
        default: return nil
        }
    }

    func subscripted(by arguments: Arguments) throws -> Value? {
        guard arguments.count == 1, case .int(let index) = arguments.values[0], arguments.labels[0] == nil else {
            throw ScriptError("an LSTMStateTuple subscript takes one index, 0 (c) or 1 (h)")
        }
        switch index {
        case 0: return TensorObject.value(c)
        case 1: return TensorObject.value(h)
        default: throw ScriptError("index \(index) is out of range for an LSTMStateTuple (0 is c, 1 is h)")
        }
    }
}

/// TensorFlow's `BasicLSTMCell(units, forget_bias)`. Like TensorFlow, it makes its
/// kernel `[D + H, 4H]` and bias `[4H]` on its first call, when it sees the input
/// width D, unless `inputSize:` gives D up front. The kernel is uniform in `±initScale`
/// when one is given, else Glorot-uniform (`±sqrt(6 / (D + H + 4H))`, what TensorFlow's
/// `get_variable` uses with no initializer in scope); the bias is zero either way.
final class BasicLSTMCellObject: ScriptObject {
    let units: Int
    let forgetBias: Float
    /// nil: Glorot-uniform.
    let initScale: Float?
    private(set) var cell: BasicLSTMCell?
    let state: ModelAPIState

    init(units: Int, forgetBias: Float, initScale: Float?, state: ModelAPIState) {
        self.units = units
        self.forgetBias = forgetBias
        self.initScale = initScale
        self.state = state
    }

    var typeName: String { "BasicLSTMCell" }

    var description: String {
        let input = cell.map { ", inputSize: \($0.inputSize)" } ?? ""
        return "BasicLSTMCell(units: \(units), forgetBias: \(ModelArguments.double(forgetBias))\(input))"
    }

    /// Takes `built` as the cell's weights (a restored session's).
    func restore(_ built: BasicLSTMCell) {
        cell = built
    }

    /// The built cell, building it for inputs of width `inputSize` as layer `layer`.
    func built(inputSize: Int, layer: Int) throws -> BasicLSTMCell {
        if let cell {
            guard cell.inputSize == inputSize else {
                throw ScriptError("this BasicLSTMCell(units: \(units)) was built for inputs of width \(cell.inputSize), "
                                  + "but got inputs of width \(inputSize)")
            }
            return cell
        }
        try ModelArguments.checkSize([inputSize, 4 * units], "BasicLSTMCell(units: \(units)) kernel")
        try ModelArguments.checkSize([inputSize + units, 4 * units], "BasicLSTMCell(units: \(units)) kernel")
        let bound = initScale ?? (6 / Float(inputSize + units + 4 * units)).squareRoot()
        let made = BasicLSTMCell(units: units, inputSize: inputSize, forgetBias: forgetBias, initScale: bound,
                                 layer: layer, generator: &state.generator)
        state.register(made.kernel)
        state.register(made.bias)
        cell = made
        return made
    }

    func member(_ name: String) throws -> Value? {
        switch name {
        case "units", "outputSize": return .int(units)
        case "forgetBias": return .double(ModelArguments.double(forgetBias))
        case "inputSize": return .optional(cell.map { Value.int($0.inputSize) })
        case "description": return .string(description)
        case "kernel", "bias":
            guard let cell else {
                throw ScriptError("this BasicLSTMCell has no \(name) yet: it makes its weights on its first call, when "
                                  + "it sees the input width (or pass inputSize: when creating it)")
            }
            return TensorCreation.variableValue(name == "kernel" ? cell.kernel : cell.bias)
        case "variables", "trainableVariables":
            return .array(cell.map { [$0.kernel, $0.bias].map(TensorCreation.variableValue) } ?? [])
        case "zeroState":
            return ModelArguments.function("zeroState", ["batchSize"]) { [self] values, _ in
                let batch = try ModelArguments.int(values[0], "zeroState(batchSize:): batchSize", atLeast: 1)
                return try CellFunctions.zeroState(units: [units], batchSize: batch, single: true)
            }
        case "callAsFunction":
            return ModelArguments.function("BasicLSTMCell", ["_", "state"]) { [self] values, _ in
                let input = try CellFunctions.stepInput(values[0])
                let lstm = try built(inputSize: input.shape[1], layer: 0)
                let previous = try CellFunctions.states(values[1], units: [units], batch: input.shape[0])
                let (output, next) = try lstm(input, state: previous[0])
                return .tuple([TupleElement(label: "output", TensorObject.value(output)),
                               TupleElement(label: "state", .object(LSTMStateTupleObject(next)))])
            }
        default:
            return nil
        }
    }
}

/// TensorFlow's `MultiRNNCell([cell1, cell2])`: each layer's output feeds the next.
final class MultiRNNCellObject: ScriptObject {
    let cells: [BasicLSTMCellObject]

    init(cells: [BasicLSTMCellObject]) {
        self.cells = cells
    }

    var typeName: String { "MultiRNNCell" }
    var description: String { "MultiRNNCell([" + cells.map(\.description).joined(separator: ", ") + "])" }

    /// The engine's stack, building each layer for the width below it.
    func built(inputSize: Int) throws -> MultiRNNCell {
        var width = inputSize
        var built: [BasicLSTMCell] = []
        for (layer, cell) in cells.enumerated() {
            built.append(try cell.built(inputSize: width, layer: layer))
            width = cell.units
        }
        return MultiRNNCell(built)
    }

    func member(_ name: String) throws -> Value? {
        switch name {
        case "cells": return .array(cells.map { .object($0) })
        case "outputSize": return .int(cells.last?.units ?? 0)
        case "description": return .string(description)
        case "variables", "trainableVariables":
            return .array(cells.flatMap { cell in cell.cell.map { [$0.kernel, $0.bias] } ?? [] }
                .map(TensorCreation.variableValue))
        case "zeroState":
            return ModelArguments.function("zeroState", ["batchSize"]) { [self] values, _ in
                let batch = try ModelArguments.int(values[0], "zeroState(batchSize:): batchSize", atLeast: 1)
                return try CellFunctions.zeroState(units: cells.map(\.units), batchSize: batch, single: false)
            }
        case "callAsFunction":
            return ModelArguments.function("MultiRNNCell", ["_", "state"]) { [self] values, _ in
                let input = try CellFunctions.stepInput(values[0])
                let stack = try built(inputSize: input.shape[1])
                let previous = try CellFunctions.states(values[1], units: cells.map(\.units), batch: input.shape[0])
                let (output, next) = try stack(input, state: previous)
                return .tuple([TupleElement(label: "output", TensorObject.value(output)),
                               TupleElement(label: "state", CellFunctions.stateValue(next, single: false))])
            }
        default:
            return nil
        }
    }
}

extension LSTMStateTupleObject: StatefulObject {
    func saveState() -> () -> Void {
        let (savedC, savedH) = (c.value, h.value)
        return { [self] in
            c.value = savedC
            h.value = savedH
        }
    }
}

extension BasicLSTMCellObject: StatefulObject {
    /// Whether the cell has built its weights yet, and their values.
    func saveState() -> () -> Void {
        let built = cell
        let values = built.map { [$0.kernel.value, $0.bias.value] }
        return { [self] in
            cell = built
            if let built, let values {
                built.kernel.value = values[0]
                built.bias.value = values[1]
            }
        }
    }
}

extension MultiRNNCellObject: StatefulObject {
    func saveState() -> () -> Void {
        let restorers = cells.map { $0.saveState() }
        return { for restore in restorers { restore() } }
    }
}
