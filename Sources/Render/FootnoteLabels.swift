import Notebook

/// Recovers the labels of footnote references. cmark-gfm replaces a reference's label with its
/// footnote number, while definitions keep their written label, so the two cannot be matched
/// from the tree alone; the labels are read back from the prose source instead.
enum FootnoteLabels {
    /// The labels of the footnote references in `block`, in document order, or nil when the
    /// source scan does not find exactly as many references as the tree has (a `[^x]` inside a
    /// code span, say), in which case the caller keeps cmark's numbers.
    static func referenceLabels(in block: ProseBlock) -> [String]? {
        let expected = block.nodes.flatMap(\.allNodes).filter {
            if case .footnoteReference = $0.kind { return true } else { return false }
        }.count
        guard expected > 0 else { return [] }
        var labels: [String] = []
        for line in block.source.split(separator: "\n", omittingEmptySubsequences: false) {
            labels += scan(withoutCodeSpans(line))
        }
        return labels.count == expected ? labels : nil
    }

    /// `[^label]` occurrences not followed by `:` (which would open a definition).
    private static func scan(_ line: String) -> [String] {
        var labels: [String] = []
        var rest = line[...]
        while let open = rest.firstRange(of: "[^") {
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.firstIndex(of: "]") else { break }
            let label = afterOpen[..<close]
            let afterClose = afterOpen[afterOpen.index(after: close)...]
            if !label.isEmpty, !label.contains(where: \.isWhitespace), afterClose.first != ":" {
                labels.append(String(label))
            }
            rest = afterClose
        }
        return labels
    }

    /// The line with `` `code` `` spans removed, so `[^x]` shown as code is not counted.
    private static func withoutCodeSpans(_ line: Substring) -> String {
        var result = ""
        var inCode = false
        for character in line {
            if character == "`" {
                inCode.toggle()
            } else if !inCode {
                result.append(character)
            }
        }
        return result
    }
}
