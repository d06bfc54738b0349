import Limits
/// Elementwise arithmetic with numpy broadcasting, and unary maps.
///
/// The common cases (equal shapes, a scalar, a trailing row vector) run as flat
/// loops; any other broadcast walks the result's indices with strides.
extension Tensor {
    /// Combines `lhs` and `rhs` elementwise after broadcasting them to a common shape.
    /// - Throws: `TensorError.shapeMismatch` when the shapes do not broadcast.
    public static func broadcasting(
        _ lhs: Tensor, _ rhs: Tensor, operation: String, _ combine: (Float, Float) -> Float
    ) throws -> Tensor {
        if lhs.shape == rhs.shape {
            try MemoryBudget.reserve(count: lhs.count, stride: 4, for: "\(operation): the result of shape \(lhs.shape)")
            var out = lhs.scalars
            rhs.scalars.withUnsafeBufferPointer { r in
                for i in out.indices { out[i] = combine(out[i], r[i]) }
            }
            return Tensor(uncheckedShape: lhs.shape, scalars: out)
        }
        let shape = try Shape.broadcast(lhs.shape, rhs.shape, operation: operation)
        try Shape.reserve(shape, for: "\(operation): the broadcast result of shape \(shape)")
        if rhs.count == 1, shape == lhs.shape {
            let b = rhs.scalars[0]
            return Tensor(uncheckedShape: shape, scalars: lhs.scalars.map { combine($0, b) })
        }
        if lhs.count == 1, shape == rhs.shape {
            let a = lhs.scalars[0]
            return Tensor(uncheckedShape: shape, scalars: rhs.scalars.map { combine(a, $0) })
        }
        return generalBroadcast(lhs, rhs, to: shape, combine)
    }

    private static func generalBroadcast(
        _ lhs: Tensor, _ rhs: Tensor, to shape: [Int], _ combine: (Float, Float) -> Float
    ) -> Tensor {
        let lhsStrides = broadcastStrides(lhs.shape, to: shape)
        let rhsStrides = broadcastStrides(rhs.shape, to: shape)
        let count = Shape.count(shape)
        var out = [Float](repeating: 0, count: count)
        var index = [Int](repeating: 0, count: shape.count)
        var a = 0, b = 0
        for flat in 0..<count {
            out[flat] = combine(lhs.scalars[a], rhs.scalars[b])
            // Odometer increment of `index`, keeping the two source offsets in step.
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                a += lhsStrides[axis]
                b += rhsStrides[axis]
                if index[axis] < shape[axis] { break }
                a -= lhsStrides[axis] * shape[axis]
                b -= rhsStrides[axis] * shape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
        return Tensor(uncheckedShape: shape, scalars: out)
    }

    /// Strides of `shape` seen as `target` (0 on broadcast axes).
    static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
        let own = Shape.strides(shape)
        let offset = target.count - shape.count
        return target.indices.map { axis in
            axis < offset || shape[axis - offset] == 1 ? 0 : own[axis - offset]
        }
    }

    /// Sums a broadcast result back down to `shape` (the gradient of broadcasting).
    public func summed(toShape target: [Int]) -> Tensor {
        if shape == target { return self }
        precondition((try? Shape.broadcast(target, shape, operation: "sum")) == shape, "\(target) does not broadcast to \(shape)")
        let strides = Tensor.broadcastStrides(target, to: shape)
        var out = [Float](repeating: 0, count: Shape.count(target))
        var index = [Int](repeating: 0, count: shape.count)
        var offset = 0
        for flat in 0..<count {
            out[offset] += scalars[flat]
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                offset += strides[axis]
                if index[axis] < shape[axis] { break }
                offset -= strides[axis] * shape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
        return Tensor(uncheckedShape: target, scalars: out)
    }

    /// Applies `transform` to every element.
    public func map(_ transform: (Float) -> Float) -> Tensor {
        Tensor(uncheckedShape: shape, scalars: scalars.map(transform))
    }

    /// Applies a vectorised kernel from `VectorMath` to every element.
    func mapKernel(_ kernel: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void) -> Tensor {
        var out = [Float](repeating: 0, count: count)
        scalars.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                if let i = input.baseAddress, let o = output.baseAddress { kernel(i, o, input.count) }
            }
        }
        return Tensor(uncheckedShape: shape, scalars: out)
    }

    public static func + (lhs: Tensor, rhs: Tensor) throws -> Tensor { try broadcasting(lhs, rhs, operation: "add", +) }
    public static func - (lhs: Tensor, rhs: Tensor) throws -> Tensor { try broadcasting(lhs, rhs, operation: "subtract", -) }
    public static func * (lhs: Tensor, rhs: Tensor) throws -> Tensor { try broadcasting(lhs, rhs, operation: "multiply", *) }
    public static func / (lhs: Tensor, rhs: Tensor) throws -> Tensor { try broadcasting(lhs, rhs, operation: "divide", /) }
    public static prefix func - (x: Tensor) -> Tensor { x.map { -$0 } }
    public static func * (lhs: Tensor, rhs: Float) -> Tensor { lhs.map { $0 * rhs } }

    /// e^x elementwise (vectorised).
    public func exp() -> Tensor { mapKernel { VectorMath.exp($0, $1, count: $2) } }
    /// tanh elementwise (vectorised).
    public func tanh() -> Tensor { mapKernel { VectorMath.tanh($0, $1, count: $2) } }
    /// The logistic function elementwise (vectorised).
    public func sigmoid() -> Tensor { mapKernel { VectorMath.sigmoid($0, $1, count: $2) } }
    /// Natural logarithm elementwise (`-inf` at 0, NaN below).
    public func log() -> Tensor { map { Foundation.log($0) } }
    /// Square root elementwise.
    public func squareRoot() -> Tensor { map { $0.squareRoot() } }
    /// x * x elementwise.
    public func squared() -> Tensor { map { $0 * $0 } }
}

import Foundation
