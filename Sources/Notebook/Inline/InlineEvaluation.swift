import CellScript
import Foundation

extension InlineExpression {
    /// What `lesson check` reports before anything runs: syntax errors, a malformed format.
    public var problems: [CellDiagnostic] {
        if case .failure(let failure) = InlineEvaluation.parse(self) { return failure.diagnostics }
        return []
    }
}

/// Parsing and evaluating inline expressions (`InlineExpression`).
enum InlineEvaluation {
    /// The call an inline expression's code is parsed as, so `expr, format: "%.3f"` is read
    /// by the cell parser like any argument list.
    private static let wrapper = "lessonInlineValue("

    /// The expression and its format, or located diagnostics: syntax errors, more than one
    /// expression, a label other than `format:`, a format that is not a string literal or not
    /// one number conversion.
    static func parse(_ inline: InlineExpression) -> Result<(expression: CellScript.Expression, format: String?), CellFailure> {
        let location = SourceLocation(line: inline.line, column: inline.column)
        func failure(_ message: String) -> Result<(expression: CellScript.Expression, format: String?), CellFailure> {
            .failure(CellFailure([CellDiagnostic(.unsupported, message, at: location)]))
        }
        guard !inline.code.isEmpty else { return failure("an inline value needs an expression after {swift}") }
        let shift = inline.column - 1 - wrapper.utf8.count
        let program: CellProgram
        do {
            program = try CellParser.parse(wrapper + inline.code + ")", firstLine: inline.line, columnShifts: [shift])
        } catch {
            // The first error only, without notes: later ones and notes tend to be about the
            // call the code is wrapped in, which the writer never typed.
            guard var first = error.diagnostics.first else { return .failure(error) }
            first.notes = []
            return .failure(CellFailure([first]))
        }
        guard program.statements.count == 1, case .expression(let call) = program.statements[0].kind,
              case .call(let callee, let arguments) = call.kind, case .identifier = callee.kind,
              let first = arguments.first, first.label == nil, arguments.count <= 2 else {
            return failure("an inline value is one expression, optionally followed by `, format: \"%.3f\"`")
        }
        guard arguments.count == 2 else { return .success((first.value, nil)) }
        guard arguments[1].label == "format", case .string(let format) = arguments[1].value.kind else {
            return failure("after the expression an inline value takes only `format:` with a string literal, e.g. format: \"%.3f\"")
        }
        if let problem = NumberFormat.problem(in: format) { return failure("format \"\(format)\": \(problem)") }
        return .success((first.value, format))
    }

    /// The value as the sentence shows it: a number as a cell shows it, a string without
    /// quotes, or the number formatted.
    static func text(of value: Value, format: String?) throws -> String {
        if let format {
            switch value {
            case .int(let number):
                return NumberFormat.isInteger(format) ? String(format: format, number) : String(format: format, Double(number))
            case .double(let number):
                guard !NumberFormat.isInteger(format) else {
                    throw ScriptError("format \"\(format)\" is for an Int, but the value is a Double; use %.0f")
                }
                return String(format: format, number)
            default:
                throw ScriptError("format: needs a number, but the value is \(value.typeName)")
            }
        }
        if case .string(let text) = value { return text }
        return value.displayText
    }
}

/// The `printf` formats an inline value accepts: text with exactly one conversion of a number
/// (`d`, `i`, `f`, `e`, `g` and capitals, with flags, width and precision) and `%%`. Anything
/// else (`%@`, `%n`, `%s`, two conversions) could read or write memory that is not there.
enum NumberFormat {
    /// The conversion letter of `format`, or why the format is refused.
    static func conversion(in format: String) -> Result<UInt8, FormatProblem> {
        var found: [UInt8] = []
        var characters = Array(format.utf8)[...]
        while let first = characters.popFirst() {
            guard first == UInt8(ascii: "%") else { continue }
            if characters.first == UInt8(ascii: "%") {
                characters.removeFirst()
                continue
            }
            while let c = characters.first, "-+ 0#".utf8.contains(c) { characters.removeFirst() }
            var digits = 0
            while let c = characters.first, (48...57).contains(c) { characters.removeFirst(); digits += 1 }
            if characters.first == UInt8(ascii: ".") {
                characters.removeFirst()
                while let c = characters.first, (48...57).contains(c) { characters.removeFirst(); digits += 1 }
            }
            guard digits <= 4, let conversion = characters.popFirst(), "diFfeEgG".utf8.contains(conversion) else {
                return .failure(FormatProblem("only a number conversion is allowed (%d, %.3f, %e, %g, with flags and width)"))
            }
            found.append(conversion)
        }
        guard found.count == 1, let conversion = found.first else {
            return .failure(FormatProblem("it needs exactly one number conversion, e.g. %.3f"))
        }
        return .success(conversion)
    }

    static func problem(in format: String) -> String? {
        if case .failure(let problem) = conversion(in: format) { return problem.message }
        return nil
    }

    /// Whether the format's one conversion takes an integer (`d`, `i`).
    static func isInteger(_ format: String) -> Bool {
        guard case .success(let conversion) = conversion(in: format) else { return false }
        return conversion == UInt8(ascii: "d") || conversion == UInt8(ascii: "i")
    }
}

struct FormatProblem: Error {
    let message: String

    init(_ message: String) {
        self.message = message
    }
}
