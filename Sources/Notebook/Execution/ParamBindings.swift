/// Turns notebook params into the source of a cell that defines them as globals, so a
/// lesson can write `for epoch in 1...epochs` and a `--param epochs=1` shortens it.
enum ParamBindings {
    /// Front matter defaults in declaration order, with the caller's overrides applied.
    /// Overrides for names the notebook does not declare come back as warnings.
    static func resolve(_ params: [NotebookParam], overrides: [String: String])
        -> (values: [(name: String, value: String)], warnings: [String]) {
        let values = params.map { param in (name: param.name, value: overrides[param.name] ?? param.defaultValue) }
        let declared = Set(params.map(\.name))
        let warnings = overrides.keys.filter { !declared.contains($0) }.sorted().map { name in
            "--param \(name): the notebook declares no param named '\(name)'; it was ignored"
        }
        return (values, warnings)
    }

    /// `let name = literal` lines: integers, decimals and `true`/`false` as such, anything
    /// else as a string.
    static func source(for values: [(name: String, value: String)]) -> String {
        values.map { "let \($0.name) = \(literal($0.value))" }.joined(separator: "\n")
    }

    static func literal(_ text: String) -> String {
        let trimmed = String(text.trimmingWhitespace())
        // Re-spelled by Swift so `+3` or `.5` become literals the cell parser accepts.
        if let integer = Int(trimmed) { return String(integer) }
        if let number = Double(trimmed), number.isFinite,
           trimmed.allSatisfy({ "0123456789.eE+-".contains($0) }) {
            return number.description
        }
        if trimmed == "true" || trimmed == "false" { return trimmed }
        return stringLiteral(text)
    }

    private static func stringLiteral(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            case "\t": escaped += "\\t"
            case "\r": escaped += "\\r"
            default: escaped.append(character)
            }
        }
        return "\"" + escaped + "\""
    }
}
