/// Reads the optional front matter between leading `---` lines: simple `key: value` lines and a
/// `params:` key followed by indented `name: default` lines. Not YAML: anything else it does not
/// understand becomes a warning with its line, never a failure.
struct FrontMatterParser {
    /// What the front matter said, and how many file lines it took (0 when there is none).
    struct Result {
        var title: String?
        var author: String?
        var params: [NotebookParam] = []
        var dataDirectory: String?
        var allowRawHTML = false
        var lineCount = 0
        var warnings: [NotebookWarning] = []
    }

    /// Parses front matter at the start of `lines` (1-based file line `i + 1` is `lines[i]`).
    static func parse(_ lines: [Substring]) -> Result {
        var result = Result()
        guard let first = lines.first, isDelimiter(first) else { return result }
        guard let closing = lines.indices.dropFirst().first(where: { isDelimiter(lines[$0]) }) else {
            result.warnings.append(NotebookWarning(
                "front matter opened with `---` is never closed; the file is read as Markdown", line: 1))
            return result
        }
        result.lineCount = closing + 1
        var inParams = false
        for index in 1..<closing {
            let line = lines[index]
            let lineNumber = index + 1
            let trimmed = line.trimmingWhitespace()
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let (key, value) = keyValue(trimmed) else {
                result.warnings.append(NotebookWarning(
                    "front matter line is not `key: value`: \(trimmed)", line: lineNumber))
                continue
            }
            let indented = line.first == " " || line.first == "\t"
            if indented && inParams {
                if result.params.contains(where: { $0.name == key }) {
                    result.warnings.append(NotebookWarning(
                        "parameter `\(key)` is declared twice; the later default wins", line: lineNumber))
                    result.params.removeAll { $0.name == key }
                }
                result.params.append(NotebookParam(name: key, defaultValue: value, line: lineNumber))
                continue
            }
            inParams = false
            apply(key: key, value: value, line: lineNumber, indented: indented, to: &result)
            if key == "params" { inParams = true }
        }
        return result
    }

    private static func apply(key: String, value: String, line: Int, indented: Bool,
                              to result: inout Result) {
        if indented {
            result.warnings.append(NotebookWarning(
                "indented front matter line `\(key)` belongs to no `params:` key", line: line))
            return
        }
        switch key {
        case "title": result.title = value
        case "author": result.author = value
        case "data", "data-directory", "dataDirectory": result.dataDirectory = value
        case "allow-raw-html", "allowRawHTML":
            switch value.lowercased() {
            case "true", "yes": result.allowRawHTML = true
            case "false", "no": result.allowRawHTML = false
            default:
                result.warnings.append(NotebookWarning(
                    "`\(key)` must be true or false, not `\(value)`", line: line))
            }
        case "params":
            if !value.isEmpty {
                result.warnings.append(NotebookWarning(
                    "`params:` takes indented `name: default` lines below it, not a value", line: line))
            }
        default:
            result.warnings.append(NotebookWarning("unknown front matter key `\(key)`", line: line))
        }
    }

    private static func isDelimiter(_ line: Substring) -> Bool {
        line.trimmingWhitespace() == "---"
    }

    /// Splits `key: value`, unquoting a value in matching single or double quotes.
    private static func keyValue(_ line: Substring) -> (String, String)? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let key = line[..<colon].trimmingWhitespace()
        guard !key.isEmpty, !key.contains(" ") else { return nil }
        var value = line[line.index(after: colon)...].trimmingWhitespace()
        if value.count >= 2, let quote = value.first, quote == "\"" || quote == "'", value.last == quote {
            value = value.dropFirst().dropLast()
        }
        return (String(key), String(value))
    }
}
