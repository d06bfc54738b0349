// Tensor creation, display, subscripts and operators, and the errors of each.
let a = Tensor([[1, 2], [3, 4]])
a.shape // expect: [2, 2]
// cell
Tensor([[1, 2], [3]]) // expect error: Tensor(_:): the array is not rectangular: element 0 has shape [2] but element 1 has shape [1]
// cell
Tensor("a") // expect error: Tensor(_:): expected numbers or arrays of numbers, got String
// cell
Tensor() // expect error: missing argument #1 in call to Tensor(_:)
// cell
zeros(shape: [2, -1]) // expect error: zeros(shape:): shape: extents must not be negative, got -1 in [2, -1]
// cell
zeros([2]) // expect error: incorrect argument label in call to zeros(shape:) (have no label, expected 'shape:')
// cell
zeros(shape: [100000, 100000]) // expect error: zeros(shape:): shape: a tensor of shape [100000, 100000] is too large; the limit is 100000000 values
// cell
a[2] // expect error: index 2 is out of range for axis 0 of length 2
// cell
a[-1] // expect error: index -1 is out of range for axis 0 of length 2; negative indices are not allowed, the last is x[x.shape[0] - 1]
// cell
a[0..<3] // expect error: range 0..<3 is out of bounds for axis 0 of length 2
// cell
a[0, 0, 0] // expect error: 3 indices given for a tensor of rank 2 (shape [2, 2])
// cell
a["x"] // expect error: a tensor index must be an Int or a range, not String
// cell
a.reshape([3]) // expect error: cannot reshape a tensor of shape [2, 2] (4 values) into [3]
// cell
a.reshape(3) // expect error: reshape(_:): shape: expected Array, got Int
// cell
a.reshape([-1, -1]) // expect error: reshape(_:): shape: at most one extent may be -1, got [-1, -1]
// cell
a.reshape([-1]) // expect: array([1., 2., 3., 4.], dtype=float32)
// cell
matmul(a, Tensor([1, 2])) // expect error: matmul multiplies two matrices (rank 2), got shapes [2, 2] and [2]; reshape first, e.g. outputs.reshape([-1, width])
// cell
matmul(a, Tensor([[1, 2, 3]])) // expect error: matmul: the first operand has 2 columns but the second has 1 rows (shapes [2, 2] and [1, 3])
// cell
a + Tensor([1, 2, 3]) // expect error: add: shapes [2, 2] and [3] are not compatible
// cell
a + "x" // expect error: the other operand of '+': expected a float32 Tensor or a number, got String
// cell
a.argmax(axis: 2) // expect error: argmax: axis 2 is out of range for a tensor of rank 2
// cell
argmax(a) // expect error: missing argument 'axis' in call to argmax(_:axis:)
// cell
randomUniform(shape: [2], minval: 1, maxval: 0) // expect error: randomUniform(shape:minval:maxval:seed:): minval must be less than maxval, got 1.0 and 0.0
// cell
Variable("x") // expect error: Variable(_:name:trainable:): initial value: expected a float32 Tensor or a number, got String
// cell
gradients(of: a, wrt: [1]) // expect error: gradients(of:wrt:): wrt[0]: expected a float32 Variable or Tensor, got Int
// cell
gradients(a, [a]) // expect error: incorrect argument label in call to gradients(of:wrt:) (have no label, expected 'of:')
// cell
clipByGlobalNorm([a], clipNorm: 0) // expect error: clipByGlobalNorm(_:clipNorm:): clipNorm: expected a number greater than 0, got 0
// cell
embeddingLookup(a, [5]) // expect error: embeddingLookup(_:_:): id 5 is outside the embedding's 2 rows
// cell
embeddingLookup(a, Tensor([1.0])) // expect error: embeddingLookup(_:_:): ids: expected int32 word ids, got a float32 Tensor of shape [1]
// cell
embeddingLookup(a, [[1, 0]]) // expect: array([[[3., 4.],
// expect:         [1., 2.]]], dtype=float32)
// cell
sequenceLoss(a, IntTensor([0, 5])) // expect error: sequenceLoss(_:_:weights:averageAcrossTimesteps:averageAcrossBatch:): target id 5 is outside the 2 classes of the logits
// cell
sequenceLoss(a, IntTensor([0, 1, 1])) // expect error: sequenceLoss(_:_:weights:averageAcrossTimesteps:averageAcrossBatch:): targets must have shape [2] to match logits of shape [2, 2], got [3]
// cell
sequenceLoss(zeros(shape: [1, 2, 4]), IntTensor([[0, 3]])) // expect: array([1.3862944, 1.3862944], dtype=float32)
// cell
sequenceLoss(zeros(shape: [1, 2, 4]), IntTensor([[0, 3]]), averageAcrossTimesteps: true) // expect: 1.3862944
// cell
IntTensor([1.5]) // expect error: IntTensor(_:): expected Int word ids, got Double values
// cell
IntTensor([0]) + 1 // expect error: '+' needs a float32 Tensor, but this Tensor holds int32 ids
// cell
a.scalar // expect error: scalar: the tensor has shape [2, 2], but only a tensor of one element has a scalar
// cell
a.nothing // expect error: value of type 'Tensor' has no member 'nothing'
// cell
let v = Variable([1.0, 2.0], name: "v")
v // expect: <Variable 'v:0' shape=(2,) dtype=float32>
// cell
v.value // expect: array([1., 2.], dtype=float32)
// cell
v.assign([1.0]) // expect error: assign(_:): the variable has shape [2] but the new value has shape [1]
