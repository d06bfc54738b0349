/// Row kernels for softmax and cross-entropy, shared by the eager ops and the
/// fused training path.
public enum Softmax {
    /// Replaces `row[0..<width]` by its softmax in place and returns log(sum(exp(x - max))) + max,
    /// i.e. the row's log-sum-exp.
    @inlinable
    public static func normalizeRow(_ row: UnsafeMutablePointer<Float>, width: Int) -> Float {
        var maximum = -Float.infinity
        for j in 0..<width where row[j] > maximum { maximum = row[j] }
        var total = 0.0
        for j in 0..<width {
            let e = VectorMath.exp(row[j] - maximum)
            row[j] = e
            total += Double(e)
        }
        let inverse = Float(1 / total)
        for k in 0..<width { row[k] *= inverse }
        return Float(Foundation.log(total)) + maximum
    }
}

import Foundation
