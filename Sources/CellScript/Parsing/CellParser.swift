import SwiftDiagnostics
import SwiftOperators
import SwiftParser
import SwiftParserDiagnostics
import SwiftSyntax

/// Turns one cell's text into a `CellProgram`, or into every problem found in it.
///
/// Three steps, each reporting all it finds before the cell is given up on:
/// swift-syntax parses the text (its diagnostics are the syntax errors a student
/// sees, as the compiler would show them); `SwiftOperators` folds the operator
/// sequences by Swift's precedence rules; `Lowerer` converts the folded tree to the
/// cell AST, naming each construct the interpreter does not run. A tree with syntax
/// errors is never lowered: its recovered parts (missing tokens, skipped text) would
/// only produce confusing follow-up errors. Guards keep pathological cells from hanging or
/// exhausting the stack: `NestingGuard` before parsing, a limit on the tree's depth right after
/// it (checked without recursion), `LongExpressionFinder` before folding; and all of it runs on
/// a thread with a large stack (`LargeStack`), whichever thread asks.
public enum CellParser {
    /// Brackets and braces a cell may nest (far beyond real cells; bounded to keep the stack safe).
    static let maximumNestingLevel = 64

    /// - Parameters:
    ///   - source: one cell's text.
    ///   - firstLine: the notebook-file line of the cell's first line; every location
    ///     in the result and in the errors is a notebook-file location.
    ///   - columnShifts: columns to add on each line of the cell (0-based by cell line), for a
    ///     cell whose lines the Markdown parser shortened (a fence indented 1-3 spaces).
    /// - Throws: `CellFailure` with all syntax errors (phase `.syntax`), or else all
    ///   unsupported constructs (phase `.unsupported`), in source order.
    public static func parse(_ source: String, firstLine: Int = 1, columnShifts: [Int] = []) throws(CellFailure) -> CellProgram {
        try LargeStack.run {
            Result { () throws(CellFailure) in try parseHere(source, firstLine: firstLine, columnShifts: columnShifts) }
        }.get()
    }

    /// A diagnostic the guards placed before there is a source map, moved as the map moves the rest.
    private static func shifted(_ diagnostic: CellDiagnostic, firstLine: Int, by shifts: [Int]) -> CellDiagnostic {
        guard let location = diagnostic.location, shifts.indices.contains(location.line - firstLine) else { return diagnostic }
        var moved = diagnostic
        moved.location = CellScript.SourceLocation(line: location.line, column: location.column + shifts[location.line - firstLine])
        return moved
    }

    /// How deep a cell's syntax tree may be: real cells stay under 40; a chain like
    /// `x.a.a.a...` nests a level per link, and the visitors that follow recurse per level.
    static let maximumTreeDepth = 400

    private static func parseHere(_ source: String, firstLine: Int, columnShifts: [Int]) throws(CellFailure) -> CellProgram {
        let overlong = NestingGuard.violations(in: source, firstLine: firstLine)
        if !overlong.isEmpty {
            throw CellFailure(overlong.map { shifted($0, firstLine: firstLine, by: columnShifts) })
        }
        // swift-syntax's default nesting limit is 20 in debug builds and 256 in release; one
        // limit for both keeps a cell's fate independent of how `lesson` was built.
        var parser = Parser(source, maximumNestingLevel: maximumNestingLevel)
        let tree = SourceFileSyntax.parse(from: &parser)
        if let deep = SyntaxDepth.firstNode(deeperThan: maximumTreeDepth, in: Syntax(tree)) {
            let message = "this cell nests more than \(maximumTreeDepth) levels deep (a chain of calls, members or "
                + "types this long is not supported); split it into several `let`s"
            let diagnostic = CellDiagnostic(.unsupported, message,
                                            at: SyntaxDepth.location(of: deep, in: source, firstLine: firstLine))
            throw CellFailure(shifted(diagnostic, firstLine: firstLine, by: columnShifts))
        }
        let map = CellSourceMap(tree: tree, source: source, firstLine: firstLine, columnShifts: columnShifts)

        let syntaxErrors = syntaxDiagnostics(in: tree, source: source, map: map)
        if !syntaxErrors.isEmpty {
            throw CellFailure(syntaxErrors)
        }

        let tooLong = LongExpressionFinder.find(in: tree)
        if !tooLong.isEmpty {
            let message = "this expression has more than \(LongExpressionFinder.operatorLimit) operators; "
                + "split it into several `let`s"
            throw CellFailure(tooLong.map { CellDiagnostic(.unsupported, message, at: map.location(of: $0)) })
        }

        var foldErrors: [OperatorError] = []
        let folded = OperatorTable.standardOperators.foldAll(tree) { error in
            foldErrors.append(error)
        }
        if !foldErrors.isEmpty {
            throw CellFailure(sorted(foldErrors.map { diagnostic($0.asDiagnostic, map: map) }))
        }
        guard let file = folded.as(SourceFileSyntax.self) else {
            let start = map.location(of: tree)
            throw CellFailure(CellDiagnostic(.syntax, "the cell could not be read", at: start))
        }

        let lowerer = Lowerer(map: map)
        let statements = lowerer.lower(file)
        if !lowerer.diagnostics.isEmpty {
            throw CellFailure(sorted(lowerer.diagnostics))
        }
        return CellProgram(statements: statements)
    }

    /// Every diagnostic of `failure`, compiler style (`file:line:column: error: ...`,
    /// the source line, a caret), one after another. `source` is the whole notebook
    /// file, since locations are notebook-file locations.
    public static func render(_ failure: CellFailure, file: String, source: String) -> String {
        failure.diagnostics
            .map { $0.rendered(file: file, source: source) }
            .joined(separator: "\n")
    }

    /// Syntax errors a cell may have before only the first are described (see `SyntaxErrorSites`).
    static let describedSyntaxErrors = 100

    private static func syntaxDiagnostics(in tree: SourceFileSyntax, source: String,
                                          map: CellSourceMap) -> [CellDiagnostic] {
        guard tree.hasError else { return [] }
        if let equal = SyntaxErrorSites.trappingEqualSign(in: Syntax(tree)) {
            return [CellDiagnostic(.syntax, "'=' must have the same whitespace on both sides; a character next to it "
                                   + "is neither a space nor part of the code", at: map.location(of: equal))]
        }
        let (count, first) = SyntaxErrorSites.count(in: Syntax(tree), limit: describedSyntaxErrors)
        guard count > describedSyntaxErrors, let first else { return described(tree, map: map) }
        // Described for the text up to a little past the first error, parsed again; errors the cut
        // itself makes (at its very end) are left out.
        let cut = first.utf8Offset + 400
        var parser = Parser(String(decoding: source.utf8.prefix(cut), as: UTF8.self),
                            maximumNestingLevel: maximumNestingLevel)
        let window = SourceFileSyntax.parse(from: &parser)
        guard SyntaxErrorSites.trappingEqualSign(in: Syntax(window)) == nil else {
            return [CellDiagnostic(.syntax, "this cell has more than \(describedSyntaxErrors) syntax errors",
                                   at: map.location(at: first))]
        }
        let shown = ParseDiagnosticsGenerator.diagnostics(for: window)
            .filter { $0.diagMessage.severity == .error && $0.position.utf8Offset < cut - 1 }
            .map { diagnostic($0, map: map) }
        let more = CellDiagnostic(.syntax, "this cell has more than \(describedSyntaxErrors) syntax errors; "
                                  + "only the first \(shownSyntaxErrors) are shown", at: map.location(at: first))
        return Array(sorted(shown).prefix(shownSyntaxErrors)) + [more]
    }

    /// Syntax errors listed for one cell: past the first few, each further error is usually
    /// a consequence of an earlier one, and each repeats its source line.
    static let shownSyntaxErrors = 20

    private static func described(_ tree: SourceFileSyntax, map: CellSourceMap) -> [CellDiagnostic] {
        let errors = ParseDiagnosticsGenerator.diagnostics(for: tree)
            .filter { $0.diagMessage.severity == .error }
            .map { diagnostic($0, map: map) }
        if errors.isEmpty, tree.hasError {
            // Defensive: swift-syntax describes every error it recovers from, but a
            // tree with missing pieces must never reach lowering.
            return [CellDiagnostic(.syntax, "the cell has a syntax error", at: map.location(of: tree))]
        }
        let all = sorted(errors)
        guard all.count > shownSyntaxErrors, let first = all.first else { return all }
        let more = CellDiagnostic(.syntax, "this cell has \(all.count) syntax errors; only the first "
                                  + "\(shownSyntaxErrors) are shown", at: first.location)
        return Array(all.prefix(shownSyntaxErrors)) + [more]
    }

    private static func diagnostic(_ diagnostic: Diagnostic, map: CellSourceMap) -> CellDiagnostic {
        let notes = diagnostic.notes.map { note in
            "\(note.message) (at \(map.location(at: note.position)))"
        }
        return CellDiagnostic(.syntax, diagnostic.message, at: map.location(at: diagnostic.position), notes: notes)
    }

    /// Source order; diagnostics at the same place keep the order they were found in.
    private static func sorted(_ diagnostics: [CellDiagnostic]) -> [CellDiagnostic] {
        diagnostics.enumerated()
            .sorted { lhs, rhs in
                let left = lhs.element.location ?? CellScript.SourceLocation(line: 0, column: 0)
                let right = rhs.element.location ?? CellScript.SourceLocation(line: 0, column: 0)
                return left == right ? lhs.offset < rhs.offset : left < right
            }
            .map(\.element)
    }
}
