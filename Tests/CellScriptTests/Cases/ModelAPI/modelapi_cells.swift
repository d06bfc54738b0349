// LSTM cells, stacks, states and the unrolled RNN, and the errors of each.
BasicLSTMCell(units: 0) // expect error: BasicLSTMCell(units:forgetBias:inputSize:initScale:): units: expected at least 1, got 0
// cell
BasicLSTMCell(256) // expect error: incorrect argument label in call to BasicLSTMCell(units:forgetBias:inputSize:initScale:) (have no label, expected 'units:')
// cell
BasicLSTMCell(units: 2).kernel // expect error: this BasicLSTMCell has no kernel yet: it makes its weights on its first call, when it sees the input width (or pass inputSize: when creating it)
// cell
BasicLSTMCell(units: 2, forgetBias: 0.0) // expect: BasicLSTMCell(units: 2, forgetBias: 0.0)
// cell
// Without initScale the kernel is Glorot-uniform: |w| < sqrt(6 / (fan in + fan out)), and it uses most of that range.
let glorot = BasicLSTMCell(units: 8, inputSize: 24)
let glorotBound = (6.0 / Double(32 + 32)).squareRoot()
let glorotLargest = glorot.kernel.scalars.map { abs($0) }.max()!
print(glorotLargest < glorotBound, glorotLargest > 0.9 * glorotBound, glorot.bias.scalars.allSatisfy { $0 == 0 }) // expect: true true true
// cell
let scaled = BasicLSTMCell(units: 8, inputSize: 24, initScale: 0.5)
let scaledLargest = scaled.kernel.scalars.map { abs($0) }.max()!
print(scaledLargest < 0.5, scaledLargest > 0.45) // expect: true true
// cell
BasicLSTMCell(units: 2, initScale: 0.0) // expect error: BasicLSTMCell(units:forgetBias:inputSize:initScale:): initScale: expected a number greater than 0, got 0.0
// cell
MultiRNNCell([]) // expect error: MultiRNNCell(_:): needs at least one cell, got an empty array
// cell
MultiRNNCell([1]) // expect error: MultiRNNCell(_:): cells[0]: expected a BasicLSTMCell, got Int
// cell
let cell = BasicLSTMCell(units: 2, inputSize: 3)
cell(ones(shape: [1, 4]), state: cell.zeroState(batchSize: 1)) // expect error: this BasicLSTMCell(units: 2) was built for inputs of width 3, but got inputs of width 4
// cell
cell(ones(shape: [1, 3]), state: cell.zeroState(batchSize: 2)) // expect error: state[0].c: expected shape [1, 2] (batch, units), got [2, 2]
// cell
cell(ones(shape: [1, 2, 3]), state: cell.zeroState(batchSize: 1)) // expect error: a cell takes one time step, a [batch, width] matrix, got shape [1, 2, 3]; use dynamicRNN for [batch, steps, width] inputs
// cell
dynamicRNN(cell, ones(shape: [1, 3])) // expect error: dynamicRNN(_:_:initialState:): inputs must be [batch, steps, width] (e.g. the embedded ids), got shape [1, 3]
// cell
dynamicRNN(3, ones(shape: [1, 2, 3])) // expect error: dynamicRNN(_:_:initialState:): expected a BasicLSTMCell or MultiRNNCell, got Int
// cell
let stack = MultiRNNCell([BasicLSTMCell(units: 2), BasicLSTMCell(units: 3)])
dynamicRNN(stack, ones(shape: [1, 2, 3]), initialState: cell.zeroState(batchSize: 1)) // expect error: state: expected 2 LSTMStateTuples (one per layer), got 1
// cell
dynamicRNN(stack, ones(shape: [1, 2, 3])).outputs.shape // expect: [1, 2, 3]
// cell
stack.variables.map { $0.shape } // expect: [[5, 8], [8], [5, 12], [12]]
// cell
stack.zeroState(batchSize: 1).1.h // expect: array([[0., 0., 0.]], dtype=float32)
// cell
cell.zeroState(batchSize: 0) // expect error: zeroState(batchSize:): batchSize: expected at least 1, got 0
// cell
LSTMStateTuple(c: zeros(shape: [1, 2]), h: zeros(shape: [1, 3])) // expect error: LSTMStateTuple(c:h:): c and h must be [batch, units] matrices of one shape, got [1, 2] and [1, 3]
// cell
LSTMStateTuple(c: zeros(shape: [1, 2]), h: ones(shape: [1, 2])) // expect: LSTMStateTuple(c=array([[0., 0.]], dtype=float32), h=array([[1., 1.]], dtype=float32))
