// The README's example, on the real data: it must keep working as written there.
let (trainData, _, _, vocabulary, _) = ptbRawData()
var iterator = ptbIterator(trainData, batchSize: 60, numSteps: 20)
let (x, y) = iterator.next()!
x.shape
// expect: [60, 20]
// cell
let stackedLSTM = MultiRNNCell([BasicLSTMCell(units: 256, forgetBias: 0.0),
                                BasicLSTMCell(units: 128, forgetBias: 0.0)])
let initialState = stackedLSTM.zeroState(batchSize: 60)
initialState.1.h.shape
// expect: [60, 128]
