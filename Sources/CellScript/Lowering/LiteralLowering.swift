import SwiftSyntax

/// Number, string, dictionary and tuple literals.
extension Lowerer {
    /// `42`, `0xFF`, `1_000`; with `negatedBy` the `-` written before it, so that
    /// `-9223372036854775808` is `Int.min` rather than an overflow, as in Swift.
    func lowerInteger(_ node: IntegerLiteralExprSyntax, negatedBy minus: TokenSyntax?) -> Expression {
        let at = minus.map { location(of: $0) } ?? location(of: node)
        let text = node.literal.text
        let digits = text.dropFirst(node.radix == .decimal ? 0 : 2).filter { $0 != "_" }
        guard let value = Int((minus == nil ? "" : "-") + digits, radix: node.radix.size) else {
            let written = (minus == nil ? "" : "-") + text
            reportInvalid("integer literal '\(written)' overflows when stored into 'Int'", at: minus ?? node.literal)
            return Expression(.integer(0), at: at)
        }
        return Expression(.integer(value), at: at)
    }

    /// `3.14`, `1e-3`, `0x1p4`.
    func lowerFloat(_ node: FloatLiteralExprSyntax, negatedBy minus: TokenSyntax?) -> Expression {
        let at = minus.map { location(of: $0) } ?? location(of: node)
        guard let value = node.representedLiteralValue, value.isFinite else {
            reportInvalid("floating-point literal '\(node.literal.text)' is not a finite Double", at: node.literal)
            return Expression(.double(0), at: at)
        }
        return Expression(.double(minus == nil ? value : -value), at: at)
    }

    /// Plain, raw (`#"..."#`) and multi-line strings, with escapes resolved;
    /// `"a \(b) c"` becomes the text and expression parts in order.
    func lowerString(_ node: StringLiteralExprSyntax) -> Expression {
        let at = location(of: node)
        var parts: [InterpolationPart] = []
        var text = ""
        var hasInterpolation = false
        for segment in node.segments {
            switch segment {
            case .stringSegment(let piece):
                text += unescaped(piece, in: node)
            case .expressionSegment(let piece):
                hasInterpolation = true
                if !text.isEmpty { parts.append(.text(text)) }
                text = ""
                parts.append(.expression(lowerInterpolated(piece)))
            }
        }
        guard hasInterpolation else { return Expression(.string(text), at: at) }
        if !text.isEmpty { parts.append(.text(text)) }
        return Expression(.interpolation(parts), at: at)
    }

    /// swift-syntax resolves escapes (and multi-line indentation) for whole literals
    /// only, so each text segment is put alone into a copy of its literal.
    private func unescaped(_ segment: StringSegmentSyntax, in literal: StringLiteralExprSyntax) -> String {
        let alone = literal.with(\.segments, StringLiteralSegmentListSyntax([.stringSegment(segment)]))
        return alone.representedLiteralValue ?? segment.content.text
    }

    private func lowerInterpolated(_ segment: ExpressionSegmentSyntax) -> Expression {
        guard segment.expressions.count == 1, let only = segment.expressions.first, only.label == nil else {
            reject(.interpolationArguments, at: segment)
            return placeholder(at: segment)
        }
        return lowerExpression(only.expression)
    }

    /// `[:]` and `["a": 1, "b": 2]`.
    func lowerDictionary(_ node: DictionaryExprSyntax) -> Expression {
        var pairs: [(key: Expression, value: Expression)] = []
        if case .elements(let elements) = node.content {
            pairs = elements.map { (key: lowerExpression($0.key), value: lowerExpression($0.value)) }
        }
        return Expression(.dictionary(pairs), at: location(of: node))
    }

    /// `(a, b)`, `(x: 1, y: 2)`, `()`; `(a)` is just `a`.
    func lowerTuple(_ node: TupleExprSyntax) -> Expression {
        if node.elements.count == 1, let only = node.elements.first, only.label == nil {
            return lowerExpression(only.expression)
        }
        let elements = node.elements.map { element in
            (label: element.label.map { spelling(of: $0) }, value: lowerExpression(element.expression))
        }
        return Expression(.tuple(elements), at: location(of: node))
    }
}
