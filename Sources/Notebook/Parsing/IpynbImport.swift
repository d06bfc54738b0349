import Foundation

/// A Jupyter notebook (nbformat 4) as a lesson: Markdown cells become prose, code cells become
/// ```` ```swift ```` cells, with the options a `lesson export` kept in `metadata.lesson`. A
/// code cell in another language (a Python notebook's) is kept as an `eval: false` cell with
/// a note, so nothing runs that the engine cannot run. A file that is not an nbformat 4
/// notebook is refused with the reason.
public enum IpynbImport {
    public struct Refusal: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// The lesson's Markdown for the notebook `data`.
    public static func markdown(from data: Data) throws(Refusal) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: data), let notebook = object as? [String: Any] else {
            throw Refusal(description: "not a Jupyter notebook: the file is not a JSON object")
        }
        guard let major = notebook["nbformat"] as? Int else {
            throw Refusal(description: "not a Jupyter notebook: it has no `nbformat` number")
        }
        guard major == 4 else {
            throw Refusal(description: "nbformat \(major) is not supported: save it as nbformat 4 (Jupyter 4 and later)")
        }
        guard let cells = notebook["cells"] as? [Any] else {
            throw Refusal(description: "not a valid nbformat 4 notebook: `cells` is missing or not a list")
        }
        let metadata = notebook["metadata"] as? [String: Any] ?? [:]
        let language = ((metadata["language_info"] as? [String: Any])?["name"] as? String
            ?? (metadata["kernelspec"] as? [String: Any])?["language"] as? String ?? "swift").lowercased()
        let lesson = metadata["lesson"] as? [String: Any] ?? [:]
        var text = frontMatter(lesson)
        for (position, item) in cells.enumerated() {
            guard let cell = item as? [String: Any], let type = cell["cell_type"] as? String else {
                throw Refusal(description: "not a valid nbformat 4 notebook: cell \(position + 1) has no `cell_type`")
            }
            guard let source = try joined(cell["source"], cell: position + 1) else {
                throw Refusal(description: "not a valid nbformat 4 notebook: cell \(position + 1) has no `source`")
            }
            switch type {
            case "markdown":
                text += prose(source) + "\n\n"
            case "code":
                let options = (cell["metadata"] as? [String: Any])?["lesson"] as? [String: Any] ?? [:]
                text += codeCell(source, options: options, language: language)
            case "raw":
                text += "<!-- a raw cell of the notebook:\n" + source.replacingOccurrences(of: "--", with: "- -") + "\n-->\n\n"
            default:
                throw Refusal(description: "not a valid nbformat 4 notebook: cell \(position + 1) is of unknown type `\(type)`")
            }
        }
        return text.trimmingCharacters(in: .newlines) + "\n"
    }

    /// A Markdown cell as prose: a ```swift block in it is an example, not a cell of the
    /// lesson (its info string becomes `swift-example`), so prose never runs.
    private static func prose(_ source: String) -> String {
        source.trimmingCharacters(in: .newlines).split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let text = String(line)
            guard let match = text.range(of: #"^ {0,3}(`{3,}|~{3,})\s*swift(?=$|[\s{])"#, options: .regularExpression)
            else { return text }
            return text[match].dropLast("swift".count) + "swift-example" + text[match.upperBound...]
        }.joined(separator: "\n")
    }

    /// `source` as nbformat writes it: one string, or a list of strings.
    private static func joined(_ source: Any?, cell: Int) throws(Refusal) -> String? {
        if let text = source as? String { return text }
        guard let parts = source as? [Any] else { return nil }
        var text = ""
        for part in parts {
            guard let line = part as? String else {
                throw Refusal(description: "not a valid nbformat 4 notebook: cell \(cell)'s source holds something not text")
            }
            text += line
        }
        return text
    }

    private static func frontMatter(_ lesson: [String: Any]) -> String {
        var lines: [String] = []
        if let title = lesson["title"] as? String { lines.append("title: \(yaml(title))") }
        if let author = lesson["author"] as? String { lines.append("author: \(yaml(author))") }
        if let params = lesson["params"] as? [String: String], !params.isEmpty {
            lines.append("params:")
            for (name, value) in params.sorted(by: { $0.key < $1.key }) where name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                lines.append("  \(name): \(value)")
            }
        }
        return lines.isEmpty ? "" : "---\n" + lines.joined(separator: "\n") + "\n---\n\n"
    }

    private static func yaml(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: " ") + "\""
    }

    /// A fence longer than any run of backticks in the code, so the code cannot end its cell.
    private static func fence(for code: String) -> String {
        var longest = 0
        var run = 0
        for character in code {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        return String(repeating: "`", count: max(3, longest + 1))
    }

    private static func codeCell(_ source: String, options: [String: Any], language: String) -> String {
        var lines: [String] = []
        var code = source.trimmingCharacters(in: .newlines)
        if language != "swift" {
            lines.append("//| eval: false")
            code = "// A \(language) cell of the Jupyter notebook, kept as it was; the lesson does not run it.\n" + code
        }
        if let label = options["label"] as? String { lines.append("//| label: \(label.replacingOccurrences(of: "\n", with: " "))") }
        for key in ["echo", "eval", "output", "solution", "slide"] {
            if let value = options[key] as? Bool, !(key == "eval" && language != "swift") { lines.append("//| \(key): \(value)") }
        }
        if let error = options["error"] as? String, ["allow", "expected", "stop"].contains(error) { lines.append("//| error: \(error)") }
        if let timeout = options["timeout"] as? Double { lines.append("//| timeout: \(timeout)") }
        if let points = options["points"] as? Double { lines.append("//| points: \(points)") }
        if let alt = options["alt"] as? String { lines.append("//| alt: \(alt.replacingOccurrences(of: "\n", with: " "))") }
        for check in options["check"] as? [String] ?? [] { lines.append("//| check: \(check.replacingOccurrences(of: "\n", with: " "))") }
        for check in options["hidden-check"] as? [String] ?? [] {
            lines.append("//| hidden-check: \(check.replacingOccurrences(of: "\n", with: " "))")
        }
        let body = (lines + (code.isEmpty ? [] : [code])).joined(separator: "\n")
        let fence = fence(for: body)
        return "\(fence)swift\n\(body)\n\(fence)\n\n"
    }
}
