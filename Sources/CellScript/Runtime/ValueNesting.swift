/// How deeply values nest, bounded.
///
/// Everything that walks a value recursively (display, type names, equality, saving a
/// session, and Swift releasing it) needs stack in proportion to its depth, and a loop such as
/// `for _ in 0..<100_000 { n = [n] }` can nest without end. So the interpreter refuses to build
/// a value nested deeper than `maximumNestingDepth`: array, dictionary and tuple literals,
/// assignments, `append`/`insert` and `reduce`'s running value are checked, which is where a
/// value can grow a level and be kept. The check walks the value with a stack of its own, never
/// recursion, and stops as soon as it has seen enough.
extension Value {
    /// Deeper than any lesson's data, shallow enough that every recursive walk is safe on any
    /// thread's stack.
    static let maximumNestingDepth = 1_000

    /// Whether the value has containers nested more than `limit` deep (a scalar is depth 0,
    /// `[1]` depth 1, `[[1]]` depth 2).
    func nestsDeeper(than limit: Int) -> Bool {
        var pending: [(value: Value, depth: Int)] = [(self, 0)]
        while let (value, depth) = pending.popLast() {
            let children: [Value]
            switch value {
            case .array(let elements): children = elements
            case .dictionary(let dictionary): children = dictionary.values
            case .tuple(let elements): children = elements.map(\.value)
            case .optional(let inner?): children = [inner]
            default: continue
            }
            guard depth < limit else { return true }
            for child in children where child.isContainer {
                pending.append((child, depth + 1))
            }
        }
        return false
    }

    private var isContainer: Bool {
        switch self {
        case .array, .dictionary, .tuple, .optional(.some): return true
        default: return false
        }
    }
}

extension Interpreter {
    /// Refuses `value` when keeping it (or putting it one level down in a new container, when
    /// `inContainer`) would nest deeper than `Value.maximumNestingDepth`.
    func checkNesting(_ value: Value, inContainer: Bool = false, at location: SourceLocation?) throws {
        let limit = Value.maximumNestingDepth - (inContainer ? 1 : 0)
        guard value.nestsDeeper(than: limit) else { return }
        throw ScriptError("this value would be nested more than \(Value.maximumNestingDepth) levels deep; "
                          + "cells may not nest arrays, dictionaries, tuples and optionals deeper", at: location)
    }
}
