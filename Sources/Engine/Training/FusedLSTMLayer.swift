import Tensor

// Shape legend: B = batch, T = time steps, D = input width, H = units, G = 4H.
// Rows are time-major: row t*B + b is step t of sequence b, so each step's block
// of B rows is contiguous and the input projection of all steps is one product.

/// One LSTM layer's forward and backward pass over a whole batch, fused and
/// allocation-free. Same math as `BasicLSTMCell` (gates i, j, f, o):
///
///     gates_t = x_t @ Wx + h_{t-1} @ Wh + bias        Wx = kernel[0..<D], Wh = kernel[D..<D+H]
///     c_t = c_{t-1} * sigmoid(f + forgetBias) + sigmoid(i) * tanh(j)
///     h_t = tanh(c_t) * sigmoid(o)
final class FusedLSTMLayer {
    let batch: Int, steps: Int, inputSize: Int, units: Int
    var gateWidth: Int { 4 * units }
    /// `[T*B, G]`: x @ Wx, then the activated gates i, j, f, o after `forward`.
    let gates: FloatBuffer
    /// `[(T+1)*B, H]`: block 0 is the initial h, block t+1 is h_t.
    let hiddens: FloatBuffer
    /// `[(T+1)*B, H]`: block 0 is the initial c, block t+1 is c_t.
    let cells: FloatBuffer
    /// `[T*B, H]`: tanh(c_t), kept for the backward pass.
    let tanhCells: FloatBuffer
    /// `[T*B, G]`: gradient of the cost with respect to the gate pre-activations.
    let gateGrads: FloatBuffer
    /// `[T*B, D]`: gradient with respect to this layer's input.
    let inputGrads: FloatBuffer
    /// `[B, H]` each: gradients flowing from step t+1 back into step t.
    let hiddenCarry: FloatBuffer, cellCarry: FloatBuffer
    /// Runs (and, when profiling, times) the layer's products.
    let products: MatrixProducts
    /// "layer 1", … : how the profile names this layer's products.
    let name: String

    init(batch: Int, steps: Int, inputSize: Int, units: Int, name: String, products: MatrixProducts) {
        self.name = name
        self.products = products
        self.batch = batch
        self.steps = steps
        self.inputSize = inputSize
        self.units = units
        let rows = batch * steps
        gates = FloatBuffer(count: rows * 4 * units)
        hiddens = FloatBuffer(count: (rows + batch) * units)
        cells = FloatBuffer(count: (rows + batch) * units)
        tanhCells = FloatBuffer(count: rows * units)
        gateGrads = FloatBuffer(count: rows * 4 * units)
        inputGrads = FloatBuffer(count: rows * inputSize)
        hiddenCarry = FloatBuffer(count: batch * units)
        cellCarry = FloatBuffer(count: batch * units)
    }

    /// h_0 ..< h_T as `[T*B, H]`: the layer's output and the next layer's input.
    var outputs: UnsafeMutablePointer<Float> { hiddens[batch * units] }

    /// Runs the layer over `input [T*B, D]` from the state (`c`, `h`: `[B, H]`).
    /// Afterwards `outputs` holds every h_t and the final state is the last block.
    func forward(input: UnsafePointer<Float>, kernel: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                 forgetBias: Float, initialC: UnsafePointer<Float>, initialH: UnsafePointer<Float>) {
        let (b, h, g) = (batch, units, gateWidth)
        cells.pointer.update(from: initialC, count: b * h)
        hiddens.pointer.update(from: initialH, count: b * h)
        // All steps' input projections at once: gates = x @ Wx.
        products.gemm("\(name) input projection", .lstmProducts, input, transposeA: false, kernel, transposeB: false, gates.pointer,
                      m: steps * b, n: g, k: inputSize, weight: true)
        let recurrent = kernel + inputSize * g
        for t in 0..<steps {
            // gates_t += h_{t-1} @ Wh
            products.gemm("\(name) recurrent", .lstmProducts, hiddens[t * b * h], transposeA: false, recurrent, transposeB: false,
                          gates[t * b * g], m: b, n: g, k: h, beta: 1, weight: true)
            products.elementwise(.lstmElementwise) {
                Kernels.lstmActivate(gates: gates[t * b * g], bias: bias, forgetBias: forgetBias,
                                     previousCells: cells[t * b * h], cells: cells[(t + 1) * b * h],
                                     hiddens: hiddens[(t + 1) * b * h], tanhCells: tanhCells[t * b * h], rows: b, units: h)
            }
        }
    }

    /// Back-propagates `outputGrads [T*B, H]` (d cost / d h_t from above) through time.
    /// Writes d kernel `[D+H, G]` and d bias `[G]` (overwriting), and `inputGrads` when asked.
    /// The gradient does not flow into the initial state (truncated back-propagation, as in the tutorial).
    func backward(input: UnsafePointer<Float>, kernel: UnsafePointer<Float>, outputGrads: UnsafePointer<Float>,
                  kernelGrad: UnsafeMutablePointer<Float>, biasGrad: UnsafeMutablePointer<Float>, wantInputGrads: Bool) {
        let (b, h, g) = (batch, units, gateWidth)
        let rows = steps * b
        hiddenCarry.zero()
        cellCarry.zero()
        let recurrent = kernel + inputSize * g
        for t in stride(from: steps - 1, through: 0, by: -1) {
            products.elementwise(.lstmElementwise) {
                Kernels.lstmDifferentiate(gates: gates[t * b * g], gateGrads: gateGrads[t * b * g], previousCells: cells[t * b * h],
                                          tanhCells: tanhCells[t * b * h], hiddenCarry: hiddenCarry.pointer, cellCarry: cellCarry.pointer,
                                          upstream: outputGrads + t * b * h, rows: b, units: h)
            }
            if t > 0 {
                // dh_{t-1} = dgates_t @ Wh^T
                products.gemm("\(name) d h (recurrent)", .lstmProducts, gateGrads[t * b * g], transposeA: false, recurrent, transposeB: true,
                              hiddenCarry.pointer, m: b, n: h, k: g, weight: true)
            }
        }
        // d Wx = x^T @ dgates, d Wh = h_prev^T @ dgates (all steps at once).
        products.gemm("\(name) d Wx", .lstmProducts, input, transposeA: true, gateGrads.pointer, transposeB: false, kernelGrad,
                      m: inputSize, n: g, k: rows)
        products.gemm("\(name) d Wh", .lstmProducts, hiddens.pointer, transposeA: true, gateGrads.pointer, transposeB: false,
                      kernelGrad + inputSize * g, m: h, n: g, k: rows)
        products.elementwise(.lstmElementwise) { Kernels.columnSums(gateGrads.pointer, rows: rows, columns: g, into: biasGrad) }
        if wantInputGrads {
            // dx = dgates @ Wx^T
            products.gemm("\(name) d x", .lstmProducts, gateGrads.pointer, transposeA: false, kernel, transposeB: true, inputGrads.pointer,
                          m: rows, n: inputSize, k: g, weight: true)
        }
    }
}
