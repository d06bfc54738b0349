import CellScript

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
            let text = lines[index]
            let body = trimmed.dropFirst(marker.count).trimmingWhitespace()
            // Columns count characters from the line's start (the slices share its indices).
            func column(_ position: Substring.Index) -> Int { text.distance(from: text.startIndex, to: position) + 1 }
            if let colon = body.firstIndex(of: ":") {
                let keyText = body[..<colon].trimmingWhitespace()
                let valueText = body[body.index(after: colon)...].trimmingWhitespace()
                let at = OptionColumns(key: column(keyText.startIndex),
                                       value: valueText.isEmpty ? column(colon) + 1 : column(valueText.startIndex))
                apply(key: String(keyText), value: String(valueText), line: line, columns: at, to: &result)
            } else if !body.isEmpty {
                result.warnings.append(NotebookWarning(
                    "cell option is not `key: value`: \(body)", line: line, column: column(body.startIndex)))
            }
            index += 1
        }
        result.optionLineCount = index
        result.source = lines[index...].joined(separator: "\n")
        // Hidden checks are for grading, which judges exercises only; and a hidden check is
        // filtered out of what students see where exercises are shown, nowhere else.
        if !result.options.solution {
            for check in result.options.checks where check.hidden {
                result.warnings.append(NotebookWarning(
                    "`hidden-check` belongs on a solution cell (`//| solution: true`), where grading runs it; "
                        + "it is ignored here", line: check.line, column: check.column))
            }
            result.options.checks.removeAll(where: \.hidden)
        }
        return result
    }

    /// Where an option line's key and value start.
    private struct OptionColumns {
        var key: Int
        var value: Int
    }

    /// The keys `apply` understands, in the order the unknown-option warning lists them.
    static let knownKeys = ["label", "echo", "eval", "output", "error", "timeout", "solution", "check", "hidden-check",
                            "points", "alt", "exercise", "slide"]

    /// The most points an exercise or a check may be worth: enough for any grading scheme, and
    /// small enough that a class's totals stay whole numbers a gradebook can print.
    static let maxPoints = 1_000_000

    /// `text` as points: a number from 0 to `maxPoints`; nil otherwise.
    private static func pointValue(_ text: String) -> Double? {
        guard let value = Double(text), value >= 0, value <= Double(maxPoints) else { return nil }
        return value
    }

    /// A check is kept even when it does not parse: running it then fails with the same error, so
    /// a broken check can never pass silently. An empty one is dropped (there is nothing to run).
    private static func addCheck(_ written: String, hidden: Bool, line: Int, column: Int, to result: inout Result) {
        // `EXPR, points: N` at the end gives the check its own share of the exercise's points.
        var expression = written
        var points: Double?
        if let match = written.range(of: #",\s*points:\s*[^,]*$"#, options: .regularExpression) {
            let number = written[match].drop { $0 != ":" }.dropFirst().trimmingWhitespace()
            if let value = pointValue(String(number)) {
                points = value
                expression = String(written[..<match.lowerBound].trimmingWhitespace())
            } else {
                result.warnings.append(NotebookWarning(
                    "a check's `points` must be a number from 0 to \(maxPoints), not `\(number)`", line: line, column: column))
            }
        }
        guard !expression.isEmpty else {
            result.warnings.append(NotebookWarning(
                "cell option `check` is empty; write a condition, e.g. `//| check: total == 10`", line: line,
                column: column))
            return
        }
        result.options.checks.append(CellCheck(expression: expression, line: line, column: column, points: points,
                                               hidden: hidden))
        do {
            _ = try CellParser.parseCheck(expression, line: line, column: column)
        } catch {
            let first = error.diagnostics.first
            result.warnings.append(NotebookWarning(
                "cell option `check` is not a Swift expression: \(first?.message ?? "it does not parse")",
                line: line, column: first?.location?.column ?? column))
        }
    }

    private static func apply(key: String, value: String, line: Int, columns: OptionColumns,
                              to result: inout Result) {
        func flag(_ set: (inout CellOptions, Bool) -> Void) {
            switch value.lowercased() {
            case "true", "yes": set(&result.options, true)
            case "false", "no": set(&result.options, false)
            default:
                result.warnings.append(NotebookWarning(
                    "cell option `\(key)` must be true or false, not `\(value)`", line: line, column: columns.value))
            }
        }
        switch key {
        case "label":
            if value.isEmpty {
                result.warnings.append(NotebookWarning("cell option `label` is empty", line: line, column: columns.value))
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
                    "cell option `error` must be allow, expected or stop, not `\(value)`", line: line,
                    column: columns.value))
            }
        case "timeout":
            if let seconds = Double(value), seconds > 0, seconds.isFinite {
                result.options.timeoutSeconds = seconds
            } else {
                result.warnings.append(NotebookWarning(
                    "cell option `timeout` must be a positive number of seconds, not `\(value)`",
                    line: line, column: columns.value))
            }
        case "solution": flag { $0.solution = $1 }
        case "slide": flag { $0.slide = $1 }
        case "exercise":
            if let number = Int(value), number >= 1 {
                result.options.exercise = number
            } else {
                result.warnings.append(NotebookWarning(
                    "cell option `exercise` must be a whole number from 1, not `\(value)`", line: line,
                    column: columns.value))
            }
        case "check", "hidden-check":
            addCheck(value, hidden: key == "hidden-check", line: line, column: columns.value, to: &result)
        case "alt":
            if value.isEmpty {
                result.warnings.append(NotebookWarning("cell option `alt` is empty: say what the figure shows", line: line,
                                                       column: columns.value))
            } else {
                result.options.alt = value
            }
        case "points":
            if let points = pointValue(value) {
                result.options.points = points
            } else {
                result.warnings.append(NotebookWarning(
                    "cell option `points` must be a number from 0 to \(maxPoints), not `\(value)`", line: line,
                    column: columns.value))
            }
        default:
            result.options.unknown.append(CellOptions.UnknownOption(key: key, value: value, line: line))
            result.warnings.append(NotebookWarning(
                "unknown cell option `\(key)` (known: \(knownKeys.joined(separator: ", ")))",
                line: line, column: columns.key))
        }
    }
}
