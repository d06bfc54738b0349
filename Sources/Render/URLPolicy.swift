/// Which prose URLs may become `href`/`src` attributes. A report must open offline and never
/// reach the network, so anything that would load or navigate off the page is shown as text.
enum URLPolicy {
    enum Kind: Equatable {
        /// `#anchor`, `page.html`, `../img/plot.png`: kept as an attribute.
        case local
        /// `http:`, `https:`, `//host`: shown as text beside the link text.
        case remote
        /// `javascript:`, `vbscript:`, `data:` (for links) and other schemes: never an attribute.
        case unsafe
        /// `mailto:`: harmless, kept as an attribute.
        case mail
        /// `data:image/...` in an image: inline bytes, no network.
        case inlineImage
    }

    /// Classifies `url` the way a browser would read it: ASCII whitespace and control characters
    /// are removed first, since browsers ignore them inside a scheme (`java\tscript:`).
    static func classify(_ url: String) -> Kind {
        let cleaned = String(url.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F })
        let lowered = cleaned.lowercased()
        if lowered.hasPrefix("//") || lowered.hasPrefix("\\\\") || lowered.hasPrefix("/\\")
            || lowered.hasPrefix("\\/") {
            return .remote
        }
        guard let scheme = scheme(of: lowered) else { return .local }
        switch scheme {
        case "http", "https": return .remote
        case "mailto": return .mail
        case "data": return lowered.hasPrefix("data:image/") ? .inlineImage : .unsafe
        default: return .unsafe
        }
    }

    /// The scheme before the first `:`, if the text before it looks like one (RFC 3986:
    /// a letter, then letters, digits, `+`, `-`, `.`), and no `/`, `?` or `#` comes first.
    private static func scheme(of url: String) -> String? {
        guard let colon = url.firstIndex(of: ":") else { return nil }
        let candidate = url[..<colon]
        guard let first = candidate.first, first.isASCII, first.isLetter else { return nil }
        let allowed = candidate.allSatisfy { character in
            character.isASCII && (character.isLetter || character.isNumber || "+-.".contains(character))
        }
        return allowed ? String(candidate) : nil
    }

    /// The URL as visible text, escaped (`HTML.escape` also keeps `://` out of the file).
    static func displayText(_ url: String) -> String {
        HTML.escape(url)
    }
}
