import Foundation
import Tensor

/// numpy as the reference for tensor math: arrays go in as JSON, a script
/// computes named results with numpy, and they come back as `Tensor`s.
public enum Numpy {
    /// Runs `script` with each input bound to a float32 numpy array of its name and shape,
    /// then returns every entry of the dict `out` that the script fills (`out["y"] = a @ b`),
    /// converted to float32.
    /// - Throws: `Python.Failure` when the script fails, or a decoding error.
    public static func evaluate(_ script: String, inputs: [String: Tensor]) throws -> [String: Tensor] {
        var payload: [String: Any] = [:]
        for (name, tensor) in inputs {
            payload[name] = ["shape": tensor.shape, "data": tensor.scalars.map { Double($0) }]
        }
        let input = try JSONSerialization.data(withJSONObject: payload)
        let program = """
            import json, sys
            import numpy as np
            _inputs = json.load(sys.stdin)
            for _name, _value in _inputs.items():
                globals()[_name] = np.array(_value["data"], dtype=np.float32).reshape(_value["shape"])
            out = {}
            \(script.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n"))
            print(json.dumps({k: {"shape": list(np.shape(v)), "data": [float(x) for x in np.asarray(v, dtype=np.float32).ravel()]} for k, v in out.items()}))
            """
        let output = try Python.run(program, stdin: input)
        guard let object = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: [String: Any]] else {
            throw Python.Failure.script(status: 0, stderr: "unexpected output: \(output.prefix(200))")
        }
        var results: [String: Tensor] = [:]
        for (name, entry) in object {
            let shape = (entry["shape"] as? [Int]) ?? []
            let data = ((entry["data"] as? [Double]) ?? []).map { Float($0) }
            results[name] = try Tensor(shape: shape, scalars: data)
        }
        return results
    }
}

/// Elementwise closeness in the numpy sense: |a - b| <= atol + rtol * |b|.
public func allClose(_ a: Tensor, _ b: Tensor, rtol: Float = 1e-5, atol: Float = 1e-6) -> Bool {
    guard a.shape == b.shape else { return false }
    return zip(a.scalars, b.scalars).allSatisfy { x, y in
        (x.isNaN && y.isNaN) || x == y || abs(x - y) <= atol + rtol * abs(y)
    }
}
