import Tensor

// Shape legend: B = batch, D = input width, H = hidden units.

/// The state of one LSTM layer: memory `c` and output `h`, each `[B, H]`.
public struct LSTMStateTuple {
    public var c: Variable
    public var h: Variable

    public init(c: Variable, h: Variable) {
        self.c = c
        self.h = h
    }
}

/// TensorFlow's `BasicLSTMCell`: one kernel `[D + H, 4H]` and one bias `[4H]`,
/// gates laid out as `i, j, f, o` along the last axis.
///
///     i, j, f, o = split(concat([x, h]) @ kernel + bias, 4)
///     c' = c * sigmoid(f + forgetBias) + sigmoid(i) * tanh(j)
///     h' = tanh(c') * sigmoid(o)
public struct BasicLSTMCell {
    /// H.
    public let units: Int
    /// D.
    public let inputSize: Int
    public let forgetBias: Float
    /// `[D + H, 4H]`: rows `0..<D` multiply the input, rows `D..<D+H` the previous output.
    public let kernel: Variable
    /// `[4H]`.
    public let bias: Variable

    /// A cell named as in the tutorial's listing (`rnn/multi_rnn_cell/cell_<layer>/basic_lstm_cell/kernel:0`),
    /// with the kernel uniform in `±initScale` and the bias zero, as TensorFlow's `BasicLSTMCell`
    /// builds it (its bias ignores the scope's initializer).
    public init(units: Int, inputSize: Int, forgetBias: Float, initScale: Float, layer: Int, generator: inout RandomGenerator) {
        precondition(units > 0 && inputSize > 0, "cell sizes must be positive")
        self.units = units
        self.inputSize = inputSize
        self.forgetBias = forgetBias
        let prefix = "rnn/multi_rnn_cell/cell_\(layer)/basic_lstm_cell"
        kernel = Variable(.uniform(shape: [inputSize + units, 4 * units], lower: -initScale, upper: initScale, generator: &generator), name: "\(prefix)/kernel:0")
        bias = Variable(Tensor(zeros: [4 * units]), name: "\(prefix)/bias:0")
    }

    /// A cell over existing parameters (a restored session's), sharing them: an update
    /// through this cell is seen by every holder of `kernel` and `bias`.
    /// - Parameters: `kernel` `[D + H, 4H]`, `bias` `[4H]`, with `D = inputSize`, `H = units`.
    /// - Throws: `TensorError.shapeMismatch` when a parameter's shape does not fit the sizes.
    public init(units: Int, inputSize: Int, forgetBias: Float, kernel: Variable, bias: Variable) throws {
        guard units > 0, inputSize > 0 else { throw TensorError.invalidShape([inputSize, units]) }
        let width = inputSize.addingReportingOverflow(units)
        let gates = units.multipliedReportingOverflow(by: 4)
        guard !width.overflow, !gates.overflow else { throw TensorError.invalidShape([inputSize, units]) }
        guard kernel.shape == [width.partialValue, gates.partialValue] else {
            throw TensorError.shapeMismatch(operation: "BasicLSTMCell kernel", lhs: [width.partialValue, gates.partialValue],
                                            rhs: kernel.shape)
        }
        guard bias.shape == [gates.partialValue] else {
            throw TensorError.shapeMismatch(operation: "BasicLSTMCell bias", lhs: [gates.partialValue], rhs: bias.shape)
        }
        self.units = units
        self.inputSize = inputSize
        self.forgetBias = forgetBias
        self.kernel = kernel
        self.bias = bias
    }

    /// Zeros for `c` and `h`, each `[batchSize, H]`.
    public func zeroState(batchSize: Int) -> LSTMStateTuple {
        LSTMStateTuple(c: Variable(Tensor(zeros: [batchSize, units])), h: Variable(Tensor(zeros: [batchSize, units])))
    }

    /// One step: `input [B, D]` and `state` to the output `h' [B, H]` and the new state.
    /// - Throws: `TensorError` when the input's shape does not fit the cell.
    public func callAsFunction(_ input: Variable, state: LSTMStateTuple) throws -> (output: Variable, state: LSTMStateTuple) {
        guard input.value.rank == 2, input.shape[1] == inputSize else {
            throw TensorError.rankMismatch(operation: "BasicLSTMCell(units: \(units))", expected: "input of shape [batch, \(inputSize)]", got: input.shape)
        }
        let joined = try Variable.concatenate([input, state.h], axis: 1)
        let gates = try Variable.matmul(joined, kernel) + bias
        let parts = try gates.split(parts: 4, axis: 1)
        let (i, j, f, o) = (parts[0], parts[1], parts[2], parts[3])
        let forget = try (f + Variable(forgetBias)).sigmoid()
        let c = try state.c * forget + i.sigmoid() * j.tanh()
        let h = try c.tanh() * o.sigmoid()
        return (h, LSTMStateTuple(c: c, h: h))
    }
}
