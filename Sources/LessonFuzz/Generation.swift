/// What every generator of one input shares: the input's random numbers and the counter that
/// keeps names and markers unique within the input.
struct Generation {
    var random: FuzzRandom
    private var counter = 0

    init(random: FuzzRandom) {
        self.random = random
    }

    /// A name no other part of this input uses, e.g. `v12`.
    mutating func fresh(_ prefix: String) -> String {
        counter += 1
        return "\(prefix)\(counter)"
    }

    /// An HTML tag that must never reach a report as markup when it comes from a cell, its
    /// output or a lesson without `allow-raw-html` (see `MarkupInvariant`). The id makes each
    /// occurrence traceable to where it was written.
    mutating func markerTag() -> String {
        counter += 1
        let name = random.pick(["script", "pre", "SCRIPT", "Pre"])
        return "<\(name) data-fz=\"\(counter)\">"
    }

    /// `markerTag()` as a Swift string expression, sometimes built from pieces at run time so
    /// the tag appears only in the cell's output, never in its source.
    mutating func markerExpression() -> String {
        let tag = markerTag().replacingOccurrences(of: "\"", with: "\\\"")
        guard random.chance(0.5), tag.count > 3 else { return "\"\(tag)\"" }
        let cut = tag.index(tag.startIndex, offsetBy: 2)
        return "(\"\(tag[..<cut])\" + \"\(tag[cut...])\")"
    }
}
