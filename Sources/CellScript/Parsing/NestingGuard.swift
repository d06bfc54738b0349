/// Rejects the nesting swift-syntax's parser cannot survive, before it sees the cell.
///
/// The parser counts `(`, `[` and `{` against its nesting limit, but two things slip past it:
/// - runs of directly nested `[` and `(` with at least one `[` (`[[[[...`, `[([(...`): each
///   could start an array, a dictionary, a tuple or a type and is looked ahead over, in time
///   exponential in the run (16 `[` take over a second in a debug build, 20 of `[(` 37 s) and
///   in stack;
/// - generic arguments (`Array<Array<...>>`), which it parses by recursion with no limit.
/// - string interpolations nested in interpolations, which the lexer re-reads per level;
/// - text that makes the parser backtrack out of reach of any limit: `\` outside strings (a key
///   path; 200 of `\(` took 47 s) and long runs of `#` (each could start a raw string);
/// - invisible and control characters (U+FEFF, NUL, U+2028, U+3000, ...), which the lexer keeps
///   as odd trivia, and which next to `=` make swift-syntax's diagnostics trap.
/// So such runs longer than `bracketRunLimit`, more than `angleLimit` nested `<` directly after
/// a name and more than `interpolationLimit` nested interpolations are refused. The scan reads
/// the cell as the lexer would: comments count as the whitespace they are (so `[/**/[/**/[` is
/// a run), and string literals are skipped except for their interpolations (`"\([[[[...])"` is
/// code). It never recurses.
enum NestingGuard {
    static let bracketRunLimit = 12
    static let angleLimit = 16
    /// String interpolations inside string interpolations: the lexer re-reads each level, so
    /// deep ones take time far beyond their length (5,000 took 17 s).
    static let interpolationLimit = 8
    /// `\` outside string literals (key paths, which cells do not run anyway) and `#` in a row.
    static let backslashLimit = 16
    static let poundRunLimit = 16

    /// Each place a limit is passed, in notebook-file lines (one diagnostic per kind).
    static func violations(in source: String, firstLine: Int) -> [CellDiagnostic] {
        var scanner = Scanner(bytes: Array(source.utf8), firstLine: firstLine)
        scanner.scan()
        return scanner.diagnostics
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        var line: Int
        var lineStart = 0
        var diagnostics: [CellDiagnostic] = []
        /// `[` seen with only whitespace and comments between them, and where the run began.
        /// `[` and `(` seen with only whitespace and comments between them, where the run began,
        /// and whether it holds a `[` (runs of `(` alone are cheap to parse).
        var bracketRun = 0
        var bracketRunStart = SourceLocation(line: 1, column: 1)
        var runHasBracket = false
        /// `<` after a name, not yet closed.
        var angles = 0
        /// Open interpolations: the `(` depth inside each, so `)` at depth 0 returns to the string.
        var interpolations: [(parens: Int, hashes: Int, multiline: Bool)] = []
        /// Each limit is reported once, where it is first passed.
        var reported: Set<Limit> = []

        enum Limit {
            case brackets, angles, interpolations, backslashes, pounds, invisible
        }
        var backslashes = 0

        /// A control character, or a non-ASCII scalar (an identifier's letter, an operator, or an
        /// invisible character to refuse), outside strings and comments.
        mutating func scalar() {
            let lead = bytes[index]
            let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
            let end = Swift.min(index + length, bytes.count)
            let decoded = String(decoding: bytes[index..<end], as: UTF8.self).unicodeScalars.first
            if let decoded, NestingGuard.isInvisible(decoded) {
                let code = String(decoded.value, radix: 16, uppercase: true)
                let padded = String(repeating: "0", count: Swift.max(4 - code.count, 0)) + code
                report(.invisible, "the invisible or control character U+\(padded) outside strings and comments",
                       at: location, ending: "is not allowed in cells; delete it")
            }
            bracketRun = 0
            for _ in index..<end { advance() }
        }

        /// `run` `#` in a row that start no raw string (`#if`, `#available`, or noise).
        mutating func poundRun(_ run: Int) {
            if run > NestingGuard.poundRunLimit {
                report(.pounds, "more than \(NestingGuard.poundRunLimit) `#` in a row", at: location)
            }
            bracketRun = 0
            for _ in 0..<run { advance() }
        }

        mutating func report(_ limit: Limit, _ what: String, at location: SourceLocation,
                             ending: String = "are not supported in cells") {
            guard reported.insert(limit).inserted else { return }
            diagnostics.append(CellDiagnostic(.unsupported, "\(what) \(ending)", at: location))
        }

        init(bytes: [UInt8], firstLine: Int) {
            self.bytes = bytes
            self.line = firstLine
            bracketRunStart = SourceLocation(line: firstLine, column: 1)
        }

        var location: SourceLocation { SourceLocation(line: line, column: index - lineStart + 1) }

        func peek(_ offset: Int = 0) -> UInt8? {
            index + offset < bytes.count ? bytes[index + offset] : nil
        }

        mutating func advance() {
            if bytes[index] == UInt8(ascii: "\n") {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }

        mutating func scan() {
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "/"):
                    while let next = peek(), next != UInt8(ascii: "\n") { _ = next; advance() }
                case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
                    skipBlockComment()
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                    advance()
                case 0x00...0x1F, 0x7F, 0x80...:
                    scalar()
                case UInt8(ascii: "\""):
                    skipString()
                case UInt8(ascii: "#"):
                    // A run of `#` is a raw string's delimiter when a `"` follows it; measured once.
                    var run = 0
                    while peek(run) == UInt8(ascii: "#") { run += 1 }
                    if peek(run) == UInt8(ascii: "\"") {
                        skipString()
                    } else {
                        poundRun(run)
                    }
                default:
                    if !token(byte) { advance() }
                }
            }
        }

        /// One byte of code outside comments and strings; true when it moved past it itself
        /// (the `)` that ends an interpolation goes on through the rest of the string).
        mutating func token(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "["), UInt8(ascii: "("):
                if bracketRun == 0 {
                    bracketRunStart = location
                    runHasBracket = false
                }
                bracketRun += 1
                runHasBracket = runHasBracket || byte == UInt8(ascii: "[")
                if byte == UInt8(ascii: "("), var open = interpolations.popLast() {
                    open.parens += 1
                    interpolations.append(open)
                }
                if bracketRun > NestingGuard.bracketRunLimit, runHasBracket {
                    report(.brackets, "more than \(NestingGuard.bracketRunLimit) `[` and `(` nested directly inside "
                           + "each other", at: bracketRunStart)
                }
                return false
            case UInt8(ascii: "<") where index > 0 && Self.isNameByte(bytes[index - 1]):
                angles += 1
                if angles > NestingGuard.angleLimit {
                    report(.angles, "more than \(NestingGuard.angleLimit) `<` nested after names", at: location)
                }
            case UInt8(ascii: ">"):
                angles = max(angles - 1, 0)
            case UInt8(ascii: ")"):
                if var open = interpolations.popLast() {
                    if open.parens == 0 {
                        // The interpolation ends: back inside its string.
                        bracketRun = 0
                        advance()
                        skipStringBody(hashes: open.hashes, multiline: open.multiline)
                        return true
                    }
                    open.parens -= 1
                    interpolations.append(open)
                }
            case UInt8(ascii: ";"):
                angles = 0
            case UInt8(ascii: "\\"):
                backslashes += 1
                if backslashes > NestingGuard.backslashLimit {
                    report(.backslashes, "more than \(NestingGuard.backslashLimit) `\\` outside string literals", at: location)
                }
            default:
                break
            }
            bracketRun = 0
            return false
        }

        static func isNameByte(_ byte: UInt8) -> Bool {
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_") || byte >= 0x80
        }

        mutating func skipBlockComment() {
            var depth = 0
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "*") {
                    depth += 1
                    advance()
                } else if bytes[index] == UInt8(ascii: "*"), peek(1) == UInt8(ascii: "/") {
                    depth -= 1
                    advance()
                    if depth == 0 {
                        advance()
                        return
                    }
                }
                advance()
            }
        }

        mutating func skipString() {
            var hashes = 0
            while peek() == UInt8(ascii: "#") {
                hashes += 1
                advance()
            }
            let multiline = peek() == UInt8(ascii: "\"") && peek(1) == UInt8(ascii: "\"") && peek(2) == UInt8(ascii: "\"")
            for _ in 0..<(multiline ? 3 : 1) where index < bytes.count { advance() }
            skipStringBody(hashes: hashes, multiline: multiline)
        }

        /// Skips to the end of a string's body, or stops after `\(` (with the right number of
        /// `#`s), leaving an open interpolation for `token` to close.
        mutating func skipStringBody(hashes: Int, multiline: Bool) {
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\\"), (0..<hashes).allSatisfy({ peek($0 + 1) == UInt8(ascii: "#") }) {
                    if peek(hashes + 1) == UInt8(ascii: "(") {
                        for _ in 0...(hashes + 1) { advance() }
                        interpolations.append((parens: 0, hashes: hashes, multiline: multiline))
                        if interpolations.count > NestingGuard.interpolationLimit {
                            report(.interpolations, "more than \(NestingGuard.interpolationLimit) string interpolations "
                                   + "nested inside each other", at: location)
                        }
                        return
                    }
                    advance()
                    if index < bytes.count { advance() }
                    continue
                }
                if byte == UInt8(ascii: "\""), closesString(hashes: hashes, multiline: multiline) {
                    for _ in 0..<((multiline ? 3 : 1) + hashes) where index < bytes.count { advance() }
                    return
                }
                if byte == UInt8(ascii: "\n"), !multiline {
                    advance()
                    return
                }
                advance()
            }
        }

        func closesString(hashes: Int, multiline: Bool) -> Bool {
            let quotes = multiline ? 3 : 1
            for offset in 0..<quotes where peek(offset) != UInt8(ascii: "\"") { return false }
            return (0..<hashes).allSatisfy { peek(quotes + $0) == UInt8(ascii: "#") }
        }
    }

    /// Control characters other than tab and line ends, format characters (U+FEFF, U+200B), line
    /// and paragraph separators, spaces other than U+0020, and noncharacters.
    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control:
            return !["\t", "\n", "\r"].contains(scalar)
        case .format, .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return scalar != " "
        case .unassigned:
            return scalar.properties.isNoncharacterCodePoint
        default:
            return false
        }
    }
}
