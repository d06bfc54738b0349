/// Reads a cell's leading `//| key: value` lines into `CellOptions`. Options end at the first line
/// that is not an option line (a blank line included); later `//|` lines are ordinary code.
struct CellOptionsParser {
    /// The options, the code that follows them, how many lines the options took, and warnings.
    struct Result {
        var options = CellOptions()
        var source: String
        var optionLineCount = 0
        var warnings: [NotebookWarning] = []
    }

    /// The prefix that marks an option line.
    static let marker = "//|"

    /// Parses the code of a cell whose first code line is file line `firstLine`.
    static func parse(code: String, firstLine: Int) -> Result {
        let lines = code.split(separator: "\n", omittingEmptySubsequences: false)
        var result = Result(source: "")
        var index = 0
        while index < lines.count {
            let trimmed = lines[index].trimmingWhitespace()
            guard trimmed.hasPrefix(marker) else { break }
            let line = firstLine + index
            let body = trimmed.dropFirst(marker.count).trimmingWhitespace()
            if let colon = body.firstIndex(of: ":") {
                let key = String(body[..<colon].trimmingWhitespace())
                let value = String(body[body.index(after: colon)...].trimmingWhitespace())
                apply(key: key, value: value, line: line, to: &result)
            } else if !body.isEmpty {
                result.warnings.append(NotebookWarning(
                    "cell option is not `key: value`: \(body)", line: line))
            }
            index += 1
        }
        result.optionLineCount = index
        result.source = lines[index...].joined(separator: "\n")
        return result
    }

    private static func apply(key: String, value: String, line: Int, to result: inout Result) {
        func flag(_ set: (inout CellOptions, Bool) -> Void) {
            switch value.lowercased() {
            case "true", "yes": set(&result.options, true)
            case "false", "no": set(&result.options, false)
            default:
                result.warnings.append(NotebookWarning(
                    "cell option `\(key)` must be true or false, not `\(value)`", line: line))
            }
        }
        switch key {
        case "label":
            if value.isEmpty {
                result.warnings.append(NotebookWarning("cell option `label` is empty", line: line))
            } else {
                result.options.label = value
            }
        case "echo": flag { $0.echo = $1 }
        case "eval": flag { $0.eval = $1 }
        case "output": flag { $0.output = $1 }
        case "error":
            switch value.lowercased() {
            case "allow", "true": result.options.error = .allow
            case "expected": result.options.error = .expected
            case "stop", "false": result.options.error = .stop
            default:
                result.warnings.append(NotebookWarning(
                    "cell option `error` must be allow, expected or stop, not `\(value)`", line: line))
            }
        case "timeout":
            if let seconds = Double(value), seconds > 0, seconds.isFinite {
                result.options.timeoutSeconds = seconds
            } else {
                result.warnings.append(NotebookWarning(
                    "cell option `timeout` must be a positive number of seconds, not `\(value)`",
                    line: line))
            }
        default:
            result.options.unknown.append(CellOptions.UnknownOption(key: key, value: value, line: line))
            result.warnings.append(NotebookWarning(
                "unknown cell option `\(key)` (known: label, echo, eval, output, error, timeout)",
                line: line))
        }
    }
}
