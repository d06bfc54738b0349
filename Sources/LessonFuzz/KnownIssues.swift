/// Problems the fuzzer found and reported that are not fixed yet. With `--skip-known`, inputs
/// that contain one are counted and not run, so a long run measures what is still unknown
/// instead of paying for the same hang again and again. Delete an entry once its fix is merged.
struct KnownIssue: Sendable {
    /// A short name for the summary.
    var name: String
    /// Whether `text` (a lesson or a student's file) contains the problem's trigger.
    var matches: @Sendable (String) -> Bool

    /// None at present. Fixed since the fuzzer found them (each now a regression test): `[(`
    /// runs and thousands of syntax errors keeping the parser busy for minutes, the Fix-It trap
    /// beside `=`, type names of deeply nested values doubling per level, snapshots walking
    /// shared arrays element by element. An entry matches the text of a lesson or answer, e.g.
    /// `KnownIssue(name: "nested [( parse time") { $0.contains(String(repeating: "[(", count: 12)) }`.
    static let all: [KnownIssue] = []

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
