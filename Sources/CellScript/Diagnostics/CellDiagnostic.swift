/// One problem in a cell, located in the notebook file: a syntax error, a
/// construct the interpreter does not support, or a runtime fault.
public struct CellDiagnostic: Sendable, Equatable, CustomStringConvertible {
    public enum Phase: Sendable, Equatable {
        /// swift-syntax could not parse the cell.
        case syntax
        /// Valid Swift that the cell language does not support (named in the message).
        case unsupported
        /// A fault while running: bad index, shape mismatch, overflow, division by zero, ...
        case runtime
        /// Stopped by the user (Ctrl-C) or by the cell's time or step limit.
        case interrupted
        /// A call to a built-in that cannot match its declared signature, found before
        /// running (`lesson check`); running it would fail with the same message.
        case call
    }

    public var phase: Phase
    public var message: String
    /// Where it happened; nil only for faults with no source position (a time limit, say).
    public var location: SourceLocation?
    /// Extra lines shown under the message ("note: ...").
    public var notes: [String]

    public init(_ phase: Phase, _ message: String, at location: SourceLocation?, notes: [String] = []) {
        self.phase = phase
        self.message = message
        self.location = location
        self.notes = notes
    }

    /// `line:column: error: message`, as compilers print it.
    public var description: String {
        let place = location.map { "\($0): " } ?? ""
        return "\(place)error: \(message)"
    }

    /// Compiler-style text: `file:line:column: error: message`, the source line, a caret
    /// under the column, then the notes. `source` is the whole notebook file's text.
    public func rendered(file: String, source: String) -> String {
        var lines = ["\(file):\(location == nil ? " " : "")\(description)"]
        if let location {
            let sourceLines = source.split(separator: "\n", omittingEmptySubsequences: false)
            if location.line >= 1, location.line <= sourceLines.count {
                let (text, before) = Self.excerpt(of: sourceLines[location.line - 1], column: location.column)
                lines.append(text)
                let padding = before.map { $0 == "\t" ? Character("\t") : Character(" ") }
                lines.append(String(padding) + "^")
            }
        }
        lines.append(contentsOf: notes.map { "note: \($0)" })
        return lines.joined(separator: "\n")
    }

    /// Characters of a long source line shown on each side of the error's column.
    static let excerptRadius = 80

    /// The source line as shown (at most `excerptRadius` characters each side of `column`,
    /// with `…` where it was cut) and the shown text before the column, for the caret.
    static func excerpt(of line: Substring, column: Int) -> (text: String, before: String) {
        let offset = Swift.max(column - 1, 0)
        let prefix = String(decoding: line.utf8.prefix(offset), as: UTF8.self)
        guard line.utf8.count > 2 * excerptRadius else { return (String(line), prefix) }
        let start = prefix.count > excerptRadius ? prefix.index(prefix.endIndex, offsetBy: -excerptRadius) : prefix.startIndex
        let before = (start == prefix.startIndex ? "" : "…") + prefix[start...]
        let rest = String(decoding: line.utf8.dropFirst(offset), as: UTF8.self)
        let after = rest.count > excerptRadius ? String(rest.prefix(excerptRadius)) + "…" : rest
        return (before + after, before)
    }
}

/// A cell that could not be parsed, lowered or run: every diagnostic, in source order.
public struct CellFailure: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [CellDiagnostic]

    public init(_ diagnostics: [CellDiagnostic]) {
        self.diagnostics = diagnostics
    }

    public init(_ diagnostic: CellDiagnostic) {
        self.diagnostics = [diagnostic]
    }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
