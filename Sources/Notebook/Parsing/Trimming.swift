/// Front matter and option lines are trimmed of spaces and tabs only: a line break is never
/// inside one line, and Foundation's character sets are not needed for that.
extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingWhitespace() -> SubSequence {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isBlank($0) }),
              let end = lastIndex(where: { !isBlank($0) }) else { return self[endIndex...] }
        return self[start...end]
    }
}
