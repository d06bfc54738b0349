import Foundation

/// Turns a notebook file into a `NotebookDocument`: front matter, then Markdown whose top-level
/// fenced blocks with info string `swift …` are cells and everything else is prose.
///
/// Decisions worth knowing:
/// - Only top-level fences are cells. A `swift` fence inside a list item or block quote stays
///   prose (shown, not run) and gets a warning, so indentation never silently changes what runs.
/// - The info string's first word must be exactly `swift`; later words are kept in `Cell.info`.
/// - A fence left open at the end of the file is still a cell (cmark closes it there), with a
///   warning.
/// - Nothing here throws for odd content: problems come back as `NotebookDocument.warnings`.
public enum NotebookParser {
    /// Reads and parses the notebook at `url`.
    /// - Throws: `NotebookError.unreadable` if the file cannot be read, `.notUTF8` if its bytes
    ///   are not UTF-8. Both name the file.
    public static func parse(contentsOf url: URL) throws(NotebookError) -> NotebookDocument {
        try load(contentsOf: url).document
    }

    /// Reads and parses the notebook at `url`, returning its text too (diagnostics quote it).
    /// `name` labels warnings and errors (default: the file's path), e.g. the path as the user typed it.
    public static func load(contentsOf url: URL, name: String? = nil) throws(NotebookError)
        -> (document: NotebookDocument, text: String)
    {
        let file = name ?? url.path
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadable(file: file, reason: reason(for: error, at: url))
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw .notUTF8(file: file, byteOffset: firstInvalidUTF8Offset(in: data))
        }
        return (parse(text: text, file: file), text)
    }

    /// Parses notebook `text`; `file` is only used to label warnings.
    public static func parse(text: String, file: String? = nil) -> NotebookDocument {
        var document = NotebookDocument(file: file)
        let body = normalized(text)
        if body.allSatisfy(\.isWhitespace) {
            document.warnings.append(NotebookWarning("the notebook is empty", line: 1, file: file))
            return document
        }
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)

        let front = FrontMatterParser.parse(lines)
        document.title = front.title
        document.author = front.author
        document.params = front.params
        document.dataDirectory = front.dataDirectory
        document.allowRawHTML = front.allowRawHTML
        var warnings = front.warnings

        // Blank out the front matter rather than cutting it, so cmark's lines are file lines.
        let markdownLines = Array(repeating: Substring(), count: front.lineCount) + lines[front.lineCount...]
        let root = CmarkConverter.parse(markdownLines.joined(separator: "\n"))
        var builder = BlockBuilder(lines: lines)
        // cmark-gfm moves footnote definitions to the end; put every block back where it was written.
        let topLevel = root.children.enumerated()
            .sorted { ($0.element.startLine, $0.offset) < ($1.element.startLine, $1.offset) }
            .map(\.element)
        for node in topLevel {
            builder.add(node)
        }
        builder.flushProse()
        document.blocks = builder.blocks
        warnings += builder.warnings
        document.warnings = warnings
            .map { NotebookWarning($0.message, line: $0.line, column: $0.column, file: file) }
            .sorted { $0.line < $1.line }
        return document
    }

    /// `text` as the parser reads it: without a byte order mark, every line ending (CRLF, or a
    /// CR alone) as LF. cmark-gfm ends lines at each of them too, so its line numbers are the
    /// lines of this text, and diagnostics can quote them.
    public static func normalized(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var afterCR = false
        // Scalar by scalar: a CR ends a line, and an LF right after it belongs to that ending.
        // (Replacing Characters would not do: in "\r\r\n" the first replacement makes a new
        // "\r\n" Character out of the lone CR and the LF, which then stays.)
        for (index, scalar) in text.unicodeScalars.enumerated() {
            defer { afterCR = scalar == "\r" }
            if index == 0, scalar == "\u{FEFF}" { continue }
            if scalar == "\r" {
                scalars.append("\n")
            } else if scalar != "\n" || !afterCR {
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// Whether a code block's info string makes it a cell.
    static func isCellInfo(_ info: String) -> Bool {
        info.split(whereSeparator: { $0 == " " || $0 == "\t" }).first == "swift"
    }

    private static func reason(for error: Error, at url: URL) -> String {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            return "no such file"
        }
        if isDirectory.boolValue { return "it is a directory" }
        return "permission denied or unreadable (\(error.localizedDescription))"
    }

    private static func firstInvalidUTF8Offset(in data: Data) -> Int {
        var iterator = data.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput, .error: return offset
            }
        }
    }
}
