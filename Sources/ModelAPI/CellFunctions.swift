import CellScript
import Engine
import Tensor

// Shape legend: B = batch, T = time steps, D = input width, H = a cell's units.

/// Globals for the recurrent part of the lesson: `BasicLSTMCell(units:forgetBias:)`,
/// `MultiRNNCell([...])`, `LSTMStateTuple(c:h:)` and `dynamicRNN(_:_:initialState:)`,
/// plus the conversions between cell values and the engine's states.
enum CellFunctions {
    /// `MultiRNNCell([cell1, cell2])`.
    static func makeStack(_ value: Value) throws -> Value {
        let items = try value.asArray("MultiRNNCell(_:): cells")
        guard !items.isEmpty else { throw ScriptError("MultiRNNCell(_:): needs at least one cell, got an empty array") }
        let cells = try items.enumerated().map { index, item -> BasicLSTMCellObject in
            guard case .object(let object as BasicLSTMCellObject) = item else {
                throw ScriptError("MultiRNNCell(_:): cells[\(index)]: expected a BasicLSTMCell, got \(ModelArguments.describe(item))")
            }
            return object
        }
        return .object(MultiRNNCellObject(cells: cells))
    }

    /// `LSTMStateTuple(c:h:)`: a layer state from two `[B, H]` tensors.
    static func makeState(c cValue: Value, h hValue: Value) throws -> Value {
        let c = try ModelArguments.floatNode(cValue, "LSTMStateTuple(c:h:): c")
        let h = try ModelArguments.floatNode(hValue, "LSTMStateTuple(c:h:): h")
        guard c.value.rank == 2, c.shape == h.shape else {
            throw ScriptError("LSTMStateTuple(c:h:): c and h must be [batch, units] matrices of one shape, "
                              + "got \(c.shape) and \(h.shape)")
        }
        return .object(LSTMStateTupleObject(c: c, h: h))
    }

    static func makeCell(_ values: [Value], state: ModelAPIState) throws -> Value {
        let name = "BasicLSTMCell(units:forgetBias:inputSize:initScale:)"
        let units = try ModelArguments.int(values[0], "\(name): units", atLeast: 1)
        let forgetBias = try ModelArguments.float(values[1], "\(name): forgetBias")
        let initScale = try ModelArguments.optional(values[3]).map { try ModelArguments.positiveFloat($0, "\(name): initScale") }
        guard units <= ModelArguments.maximumUnits else {
            throw ScriptError("\(name): units: expected at most \(ModelArguments.maximumUnits), got \(units)")
        }
        let cell = BasicLSTMCellObject(units: units, forgetBias: forgetBias, initScale: initScale, state: state)
        if let inputSize = ModelArguments.optional(values[2]) {
            let width = try ModelArguments.int(inputSize, "\(name): inputSize", atLeast: 1)
            _ = try cell.built(inputSize: width, layer: 0)
        }
        return .object(cell)
    }

    /// `dynamicRNN(cell, inputs [B, T, D], initialState:)` -> `(outputs [B, T, H_top], state)`.
    /// Without an initial state the RNN starts from zeros.
    static func dynamicRNN(_ values: [Value]) throws -> Value {
        let name = "dynamicRNN(_:_:initialState:)"
        let inputs = try ModelArguments.floatNode(values[1], "\(name): inputs")
        guard inputs.value.rank == 3 else {
            throw ScriptError("\(name): inputs must be [batch, steps, width] (e.g. the embedded ids), got shape \(inputs.shape)")
        }
        let (batch, width) = (inputs.shape[0], inputs.shape[2])
        guard batch >= 1, inputs.shape[1] >= 1, width >= 1 else {
            throw ScriptError("\(name): inputs must have at least one sequence, step and feature, got shape \(inputs.shape)")
        }
        let stack: MultiRNNCell
        let single: Bool
        switch values[0] {
        case .object(let cell as BasicLSTMCellObject):
            stack = MultiRNNCell([try cell.built(inputSize: width, layer: 0)])
            single = true
        case .object(let cell as MultiRNNCellObject):
            stack = try cell.built(inputSize: width)
            single = false
        default:
            throw ScriptError("\(name): expected a BasicLSTMCell or MultiRNNCell, got \(ModelArguments.describe(values[0]))")
        }
        let units = stack.cells.map(\.units)
        let initial: [LSTMStateTuple]
        if let given = ModelArguments.optional(values[2]) {
            initial = try states(given, units: units, batch: batch)
        } else {
            initial = stack.zeroState(batchSize: batch)
        }
        let (outputs, final) = try stack.unroll(inputs, initialState: initial)
        return .tuple([TupleElement(label: "outputs", TensorObject.value(outputs)),
                       TupleElement(label: "state", stateValue(final, single: single))])
    }

    /// Zeros for each layer: one `LSTMStateTuple` for a single cell, a tuple of them for a stack.
    static func zeroState(units: [Int], batchSize: Int, single: Bool) throws -> Value {
        for width in units { try ModelArguments.checkSize([batchSize, width], "zeroState(batchSize:)") }
        let states = units.map { width in
            LSTMStateTuple(c: Variable(Tensor(zeros: [batchSize, width])), h: Variable(Tensor(zeros: [batchSize, width])))
        }
        return stateValue(states, single: single)
    }

    static func stateValue(_ states: [LSTMStateTuple], single: Bool) -> Value {
        let objects = states.map { Value.object(LSTMStateTupleObject($0)) }
        if single, let only = objects.first { return only }
        return .tuple(objects.map { TupleElement($0) })
    }

    /// One time step's input: a float `[B, D]` matrix.
    static func stepInput(_ value: Value) throws -> Variable {
        let input = try ModelArguments.floatNode(value, "cell input")
        guard input.value.rank == 2 else {
            throw ScriptError("a cell takes one time step, a [batch, width] matrix, got shape \(input.shape); "
                              + "use dynamicRNN for [batch, steps, width] inputs")
        }
        guard input.shape[0] >= 1, input.shape[1] >= 1 else {
            throw ScriptError("a cell's input needs at least one row and one feature, got shape \(input.shape)")
        }
        return input
    }

    /// The states of `units.count` layers from an `LSTMStateTuple` or a tuple/array of them,
    /// each checked to be `[batch, units]`.
    static func states(_ value: Value, units: [Int], batch: Int) throws -> [LSTMStateTuple] {
        let items: [Value]
        switch value {
        case .tuple(let elements): items = elements.map(\.value)
        case .array(let elements): items = elements
        default: items = [value]
        }
        guard items.count == units.count else {
            throw ScriptError("state: expected \(units.count) LSTMStateTuple\(units.count == 1 ? "" : "s") (one per layer), "
                              + "got \(items.count)")
        }
        return try zip(items, units).enumerated().map { layer, pair in
            let (item, width) = pair
            guard case .object(let object as LSTMStateTupleObject) = item else {
                throw ScriptError("state[\(layer)]: expected an LSTMStateTuple, got \(ModelArguments.describe(item))")
            }
            for (part, node) in [("c", object.c), ("h", object.h)] where node.shape != [batch, width] {
                throw ScriptError("state[\(layer)].\(part): expected shape [\(batch), \(width)] (batch, units), got \(node.shape)")
            }
            return object.tuple
        }
    }
}
