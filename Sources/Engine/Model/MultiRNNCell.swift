import Tensor

// Shape legend: B = batch, T = time steps, D = input width, H = hidden units.

/// A stack of LSTM cells: each layer's output is the next layer's input.
public struct MultiRNNCell {
    public let cells: [BasicLSTMCell]

    public init(_ cells: [BasicLSTMCell]) {
        precondition(!cells.isEmpty, "a stack needs at least one cell")
        self.cells = cells
    }

    /// One zero state per layer.
    public func zeroState(batchSize: Int) -> [LSTMStateTuple] {
        cells.map { $0.zeroState(batchSize: batchSize) }
    }

    /// One step through every layer: `input [B, D]` -> top output `[B, H_top]`.
    public func callAsFunction(_ input: Variable, state: [LSTMStateTuple]) throws -> (output: Variable, state: [LSTMStateTuple]) {
        guard state.count == cells.count else {
            throw TensorError.shapeMismatch(operation: "MultiRNNCell state (one per layer)", lhs: [cells.count], rhs: [state.count])
        }
        var x = input
        var next: [LSTMStateTuple] = []
        for (cell, layerState) in zip(cells, state) {
            let (h, s) = try cell(x, state: layerState)
            next.append(s)
            x = h
        }
        return (x, next)
    }

    /// The RNN unrolled over time (TensorFlow's `dynamic_rnn`, batch-major):
    /// `inputs [B, T, D]` -> outputs `[B, T, H_top]` and the final state.
    public func unroll(_ inputs: Variable, initialState: [LSTMStateTuple]) throws -> (outputs: Variable, state: [LSTMStateTuple]) {
        guard inputs.value.rank == 3 else {
            throw TensorError.rankMismatch(operation: "dynamicRNN", expected: "inputs of shape [batch, steps, width]", got: inputs.shape)
        }
        let (batch, steps, width) = (inputs.shape[0], inputs.shape[1], inputs.shape[2])
        var state = initialState
        var outputs: [Variable] = []
        for t in 0..<steps {
            let x = try inputs.slice(axis: 1, t..<(t + 1)).reshaped([batch, width])
            let (h, s) = try self(x, state: state)
            state = s
            outputs.append(try h.reshaped([batch, 1, h.shape[1]]))
        }
        return (try Variable.concatenate(outputs, axis: 1), state)
    }
}
