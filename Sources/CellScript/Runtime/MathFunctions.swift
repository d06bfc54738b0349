import Foundation

/// `sqrt`, `exp`, `log`, `pow`, `sin`, `cos`, `tanh`, `floor`, `ceil`, `round`, and
/// `stride(from:to:by:)`. They take Doubles; an Int argument is accepted as an
/// integer literal would be in Swift.
enum MathFunctions {
    static func register(into registry: inout BuiltinRegistry) {
        let unary: [(String, (Double) -> Double)] = [
            ("sqrt", { sqrt($0) }), ("exp", { exp($0) }), ("log", { log($0) }),
            ("log2", { log2($0) }), ("log10", { log10($0) }), ("sin", { sin($0) }),
            ("cos", { cos($0) }), ("tan", { tan($0) }), ("tanh", { tanh($0) }),
            ("floor", { floor($0) }), ("ceil", { ceil($0) }), ("round", { $0.rounded() }),
        ]
        for (name, function) in unary {
            registry.function(name) { arguments, _ in
                .double(function(try arguments.bind(["_"])[0].asDouble("\(name)(_:)")))
            }
        }
        registry.function("pow") { arguments, _ in
            let values = try arguments.bind(["_", "_"])
            let base = try values[0].asDouble("base")
            let exponent = try values[1].asDouble("exponent")
            return .double(pow(base, exponent))
        }
    }

    /// `stride(from:to:by:)` and `stride(from:through:by:)`, as an array (Ints stay Ints).
    static func stride(_ arguments: Arguments, _ context: any ScriptContext) throws -> Value {
        let isClosed = arguments.labels == ["from", "through", "by"]
        let values = try arguments.bind(["from", isClosed ? "through" : "to", "by"])
        if case .int(let start) = values[0], case .int(let end) = values[1], case .int(let step) = values[2] {
            guard step != 0 else { throw ScriptError("stride needs a non-zero step") }
            let count = try strideCount(Double(start), Double(end), Double(step))
            try context.checkpoint(steps: count / 16)
            return .array(integerStride(from: start, to: end, by: step, isClosed: isClosed).map(Value.int))
        }
        let start = try values[0].asDouble("from")
        let end = try values[1].asDouble(isClosed ? "through" : "to")
        let step = try values[2].asDouble("by")
        guard step != 0, step.isFinite, start.isFinite, end.isFinite else {
            throw ScriptError("stride needs finite bounds and a non-zero finite step")
        }
        let count = try strideCount(start, end, step)
        try context.checkpoint(steps: count / 16)
        let sequence: [Double] = isClosed
            ? Array(Swift.stride(from: start, through: end, by: step))
            : Array(Swift.stride(from: start, to: end, by: step))
        return .array(sequence.map(Value.double))
    }

    /// Written out with overflow checks: near `Int.max` the next value must end the walk, not trap.
    private static func integerStride(from start: Int, to end: Int, by step: Int, isClosed: Bool) -> [Int] {
        var values: [Int] = []
        var current = start
        while step > 0 ? (isClosed ? current <= end : current < end) : (isClosed ? current >= end : current > end) {
            values.append(current)
            let (next, overflow) = current.addingReportingOverflow(step)
            if overflow { break }
            current = next
        }
        return values
    }

    private static func strideCount(_ start: Double, _ end: Double, _ step: Double) throws -> Int {
        let estimate = ((end - start) / step).magnitude
        guard estimate <= Double(Interpreter.maximumCollectionSize) else {
            throw ScriptError("stride would make more than \(Interpreter.maximumCollectionSize) elements")
        }
        return Int(estimate)
    }
}
