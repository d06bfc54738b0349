/// One `<text>` element of a chart: escaped content, coordinates in tenths, an anchor,
/// and optionally vertical centring or a quarter turn (for a y-axis label).
enum SVGText {
    enum Anchor: String {
        case start, middle, end
    }

    static func element(_ content: String, cssClass: String, x: Double, y: Double, anchor: Anchor = .start,
                        centredVertically: Bool = false, rotated: Bool = false) -> String {
        let (xText, yText) = (NumberText.coordinate(x), NumberText.coordinate(y))
        var element = "<text class=\"\(cssClass)\" x=\"\(xText)\" y=\"\(yText)\""
        if anchor != .start { element += " text-anchor=\"\(anchor.rawValue)\"" }
        if centredVertically { element += " dominant-baseline=\"middle\"" }
        if rotated { element += " transform=\"rotate(-90 \(xText) \(yText))\"" }
        return element + ">\(HTML.escape(content))</text>\n"
    }
}
