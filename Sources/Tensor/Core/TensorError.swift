/// Everything a tensor operation can reject. Each case carries what the
/// message needs, and `description` reads as a sentence for a student.
public enum TensorError: Error, Equatable, CustomStringConvertible, Sendable {
    case invalidShape([Int])
    case shapeSizeMismatch(shape: [Int], count: Int)
    case invalidReshape(from: [Int], to: [Int])
    case shapeMismatch(operation: String, lhs: [Int], rhs: [Int])
    case rankMismatch(operation: String, expected: String, got: [Int])
    case axisOutOfRange(operation: String, axis: Int, rank: Int)
    case indexOutOfRange(index: Int, extent: Int)
    case rangeOutOfBounds(lower: Int, upper: Int, extent: Int)
    case idOutOfRange(id: Int, vocabularySize: Int)
    case empty(operation: String)
    case notDifferentiable(String)

    public var description: String {
        switch self {
        case .invalidShape(let shape):
            return "invalid shape \(shape): extents must be non-negative and the size must fit in memory"
        case .shapeSizeMismatch(let shape, let count):
            return "shape \(shape) needs \(Shape.count(shape)) values but \(count) were given"
        case .invalidReshape(let from, let to):
            return "cannot reshape a tensor of shape \(from) (\(Shape.count(from)) values) into \(to)"
        case .shapeMismatch(let operation, let lhs, let rhs):
            return "\(operation): shapes \(lhs) and \(rhs) are not compatible"
        case .rankMismatch(let operation, let expected, let got):
            return "\(operation) expects \(expected), got a tensor of shape \(got)"
        case .axisOutOfRange(let operation, let axis, let rank):
            return "\(operation): axis \(axis) is out of range for a tensor of rank \(rank)"
        case .indexOutOfRange(let index, let extent):
            return "index \(index) is out of range for an axis of length \(extent)"
        case .rangeOutOfBounds(let lower, let upper, let extent):
            return "range \(lower)..<\(upper) is out of bounds for an axis of length \(extent)"
        case .idOutOfRange(let id, let vocabularySize):
            return "id \(id) is out of range for a vocabulary of \(vocabularySize) words"
        case .empty(let operation):
            return "\(operation) of an empty tensor"
        case .notDifferentiable(let reason):
            return "cannot differentiate: \(reason)"
        }
    }
}
