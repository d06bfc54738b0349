/// HTML escaping for every piece of notebook text and output that reaches a report.
enum HTML {
    /// Text content and attribute values: `&`, `<`, `>`, `"` and `'` become entities.
    ///
    /// The colon of `://` becomes `&#58;` as well. Browsers show the same text, but the file then
    /// holds no literal `http://` anywhere, so a reader (or a checker) can trust that a report
    /// which must work offline refers to nothing on the network.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(character)
            }
        }
        if result.utf8.count >= 3, result.contains("://") {
            result = result.replacing("://", with: "&#58;//")
        }
        return result
    }
}
