/// A node of a reverse-mode autodiff graph: a tensor value, the nodes it was
/// computed from, and its pullback (upstream gradient -> one gradient per input).
///
/// Graphs are built eagerly as operations run, micrograd-style; each operation's
/// backward code sits right under its forward code in `Operations.swift`.
/// Trainable parameters are leaf `Variable`s with a name, whose `value` an
/// optimiser replaces in place.
public final class Variable: @unchecked Sendable {
    // @unchecked: a graph is built and used by one thread at a time (a cell's, or training's);
    // it crosses threads only whole, handed over between cells, never shared while it changes.
    /// The current value. Leaves (parameters) may be reassigned; the graph keeps
    /// whatever value each node had when it was computed.
    public var value: Tensor
    /// The name shown in variable listings (`Model/RNN/multi_rnn_cell/cell_0/kernel:0`-style).
    public let name: String?
    private(set) var inputs: [Variable]
    private(set) var pullback: ((Tensor) -> [Tensor])?
    /// True once the node no longer records how it was computed (`forgetHistory`, or a value
    /// read back from a saved session that had a history): gradients cannot flow through it.
    public private(set) var historyDropped = false

    /// A leaf: a constant or a trainable parameter.
    public init(_ value: Tensor, name: String? = nil) {
        self.value = value
        self.name = name
        self.inputs = []
        self.pullback = nil
    }

    /// A value that was computed once but whose history is gone (read back from a saved
    /// session): a leaf that `gradients(of:wrt:)` refuses to differentiate through.
    public init(restored value: Tensor, name: String? = nil, hadHistory: Bool) {
        self.value = value
        self.name = name
        self.inputs = []
        self.pullback = nil
        self.historyDropped = hadHistory
    }

    /// A computed node. `pullback` maps the gradient of this node's value to the
    /// gradients of `inputs`, in order and with their shapes.
    /// While `Variable.recordsHistory` is off the node is made without its history (as after
    /// `forgetHistory`): what it was computed from can be freed as soon as it is used.
    init(computed value: Tensor, inputs: [Variable], pullback: @escaping (Tensor) -> [Tensor]) {
        self.value = value
        self.name = nil
        if Variable.recordsHistory {
            self.inputs = inputs
            self.pullback = pullback
        } else {
            self.inputs = []
            self.pullback = nil
            self.historyDropped = true
        }
    }

    /// Whether computed nodes record how they were computed (the default). Off, as PyTorch's
    /// `no_grad`, a computation keeps no graph: its intermediate tensors go as soon as they are
    /// used, and gradients through its results are refused. Bound per task (thread-local
    /// outside tasks) with `Variable.$recordsHistory.withValue(false) { ... }`.
    @TaskLocal public static var recordsHistory = true

    /// A leaf holding a single number.
    public convenience init(_ scalar: Float, name: String? = nil) {
        self.init(Tensor(scalar), name: name)
    }

    /// The value's shape.
    public var shape: [Int] { value.shape }

    /// Whether this node was computed from others (and so holds a graph).
    public var hasHistory: Bool { pullback != nil || historyDropped }

    /// Drops the record of how this node was computed, so the nodes it was computed from (and
    /// what their pullbacks keep) can be freed; the value stays. Gradients through it are then
    /// refused (`reachesDroppedHistory`). A leaf is left as it is.
    public func forgetHistory() {
        guard pullback != nil else { return }
        inputs = []
        pullback = nil
        historyDropped = true
    }

    /// Whether some node this one was computed from (itself included) forgot its history, so
    /// `gradients(of:wrt:)` from here would miss part of the computation.
    public var reachesDroppedHistory: Bool { graphSummary.reachesDroppedHistory }

    /// How many scalars this node and every node it was computed from hold: about what
    /// `gradients(of:wrt:)` allocates, one gradient per node.
    public var graphScalarCount: Int { graphSummary.scalars }

    /// One walk over the graph: the scalars its nodes hold (`graphScalarCount`) and whether one
    /// of them forgot its history (`reachesDroppedHistory`).
    public var graphSummary: (scalars: Int, reachesDroppedHistory: Bool) {
        topologicalOrder(from: self).reduce((0, false)) { ($0.0 &+ $1.value.count, $0.1 || $1.historyDropped) }
    }
}

/// Gradients of `output` with respect to each of `inputs` by reverse-mode
/// accumulation. A non-scalar output is seeded with ones (its sum is
/// differentiated), as TensorFlow does. An input that `output` does not depend
/// on gets a zero gradient of its own shape.
public func gradients(of output: Variable, wrt inputs: [Variable]) -> [Tensor] {
    var grads: [ObjectIdentifier: Tensor] = [ObjectIdentifier(output): Tensor(repeating: 1, shape: output.shape)]
    for node in topologicalOrder(from: output).reversed() {
        guard let pullback = node.pullback, let upstream = grads[ObjectIdentifier(node)] else { continue }
        let inputGrads = pullback(upstream)
        precondition(inputGrads.count == node.inputs.count, "pullback returned \(inputGrads.count) gradients for \(node.inputs.count) inputs")
        for (input, grad) in zip(node.inputs, inputGrads) {
            let key = ObjectIdentifier(input)
            if let existing = grads[key] {
                grads[key] = existing.addingSameShape(grad)
            } else {
                grads[key] = grad
            }
        }
    }
    return inputs.map { grads[ObjectIdentifier($0)] ?? Tensor(zeros: $0.shape) }
}

/// Nodes reachable from `root`, each after all of its inputs (iterative, so deep
/// unrolled graphs cannot overflow the stack).
func topologicalOrder(from root: Variable) -> [Variable] {
    var order: [Variable] = []
    var visited: Set<ObjectIdentifier> = []
    var stack: [(node: Variable, expanded: Bool)] = [(root, false)]
    while let (node, expanded) = stack.popLast() {
        if expanded {
            order.append(node)
            continue
        }
        guard visited.insert(ObjectIdentifier(node)).inserted else { continue }
        stack.append((node, true))
        for input in node.inputs where !visited.contains(ObjectIdentifier(input)) {
            stack.append((input, false))
        }
    }
    return order
}

extension Tensor {
    /// Elementwise sum of two tensors already known to share a shape.
    func addingSameShape(_ other: Tensor) -> Tensor {
        precondition(shape == other.shape, "gradient shapes \(shape) and \(other.shape) differ")
        var out = scalars
        other.scalars.withUnsafeBufferPointer { o in
            for i in out.indices { out[i] += o[i] }
        }
        return Tensor(uncheckedShape: shape, scalars: out)
    }
}
