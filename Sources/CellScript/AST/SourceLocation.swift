/// A place in the notebook file: 1-based line and column (columns count UTF-8
/// bytes, as swift-syntax does). Cell-relative positions are shifted by the
/// cell's first line when a cell is parsed, so every error points into the file.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}
