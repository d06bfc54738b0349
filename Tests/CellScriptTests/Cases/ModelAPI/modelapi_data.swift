// Reading data and iterating batches, and the errors of each.
ptbRawData(dataDir: "/nonexistent/ptb") // expect error: ptbRawData(dataDir:): "/nonexistent/ptb" is refused: it is an absolute path; write it relative to the lesson's folder
// cell
ptbRawData(dataDir: "nonexistent/ptb") // expect error: ptbRawData(dataDir:): there is no file or folder "nonexistent/ptb"
// cell
ptbRawData(dataDir: 3) // expect error: ptbRawData(dataDir:): dataDir: expected String, got Int
// cell
ptbRawData("x") // expect error: extra argument in call to ptbRawData(dataDir:)
// cell
idToWord([1]) // expect error: idToWord(_:vocabulary:) needs the vocabulary: call ptbRawData() first, or pass vocabulary: (the words in id order)
// cell
idToWord([3], vocabulary: ["a", "b"]) // expect error: idToWord(_:vocabulary:): id 3 is outside the vocabulary (ids run from 0 to 1)
// cell
idToWord([1, 0], vocabulary: ["a", "b"]) // expect: ["b", "a"]
// cell
idToWord(IntTensor([[1], [0]]), vocabulary: ["a", "b"]) // expect: [["b"], ["a"]]
// cell
ptbIterator([1, 2, 3], batchSize: 2, numSteps: 5) // expect error: 3 ids cut into 2 rows give no window of 5 steps: use a smaller batch size or fewer steps
// cell
ptbIterator([1, 2, 3], batchSize: 0, numSteps: 1) // expect error: ptbIterator(_:batchSize:numSteps:): batchSize: expected at least 1, got 0
// cell
ptbIterator("abc", batchSize: 1, numSteps: 1) // expect error: ptbIterator(_:batchSize:numSteps:): data: expected int32 word ids (a Tensor of ids or [Int]), got String
// cell
ptbIterator([[1, 2]], batchSize: 1, numSteps: 1) // expect error: ptbIterator(_:batchSize:numSteps:): data: expected a one-dimensional sequence of word ids, got shape [1, 2]
// cell
ptbIterator([1, 2, 3], batch: 1, numSteps: 1) // expect error: incorrect argument label in call to ptbIterator(_:batchSize:numSteps:) (have 'batch:', expected 'batchSize:')
// cell
var it = ptbIterator(Array(0..<11), batchSize: 1, numSteps: 5)
it // expect: BatchIterator(batchSize: 1, numSteps: 5, epochSize: 2, position: 0)
// cell
it.next()!.x // expect: array([[0, 1, 2, 3, 4]], dtype=int32)
// cell
it.next()!.y // expect: array([[ 6,  7,  8,  9, 10]], dtype=int32)
// cell
it.next() // expect: nil
