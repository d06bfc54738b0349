import Foundation

// Shape legend: N = rows (samples), D = columns (features), K = components.

/// Principal component analysis of the rows of a matrix, in Double throughout.
public enum PrincipalComponents {
    /// The largest matrix the eigen-solver takes: min(N, D) at most this (a few seconds).
    public static let maximumSize = 512

    /// The rows of `matrix [N, D]`, centred, projected on the `components` directions of
    /// largest variance: `[N, K]` scores, with the variance each direction explains as a
    /// fraction of the total. Each direction's sign makes its largest-magnitude entry
    /// positive, so the result does not depend on the solver's arbitrary signs.
    /// - Throws: `TensorError.rankMismatch` for a matrix that is not 2-D, `.empty` for one
    ///   with no rows or columns, `.shapeMismatch` when `components` is not in `1...D` or
    ///   min(N, D) exceeds `maximumSize`.
    public static func project(_ matrix: Tensor, components: Int) throws -> (scores: Tensor, explained: [Double]) {
        guard matrix.rank == 2 else {
            throw TensorError.rankMismatch(operation: "principal components", expected: "a 2-D matrix [rows, columns]", got: matrix.shape)
        }
        let (n, d) = (matrix.shape[0], matrix.shape[1])
        guard n > 0, d > 0 else { throw TensorError.empty(operation: "principal components") }
        guard (1...d).contains(components), min(n, d) <= maximumSize else {
            throw TensorError.shapeMismatch(operation: "principal components (components, at most \(maximumSize) rows or columns)",
                                            lhs: [components], rhs: matrix.shape)
        }
        // Centred rows.
        let scalars = matrix.scalars
        var means = [Double](repeating: 0, count: d)
        for row in 0..<n { for column in 0..<d { means[column] += Double(scalars[row * d + column]) } }
        for column in 0..<d { means[column] /= Double(n) }
        var centred = [Double](repeating: 0, count: n * d)
        for row in 0..<n { for column in 0..<d { centred[row * d + column] = Double(scalars[row * d + column]) - means[column] } }

        // Eigenvectors of the smaller of XᵀX [D, D] and XXᵀ [N, N]; directions in feature space.
        var directions: [[Double]] = []
        var values: [Double]
        if d <= n {
            var covariance = [Double](repeating: 0, count: d * d)
            for row in 0..<n {
                let base = row * d
                for i in 0..<d {
                    let xi = centred[base + i]
                    guard xi != 0 else { continue }
                    for j in i..<d { covariance[i * d + j] += xi * centred[base + j] }
                }
            }
            for i in 0..<d { for j in 0..<i { covariance[i * d + j] = covariance[j * d + i] } }
            let (eigenvalues, vectors) = symmetricEigen(covariance, size: d)
            values = eigenvalues
            directions = vectors.prefix(components).map { $0 }
        } else {
            var gram = [Double](repeating: 0, count: n * n)
            for i in 0..<n {
                for j in i..<n {
                    var sum = 0.0
                    for k in 0..<d { sum += centred[i * d + k] * centred[j * d + k] }
                    gram[i * n + j] = sum
                    gram[j * n + i] = sum
                }
            }
            let (eigenvalues, vectors) = symmetricEigen(gram, size: n)
            values = eigenvalues
            for vector in vectors.prefix(components) {
                // v = Xᵀu / |Xᵀu|
                var direction = [Double](repeating: 0, count: d)
                for row in 0..<n where vector[row] != 0 {
                    for column in 0..<d { direction[column] += centred[row * d + column] * vector[row] }
                }
                let norm = direction.reduce(0) { $0 + $1 * $1 }.squareRoot()
                directions.append(norm > 0 ? direction.map { $0 / norm } : direction)
            }
        }
        for (index, direction) in directions.enumerated() {
            guard let largest = direction.indices.max(by: { abs(direction[$0]) < abs(direction[$1]) }) else { continue }
            if direction[largest] < 0 { directions[index] = direction.map { -$0 } }
        }
        var scores = [Float](repeating: 0, count: n * components)
        for row in 0..<n {
            for (index, direction) in directions.enumerated() {
                var sum = 0.0
                for column in 0..<d { sum += centred[row * d + column] * direction[column] }
                scores[row * components + index] = Float(sum)
            }
        }
        let total = values.reduce(0) { $0 + max($1, 0) }
        let explained = values.prefix(components).map { total > 0 ? max($0, 0) / total : 0 }
        return (Tensor(uncheckedShape: [n, components], scalars: scores), explained)
    }

    /// Eigenvalues (largest first) and unit eigenvectors of a symmetric `size x size` matrix
    /// (row-major), by cyclic Jacobi rotations until the off-diagonal part is negligible.
    static func symmetricEigen(_ matrix: [Double], size n: Int) -> (values: [Double], vectors: [[Double]]) {
        var a = matrix
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        let scale = a.reduce(0) { $0 + $1 * $1 }
        for _ in 0..<100 {
            var off = 0.0
            for p in 0..<n { for q in (p + 1)..<n { off += a[p * n + q] * a[p * n + q] } }
            if off <= 1e-30 * scale || off == 0 { break }
            for p in 0..<(n - 1) {
                for q in (p + 1)..<n {
                    let apq = a[p * n + q]
                    guard abs(apq) > 1e-300 else { continue }
                    let theta = (a[q * n + q] - a[p * n + p]) / (2 * apq)
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot()
                    let s = t * c
                    for k in 0..<n {
                        let (akp, akq) = (a[k * n + p], a[k * n + q])
                        a[k * n + p] = c * akp - s * akq
                        a[k * n + q] = s * akp + c * akq
                    }
                    for k in 0..<n {
                        let (apk, aqk) = (a[p * n + k], a[q * n + k])
                        a[p * n + k] = c * apk - s * aqk
                        a[q * n + k] = s * apk + c * aqk
                    }
                    for k in 0..<n {
                        let (vkp, vkq) = (v[k * n + p], v[k * n + q])
                        v[k * n + p] = c * vkp - s * vkq
                        v[k * n + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        let order = (0..<n).sorted { a[$0 * n + $0] > a[$1 * n + $1] }
        return (order.map { a[$0 * n + $0] }, order.map { column in (0..<n).map { v[$0 * n + column] } })
    }
}
