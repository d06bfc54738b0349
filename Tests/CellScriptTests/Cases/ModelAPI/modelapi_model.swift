// The configuration, the whole model, the optimiser, and the errors of each.
ModelConfig() // expect: ModelConfig(initScale: 0.1, learningRate: 1.0, maxGradNorm: 5.0, numSteps: 20, hiddenSizes: [256, 128], embeddingSize: 200, maxEpochDecayLR: 4, maxEpoch: 15, keepProb: 1.0, decay: 0.5, batchSize: 60, vocabularySize: 10000, forgetBias: 0.0, seed: 1, precision: "float32")
// cell
ModelConfig(batchSize: 0) // expect error: ModelConfig: batch size must be at least 1 (got 0)
// cell
ModelConfig(batchsize: 2) // expect error: ModelConfig: unexpected argument 'batchsize:'; the labels are initScale, learningRate, maxGradNorm, numSteps, hiddenSizes, embeddingSize, maxEpochDecayLR, maxEpoch, keepProb, decay, batchSize, vocabularySize, forgetBias, seed, precision
// cell
ModelConfig(precision: "fp16") // expect error: ModelConfig: precision: expected "float32" or "bf16", got "fp16"
// cell
ModelConfig(precision: 16) // expect error: ModelConfig: precision: expected String, got Int
// cell
ModelConfig(precision: "float32").precision // expect: "float32"
// cell
ModelConfig(batchSize: "2") // expect error: ModelConfig: batchSize: expected Int, got String
// cell
ModelConfig(batchSize: 2, batchSize: 3) // expect error: ModelConfig: 'batchSize:' is given twice
// cell
ModelConfig(hiddenSizes: []) // expect error: ModelConfig: hidden sizes must be positive and at least one layer (got [])
// cell
PTBModel(3) // expect error: PTBModel(_:): expected a ModelConfig, got Int
// cell
let model = PTBModel(ModelConfig(numSteps: 2, hiddenSizes: [4], embeddingSize: 3, batchSize: 1, vocabularySize: 5))
model // expect: PTBModel(vocabularySize: 5, embeddingSize: 3, hiddenSizes: [4], batchSize: 1, numSteps: 2)
// cell
model.trainableVariables // expect: [<Variable 'embedding_vocab:0' shape=(5, 3) dtype=float32>, <Variable 'rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel:0' shape=(7, 16) dtype=float32>, <Variable 'rnn/multi_rnn_cell/cell_0/basic_lstm_cell/bias:0' shape=(16,) dtype=float32>, <Variable 'softmax_w:0' shape=(4, 5) dtype=float32>, <Variable 'softmax_b:0' shape=(5,) dtype=float32>]
// cell
runEpoch(model, [1, 2, 9]) // expect error: runEpoch(_:_:learningRate:verbose:): data: word id 9 is outside the model's vocabulary of 5 words
// cell
runEpoch(model, [1, 2]) // expect error: 2 ids cut into 1 rows give no window of 2 steps: use a smaller batch size or fewer steps
// cell
runEpoch(3, [1]) // expect error: runEpoch(_:_:learningRate:verbose:): expected a PTBModel, got Int
// cell
runEpoch(model, [1, 2, 3, 4, 0], learningRate: -1) // expect error: runEpoch(_:_:learningRate:verbose:): learningRate: expected a number greater than 0, got -1
// cell
train(model, data: [1, 2]) // expect error: train(_:data:epochs:verbose:): data must be the (train:, valid:, test:, ...) tuple ptbRawData() returns, got [Int]
// cell
let words = ["a", "b", "c", "d", "e"]
predictNext(model, context: "zzz", vocabulary: words) // expect error: predictNext(_:context:count:vocabulary:): 'zzz' is not in the vocabulary
// cell
predictNext(model, context: "a", count: 6, vocabulary: words) // expect error: predictNext(_:context:count:vocabulary:): count: the model knows 5 words, asked for 6
// cell
predictNext(model, context: "", vocabulary: words) // expect error: predictNext(_:context:count:vocabulary:): context: give at least one word
// cell
predictNext(model, context: "a b", count: 2, vocabulary: words).count // expect: 2
// cell
generate(model, from: "a b", words: 3, vocabulary: words).split(separator: " ").count // expect: 5
// cell
generate(model, from: "a", words: 0, vocabulary: words) // expect error: generate(_:from:words:temperature:vocabulary:): words: expected at least 1, got 0
// cell
generate(model, from: "a", words: 10001, vocabulary: words) // expect error: generate(_:from:words:temperature:vocabulary:): words: at most 10000, asked for 10001
// cell
generate(model, from: "a", temperature: 0.0, vocabulary: words) // expect error: generate(_:from:words:temperature:vocabulary:): temperature: expected a positive number, got 0.0
// cell
generate(model, from: "a", temperature: -1.0 / 0.0, vocabulary: words) // expect error: generate(_:from:words:temperature:vocabulary:): temperature: expected a positive number, got -inf
// cell
pca(model.embedding, components: 3).shape // expect: [5, 3]
// cell
pca(model.embedding, components: 0) // expect error: pca(_:components:): components: expected at least 1, got 0
// cell
pca(zeros(shape: [3]), components: 1) // expect error: pca(_:components:): expected a 2-D matrix [rows, columns], got shape [3]
// cell
pca(zeros(shape: [600, 600]), components: 1) // expect error: pca(_:components:): a matrix of shape [600, 600] is too large; take at most 512 rows, e.g. m[0..<300]
// cell
scatter(pca(model.embedding), labels: words, title: "words")
2 + 3 // expect: 5
// cell
scatter(pca(model.embedding), labels: ["a"]) // expect error: scatter(_:labels:title:xLabel:yLabel:): labels: 1 labels for 5 points; give one a point, or none
// cell
scatter(model.embedding) // expect error: scatter(_:labels:title:xLabel:yLabel:): points: expected shape [n, 2] (one x, y pair a row), got [5, 3]
// cell
generate(model, from: "nope", vocabulary: words) // expect error: generate(_:from:words:temperature:vocabulary:): 'nope' is not in the vocabulary
// cell
load(model, from: "nonexistent/x.safetensors") // expect error: load(_:from:): there is no file or folder "nonexistent/x.safetensors"
// cell
load(model, from: "/etc/passwd") // expect error: load(_:from:): "/etc/passwd" is refused: it is an absolute path; write it relative to the lesson's folder
// cell
save(model) // expect error: missing argument 'to' in call to save(_:to:)
// cell
GradientDescentOptimizer(learningRate: 0) // expect error: GradientDescentOptimizer(learningRate:): learningRate: expected a number greater than 0, got 0
// cell
let optimizer = GradientDescentOptimizer(learningRate: 0.5)
let v = Variable([1.0, 2.0])
optimizer.apply([Tensor([1.0])], to: [v]) // expect error: apply(_:to:): gradients[0] has shape [1] but its variable 'Variable:0' has shape [2]
// cell
optimizer.apply([Tensor([1.0, 1.0])], to: [Tensor([1.0, 2.0])]) // expect error: apply(_:to:): variables[0] must be a Variable, got a float32 Tensor of shape [2]
// cell
optimizer.apply([], to: [v]) // expect error: apply(_:to:): 0 gradients for 1 variables; give one gradient per variable
// cell
optimizer.apply([Tensor([2.0, 2.0])], to: [v])
v.value // expect: array([0., 1.], dtype=float32)
// cell
optimizer.learningRate = 2
optimizer // expect: GradientDescentOptimizer(learningRate: 2.0)
// cell
optimizer.applyGradients(zip([Tensor([1.0, 1.0])], [v]))
v.value // expect: array([-2., -1.], dtype=float32)
