/// How deeply values nest and how many elements they hold in all, bounded.
///
/// Everything that walks a value (display, type names, equality, snapshots, saving a session,
/// and Swift freeing it) needs stack in proportion to its depth and time in proportion to all
/// the elements it reaches. A loop can grow either without end at little cost: `n = [n]` nests
/// a level per turn, and `a.append(a)` doubles what `a` reaches per turn while sharing storage
/// (forty turns reach a trillion elements in a few kilobytes). So the interpreter refuses to
/// keep a value nested deeper than `maximumNestingDepth` or reaching more than
/// `maximumReachableElements` elements: array, dictionary and tuple literals, assignments,
/// `append`/`insert`, `Array(repeating:count:)` and `reduce`'s running value are checked, which
/// is where a value can grow and be kept. The measure walks the value with a stack of its own,
/// never recursion, and visits shared storage once.
extension Value {
    /// Deeper than any lesson's data, shallow enough that every recursive walk is safe on any
    /// thread's stack.
    static let maximumNestingDepth = 1_000
    /// Elements a value may reach, counting shared storage as often as it is reached.
    static let maximumReachableElements = Interpreter.maximumCollectionSize

    /// The depth (a scalar is 0, `[1]` 1, `[[1]]` 2) and the elements reached (each container's
    /// elements, counted once per path), each capped just past its maximum.
    func reach() -> (depth: Int, elements: Int) {
        guard isContainer else { return (0, 0) }
        let depthCap = Self.maximumNestingDepth + 1
        let elementCap = Self.maximumReachableElements + 1
        var measured: [UnsafeRawPointer: (depth: Int, elements: Int)] = [:]
        // A container is pushed twice: first to push the containers among its elements, then
        // (with their count) to combine what they measured. Scalars are counted, not pushed.
        var pending: [Frame] = [Frame(value: self, containers: -1)]
        var depths: [Int] = []
        var counts: [Int] = []
        while let frame = pending.popLast() {
            guard let children = frame.value.children else { continue }
            // Only storage with two or more elements can be reached by many paths at once and
            // multiply the work; a chain of one-element containers is walked once anyway.
            let identity = children.values.count > 1 ? children.identity : nil
            if frame.containers < 0 {
                if let identity, let known = measured[identity] {
                    depths.append(known.depth)
                    counts.append(known.elements)
                    continue
                }
                let first = pending.count
                for child in children.values where child.isContainer {
                    pending.append(Frame(value: child, containers: -1))
                }
                pending.insert(Frame(value: frame.value, containers: pending.count - first), at: first)
                continue
            }
            var depth = 1
            var elements = children.values.count
            for _ in 0..<frame.containers {
                depth = Swift.max(depth, 1 + (depths.popLast() ?? 0))
                elements = Swift.min(elements + (counts.popLast() ?? 0), elementCap)
            }
            depth = Swift.min(depth, depthCap)
            if let identity { measured[identity] = (depth, elements) }
            if depth >= depthCap || elements >= elementCap { return (depth, elements) }
            depths.append(depth)
            counts.append(elements)
        }
        return (depths.last ?? 0, counts.last ?? 0)
    }

    private struct Frame {
        let value: Value
        /// -1 before the elements are looked at; then how many of them are containers.
        let containers: Int
    }

    /// A container's elements and the identity of their storage (nil when it has none).
    private var children: (values: [Value], identity: UnsafeRawPointer?)? {
        switch self {
        case .array(let elements): return (elements, Self.identity(of: elements))
        case .dictionary(let dictionary): return (dictionary.values, Self.identity(of: dictionary.values))
        case .tuple(let elements): return (elements.map(\.value), Self.identity(of: elements))
        case .optional(let inner?): return ([inner], nil)
        default: return nil
        }
    }

    private var isContainer: Bool {
        switch self {
        case .array, .dictionary, .tuple, .optional(.some): return true
        default: return false
        }
    }

    /// Calls `visit` with every object `values` hold, at any depth, until it returns false.
    /// Storage shared by many paths (`Array(repeating: row, count: n)`) is looked into once:
    /// what it holds is the same each time, and walking every path can cost far more than the
    /// value's memory.
    static func forEachObject(in values: [Value], _ visit: (any ScriptObject) -> Bool) {
        var pending = values
        var walked = Set<UnsafeRawPointer>()
        func firstVisit<Element>(_ elements: [Element]) -> Bool {
            guard elements.count > 1, let identity = identity(of: elements) else { return true }
            return walked.insert(identity).inserted
        }
        while let value = pending.popLast() {
            switch value {
            case .array(let elements): if firstVisit(elements) { pending += elements }
            case .dictionary(let dictionary): if firstVisit(dictionary.values) { pending += dictionary.values }
            case .tuple(let elements): if firstVisit(elements) { pending += elements.map(\.value) }
            case .optional(let inner): if let inner { pending.append(inner) }
            case .object(let object): if !visit(object) { return }
            case .int, .double, .bool, .string, .range, .function, .builtin, .enumCase: continue
            }
        }
    }

    /// Where `array`'s elements are stored: the same for every copy that shares them.
    static func identity<Element>(of array: [Element]) -> UnsafeRawPointer? {
        array.withUnsafeBufferPointer { $0.baseAddress.map(UnsafeRawPointer.init) }
    }
}

extension Interpreter {
    /// Refuses `value` when keeping it (or putting it one level down in a new container, when
    /// `inContainer`) would nest deeper than `Value.maximumNestingDepth` or reach more than
    /// `Value.maximumReachableElements` elements.
    func checkNesting(_ value: Value, inContainer: Bool = false, at location: SourceLocation?) throws {
        let (depth, elements) = value.reach()
        if depth + (inContainer ? 1 : 0) > Value.maximumNestingDepth {
            throw ScriptError("this value would be nested more than \(Value.maximumNestingDepth) levels deep; "
                              + "cells may not nest arrays, dictionaries, tuples and optionals deeper", at: location)
        }
        if elements + (inContainer ? 1 : 0) > Value.maximumReachableElements {
            throw ScriptError("this value would hold more than \(Value.maximumReachableElements) elements in all "
                              + "(counting every array inside it each time it appears)", at: location)
        }
    }
}
