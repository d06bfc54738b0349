/// Everything a run of one input produced, as text, to check against `TextInvariants`.
struct Produced {
    struct Text {
        var what: String
        var text: String
        /// An HTML page or fragment (the markup rules apply).
        var html: Bool
        /// Shown to students (the solution-secret rule applies).
        var student: Bool
    }

    private(set) var texts: [Text] = []
    /// Findings made while running (grading's writes, for one), before the texts are checked.
    var findings: [Finding.Kind: [String]] = [:]
    /// The lesson's own front matter names a data folder that leads into the canary: reading
    /// it is the author's choice, so its bytes in outputs are not an escape for this input.
    var dataIsCanary = false
    /// How the cells ended, by status (`ran`, `failed: syntax`, ...), to see how deep inputs get.
    var statuses: [String: Int] = [:]

    mutating func add(_ what: String, _ text: String, html: Bool = false, student: Bool = false) {
        texts.append(Text(what: what, text: text, html: html, student: student))
    }

    mutating func add(_ what: String, _ lines: [String]) {
        add(what, lines.joined(separator: "\n"))
    }

    /// Every problem the texts have under `invariants`.
    func problems(under invariants: TextInvariants) -> [Finding.Kind: [String]] {
        var found = findings
        for text in texts {
            for (kind, messages) in invariants.check(text.what, text.text, html: text.html, student: text.student) {
                if kind == .escape, dataIsCanary { continue }
                found[kind, default: []] += messages
            }
        }
        return found
    }
}
