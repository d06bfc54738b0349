import Foundation
import Notebook

/// Rules about what a run produces, checked on every text it made (outputs, diagnostics,
/// warnings, reports, pages, the transcript, the handout, grades):
/// - no canary bytes (`Sandbox.canaryToken`), anywhere: that is an escape;
/// - an HTML text is valid UTF-8;
/// - no marker tag (`Generation.markerTag`) reaches HTML as markup unless the lesson allows raw
///   HTML and the tag is written in its prose (a tag from a cell, an output or an answer never);
/// - with the student audience, no solution's secret comment shows when the comment stands
///   only in solution cells.
struct TextInvariants {
    /// Marker ids written in the prose of a lesson that allows raw HTML.
    let allowedMarkers: Set<String>
    /// Secret comments that stand only in solution cells.
    let secrets: [String]

    init(document: NotebookDocument?, text: String?) {
        allowedMarkers = document.map { Self.proseMarkers($0, text: text ?? "") } ?? []
        secrets = document.map { Self.solutionOnlySecrets($0, text: text ?? "") } ?? []
    }

    /// Problems with `text`, labelled by `what`.
    func check(_ what: String, _ text: String, html: Bool, student: Bool) -> [Finding.Kind: [String]] {
        var found: [Finding.Kind: [String]] = [:]
        if text.contains(Sandbox.canaryToken) {
            found[.escape, default: []].append("\(what) contains canary bytes: \(Self.around(Sandbox.canaryToken, in: text))")
        }
        guard html || student else { return found }
        if html, String(validating: Array(text.utf8), as: UTF8.self) == nil {
            found[.invariant, default: []].append("\(what) is not valid UTF-8")
        }
        if html {
            for id in Self.rawMarkerIDs(in: text) where !allowedMarkers.contains(id) {
                found[.invariant, default: []].append("\(what) has a raw marker tag from user text (data-fz=\"\(id)\"): "
                                                      + Self.around("data-fz=\"\(id)\"", in: text))
            }
        }
        if student {
            for secret in secrets where Self.occurrences(of: secret, in: text) > 0 {
                found[.invariant, default: []].append("\(what) shows solution code to students (\(secret)): "
                                                      + Self.around(secret, in: text))
            }
        }
        return found
    }

    /// Ids of marker tags that appear as markup: `<script data-fz="7"` or `<pre data-fz="7"`, any case.
    static func rawMarkerIDs(in html: String) -> [String] {
        let lower = html.lowercased()
        var ids: [String] = []
        for opening in ["<script data-fz=\"", "<pre data-fz=\""] {
            var rest = lower[...]
            while let range = rest.range(of: opening) {
                let digits = rest[range.upperBound...].prefix { $0.isNumber }
                ids.append(String(digits))
                rest = rest[range.upperBound...]
            }
        }
        return ids
    }

    /// Ids of every marker written in `text` (escaped or not).
    static func markerIDs(in text: String) -> Set<String> {
        var ids = Set<String>()
        var rest = text[...]
        while let range = rest.range(of: "data-fz=\"") {
            ids.insert(String(rest[range.upperBound...].prefix { $0.isNumber }))
            rest = rest[range.upperBound...]
        }
        return ids
    }

    /// With raw HTML allowed, the markers written in prose: those in the file but not in a cell's
    /// code, label, checks or other options, nor in the title or author. (Counted from the file
    /// rather than from `ProseBlock.source`, which is empty for some blocks.)
    private static func proseMarkers(_ document: NotebookDocument, text: String) -> Set<String> {
        guard document.allowRawHTML else { return [] }
        var elsewhere = [document.title ?? "", document.author ?? ""]
        for cell in document.cells {
            elsewhere += [cell.source, cell.options.label ?? ""] + cell.options.checks.map(\.expression)
            elsewhere += cell.options.unknown.map(\.value)
        }
        return markerIDs(in: text).subtracting(elsewhere.flatMap { markerIDs(in: $0) })
    }

    /// The secret comments whose every occurrence in the file is inside a solution cell's code.
    private static func solutionOnlySecrets(_ document: NotebookDocument, text: String) -> [String] {
        let normalized = NotebookParser.normalized(text)
        var secrets: [String] = []
        for exercise in document.exercises {
            for line in exercise.cell.source.split(separator: "\n") {
                guard let range = line.range(of: SecretToken.prefix) else { continue }
                let secret = String(line[range.lowerBound...].prefix { $0.isLetter || $0.isNumber })
                let inSolutions = document.exercises.reduce(0) { $0 + occurrences(of: secret, in: $1.cell.source) }
                // The token and a digit after it, so `fzsecret1` is not found inside `fzsecret12`.
                if occurrences(of: secret, in: normalized) == inSolutions { secrets.append(secret) }
            }
        }
        return secrets
    }

    private static func occurrences(of token: String, in text: String) -> Int {
        var count = 0
        var rest = text[...]
        while let range = rest.range(of: token) {
            let next = rest[range.upperBound...].first
            if next.map({ !$0.isNumber }) ?? true { count += 1 }
            rest = rest[range.upperBound...]
        }
        return count
    }

    /// Up to 80 characters either side of the first `needle` in `text`, on one line.
    static func around(_ needle: String, in text: String) -> String {
        guard let range = text.range(of: needle) else { return "" }
        let start = text.index(range.lowerBound, offsetBy: -80, limitedBy: text.startIndex) ?? text.startIndex
        let end = text.index(range.upperBound, offsetBy: 80, limitedBy: text.endIndex) ?? text.endIndex
        return String(text[start..<end]).replacingOccurrences(of: "\n", with: "⏎")
    }
}
