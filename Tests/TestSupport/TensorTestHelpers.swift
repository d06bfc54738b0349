import Tensor

extension RandomGenerator {
    /// A tensor of `shape` with values uniform in `[lower, upper)`, drawn from this generator.
    public mutating func uniformTensor(_ shape: [Int], lower: Float = -1, upper: Float = 1) -> Tensor {
        Tensor.uniform(shape: shape, lower: lower, upper: upper, generator: &self)
    }
}

extension Tensor {
    /// The largest |self - other| over all elements (the shapes must agree).
    public func maximumDifference(from other: Tensor) -> Float {
        precondition(shape == other.shape, "shapes \(shape) and \(other.shape) differ")
        return zip(scalars, other.scalars).reduce(0) { Swift.max($0, abs($1.0 - $1.1)) }
    }
}
