/// Problems the fuzzer found and reported that are not fixed yet. With `--skip-known`, inputs
/// that contain one are counted and not run, so a long run measures what is still unknown
/// instead of paying for the same hang again and again. Delete an entry once its fix is merged.
struct KnownIssue: Sendable {
    /// A short name for the summary.
    var name: String
    /// Whether `text` (a lesson or a student's file) contains the problem's trigger.
    var matches: @Sendable (String) -> Bool

    static let all: [KnownIssue] = [
        // swift-syntax's lookahead for types (`canParseType` → `canParseTupleBodyType` →
        // `canParseCollectionTypeBody`) backtracks at every `[(`: time grows ~1.7x per level, so a
        // few dozen levels in one cell keep `CellParser.parse` busy for minutes.
        KnownIssue(name: "nested [( parse time") { $0.contains(String(repeating: "[(", count: 12)) },
    ]

    /// The first known problem `input` contains, if any.
    static func first(in input: FuzzInput) -> KnownIssue? {
        let texts = [input.lesson] + (input.student.map { [$0] } ?? [])
        for bytes in texts {
            let text = String(decoding: bytes, as: UTF8.self)
            if let issue = all.first(where: { $0.matches(text) }) { return issue }
        }
        return nil
    }
}
