import Tensor
import TestSupport
import Testing

/// `PrincipalComponents.project` against numpy's eigen-decomposition of the covariance, with
/// the same sign rule (each direction's largest-magnitude entry positive).
@Suite("Principal components vs numpy")
struct PrincipalComponentsTests {
    /// Rows with a few strong directions: columns scaled so the variances are well apart.
    static func matrix(rows: Int, columns: Int, seed: UInt64) throws -> Tensor {
        var generator = RandomGenerator(seed: seed)
        let base = generator.uniformTensor([rows, columns], lower: -1, upper: 1)
        let scales = try Tensor(shape: [columns], scalars: (0..<columns).map { Float(3.0 / Double($0 + 1)) })
        return try base * scales + Tensor(0.25)
    }

    @Test("scores match numpy's, on the covariance path (more rows) and the Gram path (more columns)",
          arguments: [(300, 20, 3), (15, 40, 2), (50, 50, 4)])
    func matchesNumpy(shape: (rows: Int, columns: Int, components: Int)) throws {
        let x = try Self.matrix(rows: shape.rows, columns: shape.columns, seed: UInt64(shape.rows))
        let (scores, explained) = try PrincipalComponents.project(x, components: shape.components)
        let expected = try Numpy.evaluate("""
            c = x.astype(np.float64) - x.astype(np.float64).mean(axis=0)
            w, v = np.linalg.eigh(c.T @ c)
            order = np.argsort(w)[::-1]
            w, v = w[order], v[:, order]
            k = \(shape.components)
            v = v[:, :k] * np.where(v[np.abs(v[:, :k]).argmax(axis=0), range(k)] < 0, -1, 1)
            out["scores"] = c @ v
            out["explained"] = w[:k] / np.clip(w, 0, None).sum()
            """, inputs: ["x": x])
        let reference = try #require(expected["scores"])
        #expect(scores.shape == [shape.rows, shape.components])
        #expect(allClose(scores, reference, rtol: 1e-4, atol: 1e-4), "\(scores.scalars.prefix(6)) vs \(reference.scalars.prefix(6))")
        let fractions = try #require(expected["explained"]).scalars
        for (mine, theirs) in zip(explained, fractions) { #expect(abs(mine - Double(theirs)) < 1e-5) }
    }

    @Test("bad shapes are errors")
    func badShapes() throws {
        let x = try Self.matrix(rows: 4, columns: 3, seed: 1)
        #expect(throws: TensorError.self) { try PrincipalComponents.project(x, components: 0) }
        #expect(throws: TensorError.self) { try PrincipalComponents.project(x, components: 4) }
        #expect(throws: TensorError.self) { try PrincipalComponents.project(Tensor(zeros: [3]), components: 1) }
        #expect(throws: TensorError.self) { try PrincipalComponents.project(Tensor(zeros: [0, 3]), components: 1) }
        #expect(throws: TensorError.self) { try PrincipalComponents.project(Tensor(zeros: [600, 600]), components: 1) }
        // A constant matrix has no variance: scores are zero, nothing is explained, nothing traps.
        let (scores, explained) = try PrincipalComponents.project(Tensor(zeros: [5, 2]) + Tensor(1), components: 2)
        #expect(scores.scalars.allSatisfy { $0 == 0 } && explained == [0, 0])
    }
}
