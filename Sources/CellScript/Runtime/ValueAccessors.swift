/// Typed access for built-ins: each accessor names what it wanted and what it got,
/// so a wrong argument reads "batchSize: expected Int, got String".
extension Value {
    public func asInt(_ what: String) throws -> Int {
        if case .int(let number) = self { return number }
        throw mismatch(what, expected: "Int")
    }

    /// Accepts an Int too, as an integer literal adopts Double in Swift.
    public func asDouble(_ what: String) throws -> Double {
        switch self {
        case .double(let number): return number
        case .int(let number): return Double(number)
        default: throw mismatch(what, expected: "Double")
        }
    }

    public func asBool(_ what: String) throws -> Bool {
        if case .bool(let flag) = self { return flag }
        throw mismatch(what, expected: "Bool")
    }

    public func asString(_ what: String) throws -> String {
        if case .string(let text) = self { return text }
        throw mismatch(what, expected: "String")
    }

    public func asArray(_ what: String) throws -> [Value] {
        if case .array(let elements) = self { return elements }
        throw mismatch(what, expected: "Array")
    }

    /// An array of Ints (a shape, a list of word ids).
    public func asIntArray(_ what: String) throws -> [Int] {
        let elements = try asArray(what)
        return try elements.enumerated().map { index, element in
            try element.asInt("\(what)[\(index)]")
        }
    }

    /// The engine object of type `T` held by this value.
    public func asObject<T>(_ type: T.Type, _ what: String) throws -> T {
        if case .object(let object) = self, let typed = object as? T { return typed }
        throw mismatch(what, expected: "\(T.self)")
    }

    /// A function, closure or built-in: something a call can run.
    public var isCallable: Bool {
        switch self {
        case .function, .builtin: return true
        default: return false
        }
    }

    /// `what: expected X, got Y` as a script error.
    public func mismatch(_ what: String, expected: String) -> ScriptError {
        ScriptError("\(what): expected \(expected), got \(typeName)")
    }
}
