// The argument errors of the remaining functions and methods.
softmax("x") // expect error: softmax(_:): expected a float32 Tensor or a number, got String
// cell
softmax(3) // expect error: softmax expects at least one non-empty axis, got a tensor of shape []
// cell
reduceSum("x") // expect error: reduceSum(_:axis:): expected a float32 Tensor or a number, got String
// cell
reduceSum(Tensor([1.0, 2.0]), axis: 1) // expect error: reduceSum(_:axis:): axis 1 is out of range for a tensor of rank 1
// cell
Tensor([1.0, 2.0]).mean(axis: -2) // expect error: mean(axis:): axis -2 is out of range for a tensor of rank 1
// cell
Variable(1.0, name: "") // expect error: Variable(_:name:trainable:): name must not be empty
// cell
Variable(1.0, trainable: 1) // expect error: Variable(_:name:trainable:): trainable: expected Bool, got Int
// cell
getVariable("w", shape: [2, -2]) // expect error: getVariable(_:shape:initScale:): shape: extents must not be negative, got -2 in [2, -2]
// cell
getVariable("w", shape: [2], initScale: 0) // expect error: getVariable(_:shape:initScale:): initScale: expected a number greater than 0, got 0
// cell
getVariable(3, shape: [2]) // expect error: getVariable(_:shape:initScale:): name: expected String, got Int
// cell
getVariable("w", shape: [2, 3]) // expect: <Variable 'w:0' shape=(2, 3) dtype=float32>
// cell
constant("a") // expect error: constant(_:): expected numbers or arrays of numbers, got String
// cell
constant(1, shape: [-1]) // expect error: constant(_:shape:): shape: extents must not be negative, got -1 in [-1]
// cell
ones(shape: "x") // expect error: ones(shape:): shape: expected Array, got String
// cell
trainableVariables(1) // expect error: extra argument in call to trainableVariables()
// cell
setRandomSeed(-1) // expect error: setRandomSeed(_:): expected at least 0, got -1
// cell
randomUniform(shape: [2], seed: -3) // expect error: randomUniform(shape:minval:maxval:seed:): seed: expected at least 0, got -3
// cell
idToWord("x", vocabulary: ["a"]) // expect error: idToWord(_:vocabulary:): ids: expected int32 word ids (a Tensor of ids or [Int]), got String
// cell
idToWord([0], vocabulary: [1]) // expect error: idToWord(_:vocabulary:): vocabulary[0]: expected String, got Int
// cell
embeddingLookup(Tensor([1.0, 2.0]), [0]) // expect error: embeddingLookup(_:_:): the embedding must be a [vocabulary, width] matrix, got shape [2]
// cell
sequenceLoss(zeros(shape: [1, 2, 4]), IntTensor([[0, 3]]), weights: ones(shape: [1, 3])) // expect error: sequenceLoss(_:_:weights:averageAcrossTimesteps:averageAcrossBatch:): weights must have the targets' shape [1, 2], got [1, 3]
// cell
sequenceLoss(zeros(shape: [2, 4]), IntTensor([0, 3]), averageAcrossTimesteps: true) // expect error: sequenceLoss(_:_:weights:averageAcrossTimesteps:averageAcrossBatch:): the averaging options apply to [batch, steps, vocabulary] logits; [rows, vocabulary] logits give one loss per row
// cell
sequenceLoss(zeros(shape: [1, 2, 4]), IntTensor([[0, 3]]), weights: Tensor([[1.0, 0.0]]), averageAcrossBatch: false).shape // expect: [1, 2]
// cell
clipByGlobalNorm([Tensor([3.0, 4.0])], clipNorm: 1).globalNorm // expect: 5.0
// cell
clipByGlobalNorm([Tensor([3.0, 4.0])], clipNorm: 1).gradients[0] // expect: array([0.6, 0.8], dtype=float32)
// cell
clipByGlobalNorm(Tensor([3.0, 4.0]), clipNorm: 1) // expect error: clipByGlobalNorm(_:clipNorm:): gradients: expected Array, got Tensor
// cell
let model = LanguageModel(config: ModelConfig(numSteps: 2, hiddenSizes: [4], embeddingSize: 3, batchSize: 1, vocabularySize: 5))
// cell
LanguageModel(ModelConfig()) // expect error: extra argument in call to LanguageModel(config:)
// cell
train(model, data: ([1, 2, 3, 4, 0], [1, 2, 3, 4, 0], [1, 2, 3, 4, 0]), epochs: -1) // expect error: train(_:data:epochs:verbose:): epochs: expected at least 0, got -1
// cell
perplexity(model, "x") // expect error: perplexity(_:_:): data: expected int32 word ids (a Tensor of ids or [Int]), got String
// cell
model.forward(x: [[1, 2]], y: [[2, 3]]).logits.shape // expect: [2, 5]
// cell
model.forward(x: [[1, 2]], y: [[2]]) // expect error: forward(x:y:state:): x and y must be [batch, steps] ids of one shape, got [1, 2] and [1, 1]
// cell
model.forward(x: [[1, 7]], y: [[2, 3]]) // expect error: forward(x:y:state:): id 7 is outside the model's vocabulary of 5 words
// cell
model.forward(x: [[1, 2]], y: [[2, 3]], state: model.zeroState(batchSize: 2)) // expect error: state[0].c: expected shape [1, 4] (batch, units), got [2, 4]
// cell
model.config.learningRateForEpoch(0) // expect error: learningRateForEpoch(_:): epoch: expected at least 1, got 0
// cell
model.zeroState(batchSize: 2).0.c.shape // expect: [2, 4]
// cell
model.embedding // expect: <Variable 'embedding_vocab:0' shape=(5, 3) dtype=float32>
// cell
BasicLSTMCell(units: Int.max) // expect error: BasicLSTMCell(units:forgetBias:inputSize:initScale:): units: expected at most 100000, got 9223372036854775807
// cell
let lazy = BasicLSTMCell(units: 2)
lazy(zeros(shape: [1, 0]), state: lazy.zeroState(batchSize: 1)) // expect error: a cell's input needs at least one row and one feature, got shape [1, 0]
// cell
dynamicRNN(lazy, zeros(shape: [1, 0, 3])) // expect error: dynamicRNN(_:_:initialState:): inputs must have at least one sequence, step and feature, got shape [1, 0, 3]
// cell
lazy.zeroState(batchSize: Int.max) // expect error: zeroState(batchSize:): a tensor of shape [9223372036854775807, 2] is too large; the limit is 100000000 values
// cell
Tensor([1.0, 2.0]).reshape([Int.max, 2]) // expect error: reshape(_:): shape: a tensor of shape [9223372036854775807, 2] is too large; the limit is 100000000 values
// cell
matmul(zeros(shape: [2, 0]), zeros(shape: [0, 3])) // expect error: matmul needs non-empty matrices, got shapes [2, 0] and [0, 3]
// cell
model.config.learningRateForEpoch(Int.max) // expect error: learningRateForEpoch(_:): epoch: expected at most 100000, got 9223372036854775807
