/// Rejects long runs of directly nested `[` before swift-syntax sees them.
///
/// swift-syntax 603 takes time exponential in the length of a run like `[[[[[[...`
/// (each `[` could start an array, a dictionary or a type, and is looked ahead
/// over): 16 in a row take over a second in a debug build, 21 take twenty. Tensor
/// literals nest four or five deep, so a limit well above that costs nothing and
/// keeps every cell's parse fast. Whitespace between the brackets counts as part
/// of the run; brackets inside string literals are counted too (rare, and only a
/// run longer than the limit matters).
enum BracketRunGuard {
    static let limit = 12

    /// Where each run of more than `limit` nested `[` starts, in notebook-file lines.
    static func overlongRuns(in source: String, firstLine: Int) -> [CellDiagnostic] {
        var diagnostics: [CellDiagnostic] = []
        var line = firstLine
        var column = 1
        var run = 0
        var runStart = SourceLocation(line: line, column: column)
        for byte in source.utf8 {
            switch byte {
            case UInt8(ascii: "["):
                if run == 0 { runStart = SourceLocation(line: line, column: column) }
                run += 1
                if run == limit + 1 {
                    let message = "more than \(limit) `[` nested directly inside each other are not supported in cells"
                    diagnostics.append(CellDiagnostic(.unsupported, message, at: runStart))
                }
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                break
            default:
                run = 0
            }
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return diagnostics
    }
}
