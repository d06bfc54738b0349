@testable import CellScript

/// S-expressions of the cell AST, so lowering tests compare one readable string.
///
/// `(let x Int (+ 1 2))`, `(call print "a" separator:", ")`, `(if ((< a b)) (then ...) (else ...))`.
/// Locations are left out; tests that care about them read them directly.
enum ASTDump {
    static func program(_ program: CellProgram) -> String {
        program.statements.map(statement).joined(separator: " ")
    }

    static func statements(_ statements: [Statement]) -> String {
        statements.map(statement).joined(separator: " ")
    }

    static func statement(_ statement: Statement) -> String {
        switch statement.kind {
        case .expression(let expression):
            return self.expression(expression)
        case .binding(let isConstant, let pattern, let typeName, let value):
            let parts = [isConstant ? "let" : "var", self.pattern(pattern), typeName.map { ": \($0)" },
                         value.map(expression)]
            return "(" + parts.compactMap { $0 }.joined(separator: " ") + ")"
        case .function(let function):
            let parameters = function.parameters.map(parameter).joined(separator: " ")
            return list("func \(function.name) (\(parameters))", function.body)
        case .ifStatement(let conditions, let then, let otherwise):
            var text = "(if (\(self.conditions(conditions))) " + list("then", then)
            if let otherwise { text += " " + list("else", otherwise) }
            return text + ")"
        case .guardStatement(let conditions, let otherwise):
            return "(guard (\(self.conditions(conditions))) " + list("else", otherwise) + ")"
        case .whileLoop(let conditions, let body):
            return list("while (\(self.conditions(conditions)))", body)
        case .repeatWhile(let body, let condition):
            return "(repeat " + list("body", body) + " \(expression(condition)))"
        case .forIn(let pattern, let sequence, let filter, let body):
            let whereText = filter.map { " (where \(expression($0)))" } ?? ""
            return list("for \(self.pattern(pattern)) \(expression(sequence))\(whereText)", body)
        case .switchStatement(let subject, let cases):
            return "(switch \(expression(subject))" + cases.map { " " + switchCase($0) }.joined() + ")"
        case .block(let body): return list("do", body)
        case .breakStatement: return "(break)"
        case .continueStatement: return "(continue)"
        case .returnStatement(let value): return value.map { "(return \(expression($0)))" } ?? "(return)"
        }
    }

    static func expression(_ expression: Expression) -> String {
        switch expression.kind {
        case .integer(let value): return "\(value)"
        case .double(let value): return "\(value)"
        case .boolean(let value): return "\(value)"
        case .string(let value): return value.debugDescription
        case .interpolation(let parts): return "(interpolation" + parts.map { " " + part($0) }.joined() + ")"
        case .nilLiteral: return "nil"
        case .identifier(let name): return name
        case .anonymousParameter(let index): return "$\(index)"
        case .array(let elements): return "[" + elements.map(self.expression).joined(separator: " ") + "]"
        case .dictionary(let pairs):
            return "[" + pairs.map { "\(self.expression($0.key)): \(self.expression($0.value))" }
                .joined(separator: " ") + "]"
        case .tuple(let elements):
            return "(tuple" + elements.map { " " + labelled($0.label, $0.value) }.joined() + ")"
        case .prefix(let op, let operand): return "(prefix\(op) \(self.expression(operand)))"
        case .postfix(let op, let operand): return "(postfix\(op) \(self.expression(operand)))"
        case .binary(let op, let left, let right): return "(\(op) \(self.expression(left)) \(self.expression(right)))"
        case .ternary(let condition, let then, let otherwise):
            return "(?: \(self.expression(condition)) \(self.expression(then)) \(self.expression(otherwise)))"
        case .assignment(let op, let target, let value):
            return "(\(op) \(self.expression(target)) \(self.expression(value)))"
        case .call(let callee, let arguments):
            return "(call \(self.expression(callee))" + arguments.map { " " + labelled($0.label, $0.value) }.joined() + ")"
        case .member(let base, let name): return "(. \(self.expression(base)) \(name))"
        case .implicitMember(let name): return ".\(name)"
        case .subscripted(let base, let arguments):
            return "(subscript \(self.expression(base))"
                + arguments.map { " " + labelled($0.label, $0.value) }.joined() + ")"
        case .closure(let closure):
            return list("closure (\(closure.parameters.joined(separator: " ")))", closure.body)
        case .forceUnwrap(let inner): return "(! \(self.expression(inner)))"
        case .optionalChain(let inner): return "(?chain \(self.expression(inner)))"
        case .tryExpression(let kind, let inner):
            let keyword: String
            switch kind {
            case .plain: keyword = "try"
            case .optional: keyword = "try?"
            case .forced: keyword = "try!"
            }
            return "(\(keyword) \(self.expression(inner)))"
        case .typeCheck(let kind, let inner, let typeName):
            let keyword: String
            switch kind {
            case .isType: keyword = "is"
            case .asType: keyword = "as"
            case .asOptional: keyword = "as?"
            }
            return "(\(keyword) \(self.expression(inner)) \(typeName))"
        }
    }

    static func pattern(_ pattern: Pattern) -> String {
        switch pattern {
        case .name(let name): return name
        case .wildcard: return "_"
        case .tuple(let elements): return "(" + elements.map(self.pattern).joined(separator: " ") + ")"
        }
    }

    private static func conditions(_ conditions: [Condition]) -> String {
        conditions.map { condition in
            switch condition {
            case .expression(let expression): return self.expression(expression)
            case .optionalBinding(let isConstant, let name, let value):
                return "(\(isConstant ? "let" : "var")? \(name) \(self.expression(value)))"
            }
        }.joined(separator: " ")
    }

    private static func switchCase(_ switchCase: SwitchCase) -> String {
        let patterns = switchCase.patterns.map { pattern in
            switch pattern {
            case .value(let value): return expression(value)
            case .binding(let name): return "(let \(name))"
            case .wildcard: return "_"
            }
        }
        var head = switchCase.patterns.isEmpty ? "default" : "case " + patterns.joined(separator: " ")
        if let guardExpression = switchCase.guardExpression { head += " (where \(expression(guardExpression)))" }
        return list(head, switchCase.body)
    }

    private static func parameter(_ parameter: Parameter) -> String {
        let label = parameter.label ?? "_"
        let head = label == parameter.name ? label : "\(label) \(parameter.name)"
        guard let value = parameter.defaultValue else { return head }
        return "(\(head) = \(expression(value)))"
    }

    private static func part(_ part: InterpolationPart) -> String {
        switch part {
        case .text(let text): return text.debugDescription
        case .expression(let expression): return self.expression(expression)
        }
    }

    private static func labelled(_ label: String?, _ value: Expression) -> String {
        (label.map { "\($0):" } ?? "") + expression(value)
    }

    /// `(head statement statement ...)`.
    private static func list(_ head: String, _ body: [Statement]) -> String {
        "(" + ([head] + body.map(statement)).joined(separator: " ") + ")"
    }
}

/// A source string with position markers (`1️⃣`, `2️⃣`, ...), as swift-format's tests
/// write them: the text without the markers, and where each marker stood, as a
/// 1-based line and UTF-8 column shifted to start at `firstLine`.
struct MarkedSource {
    static let markers = ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣"]

    var text = ""
    var locations: [String: SourceLocation] = [:]

    init(_ marked: String, firstLine: Int = 1) {
        var line = firstLine
        var column = 1
        var rest = Substring(marked)
        while let character = rest.first {
            if let marker = Self.markers.first(where: { rest.hasPrefix($0) }) {
                locations[marker] = SourceLocation(line: line, column: column)
                rest = rest.dropFirst(marker.count)
                continue
            }
            text.append(character)
            if character == "\n" {
                line += 1
                column = 1
            } else {
                column += String(character).utf8.count
            }
            rest = rest.dropFirst()
        }
    }

    subscript(marker: String) -> SourceLocation {
        locations[marker] ?? SourceLocation(line: 0, column: 0)
    }
}
