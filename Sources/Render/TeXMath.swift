import Foundation

/// The TeX that lessons write between `$...$` and `$$...$$`, as MathML Core (which Chromium
/// and Firefox draw natively) and as readable text for the terminal.
///
/// Supported: letters, numbers and operators; `_` and `^` (with `{...}` groups); `\frac`,
/// `\sqrt`; `\sum`, `\prod` with limits; `\exp`, `\log`, `\ln`, `\tanh`, `\sin`, `\cos`,
/// `\max`, `\min`, `\arg`; Greek letters; `\odot`, `\cdot`, `\times`, `\leq`, `\geq`, `\neq`,
/// `\approx`, `\in`, `\to`, `\infty`, `\ldots`, `\cdots`, `\pm`; `\left`/`\right` (dropped);
/// `\mathbf`, `\mathrm`, `\text`; matrices (`\begin{pmatrix}`, `bmatrix`, `matrix`, rows by
/// `\\`, columns by `&`). Anything else is refused with the command's name, so a lesson shows
/// it as code (and `lesson check` warns) instead of broken markup.
public enum TeXMath {
    public struct Unsupported: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// `tex` as a `<math>` element.
    public static func mathML(_ tex: String, display: Bool) throws(Unsupported) -> String {
        var parser = Parser(tex)
        let node = try parser.parseAll()
        return "<math\(display ? " display=\"block\"" : "")>" + node.mathML(display: display) + "</math>"
    }

    /// `tex` as plain text: σ, x², (a)/(b), x_t.
    public static func text(_ tex: String) throws(Unsupported) -> String {
        var parser = Parser(tex)
        return try parser.parseAll().text
    }

    // MARK: The tree

    indirect enum Node {
        case row([Node])
        case identifier(String, bold: Bool)
        case number(String)
        case op(String, large: Bool)
        case function(String)
        case text(String)
        case fraction(Node, Node)
        case root(Node)
        case scripts(Node, sub: Node?, sup: Node?)
        case matrix([[Node]], open: String, close: String)

        func mathML(display: Bool) -> String {
            switch self {
            case .row(let nodes):
                return "<mrow>" + nodes.map { $0.mathML(display: display) }.joined() + "</mrow>"
            case .identifier(let name, let bold):
                return "<mi\(bold ? " mathvariant=\"bold\"" : "")>\(HTML.escape(name))</mi>"
            case .number(let digits):
                return "<mn>\(HTML.escape(digits))</mn>"
            case .op(let symbol, let large):
                return "<mo\(large ? " largeop=\"true\"" : "")>\(HTML.escape(symbol))</mo>"
            case .function(let name):
                return "<mi mathvariant=\"normal\">\(HTML.escape(name))</mi><mo>\u{2061}</mo>"
            case .text(let text):
                return "<mtext>\(HTML.escape(text))</mtext>"
            case .fraction(let top, let bottom):
                return "<mfrac>" + top.mathML(display: display) + bottom.mathML(display: display) + "</mfrac>"
            case .root(let inner):
                return "<msqrt>" + inner.mathML(display: display) + "</msqrt>"
            case .scripts(let base, let sub, let sup):
                let large: Bool
                if case .op(_, true) = base { large = display } else { large = false }
                let b = base.mathML(display: display)
                switch (sub, sup) {
                case (let sub?, let sup?):
                    let tag = large ? "munderover" : "msubsup"
                    return "<\(tag)>\(b)\(sub.mathML(display: display))\(sup.mathML(display: display))</\(tag)>"
                case (let sub?, nil):
                    let tag = large ? "munder" : "msub"
                    return "<\(tag)>\(b)\(sub.mathML(display: display))</\(tag)>"
                case (nil, let sup?):
                    let tag = large ? "mover" : "msup"
                    return "<\(tag)>\(b)\(sup.mathML(display: display))</\(tag)>"
                case (nil, nil):
                    return b
                }
            case .matrix(let rows, let open, let close):
                let table = "<mtable>" + rows.map { row in
                    "<mtr>" + row.map { "<mtd>" + $0.mathML(display: display) + "</mtd>" }.joined() + "</mtr>"
                }.joined() + "</mtable>"
                guard !open.isEmpty else { return table }
                return "<mrow><mo>\(open)</mo>\(table)<mo>\(close)</mo></mrow>"
            }
        }

        var text: String {
            switch self {
            case .row(let nodes): return nodes.map(\.text).joined()
            case .identifier(let name, _), .number(let name), .text(let name): return name
            case .op(let symbol, _):
                return [",", "(", ")", "[", "]", "|", "!", "'"].contains(symbol) ? symbol : " \(symbol) "
            case .function(let name): return name
            case .fraction(let top, let bottom): return "(\(top.text))/(\(bottom.text))"
            case .root(let inner): return "√(\(inner.text))"
            case .scripts(let base, let sub, let sup):
                var text = base.text
                if let sub { text += "_" + Self.grouped(sub.text) }
                if let sup { text += Self.superscript(sup.text) ?? ("^" + Self.grouped(sup.text)) }
                return text
            case .matrix(let rows, let open, let close):
                return open + rows.map { $0.map(\.text).joined(separator: ", ") }.joined(separator: "; ") + close
            }
        }

        private static func grouped(_ text: String) -> String {
            text.count == 1 ? text : "(\(text.trimmingCharacters(in: .whitespaces)))"
        }

        private static let superscripts: [Character: Character] = [
            "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹",
            "+": "⁺", "-": "⁻", "−": "⁻", "n": "ⁿ", "i": "ⁱ", "T": "ᵀ",
        ]

        private static func superscript(_ text: String) -> String? {
            let trimmed = text.replacingOccurrences(of: " ", with: "")
            guard !trimmed.isEmpty else { return nil }
            let mapped = trimmed.compactMap { superscripts[$0] }
            return mapped.count == trimmed.count ? String(mapped) : nil
        }
    }

    // MARK: Parsing

    static let greek: [String: String] = [
        "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "zeta": "ζ",
        "eta": "η", "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ",
        "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "φ", "varphi": "φ", "chi": "χ",
        "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π",
        "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    ]
    static let operators: [String: String] = [
        "odot": "⊙", "cdot": "·", "times": "×", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠",
        "approx": "≈", "in": "∈", "to": "→", "rightarrow": "→", "leftarrow": "←", "infty": "∞", "ldots": "…",
        "cdots": "⋯", "pm": "±", "partial": "∂", "nabla": "∇", "mid": "∣", "quad": "\u{2003}", "qquad": "\u{2003}\u{2003}",
        ",": "\u{2009}",
    ]
    static let largeOperators: [String: String] = ["sum": "∑", "prod": "∏"]
    static let functions: Set<String> = ["exp", "log", "ln", "tanh", "sin", "cos", "tan", "max", "min", "arg",
                                         "argmax", "argmin", "softmax"]

    struct Parser {
        private let characters: [Character]
        private var index = 0
        /// Groups, scripts and commands open now: the parser recurses into each, so a formula
        /// nested deeper than `maxDepth` is refused rather than allowed to exhaust the stack.
        private var depth = 0
        static let maxDepth = 64
        /// A formula longer than this is refused (prose is someone's text, and may be huge).
        static let maxLength = 20_000

        init(_ tex: String) {
            characters = Array(tex)
        }

        mutating func parseAll() throws(Unsupported) -> Node {
            guard characters.count <= Self.maxLength else {
                throw Unsupported(description: "the formula is longer than \(Self.maxLength) characters")
            }
            let node = try parseRow(stopAt: [])
            if index < characters.count { throw Unsupported(description: "unexpected `\(characters[index])`") }
            return node
        }

        private var atEnd: Bool { index >= characters.count }

        private mutating func skipSpaces() {
            while !atEnd, characters[index].isWhitespace { index += 1 }
        }

        /// A row of atoms up to (not past) `}`, `&`, a row break, `\end` or the end.
        private mutating func parseRow(stopAt stops: Set<String>) throws(Unsupported) -> Node {
            var nodes: [Node] = []
            while true {
                skipSpaces()
                guard !atEnd else { break }
                let character = characters[index]
                if character == "}" || (character == "&" && stops.contains("&")) { break }
                if character == "\\", stops.contains("row"), rowBreakAhead() { break }
                if character == "\\", peekCommand() == "end" { break }
                if character == "\\", peekCommand() == "right" {
                    index += "\\right".count
                    skipSpaces()
                    if !atEnd { nodes.append(.op(String(characters[index]) == "." ? "" : String(characters[index]), large: false)); index += 1 }
                    continue
                }
                var atom = try parseAtom()
                atom = try parseScripts(atom)
                nodes.append(atom)
            }
            return nodes.count == 1 ? nodes[0] : .row(nodes)
        }

        /// `\\` between rows (or a lone `\` followed by space: Markdown turns `\\` into `\`).
        private func rowBreakAhead() -> Bool {
            guard index + 1 < characters.count else { return true }
            let next = characters[index + 1]
            return next == "\\" || next.isWhitespace
        }

        private func peekCommand() -> String? {
            guard index < characters.count, characters[index] == "\\" else { return nil }
            var end = index + 1
            while end < characters.count, characters[end].isLetter { end += 1 }
            return end > index + 1 ? String(characters[(index + 1)..<end]) : nil
        }

        private mutating func parseScripts(_ base: Node) throws(Unsupported) -> Node {
            var sub: Node?
            var sup: Node?
            while true {
                skipSpaces()
                guard !atEnd, characters[index] == "_" || characters[index] == "^" else { break }
                let isSub = characters[index] == "_"
                index += 1
                skipSpaces()
                let script = try parseAtom()
                if isSub { sub = script } else { sup = script }
            }
            return sub == nil && sup == nil ? base : .scripts(base, sub: sub, sup: sup)
        }

        private mutating func parseGroup() throws(Unsupported) -> Node {
            skipSpaces()
            guard !atEnd, characters[index] == "{" else { return try parseAtom() }
            index += 1
            let inner = try parseRow(stopAt: [])
            guard !atEnd, characters[index] == "}" else { throw Unsupported(description: "a `{` is not closed") }
            index += 1
            return inner
        }

        private mutating func rawGroup() throws(Unsupported) -> String {
            skipSpaces()
            guard !atEnd, characters[index] == "{" else { throw Unsupported(description: "expected `{`") }
            index += 1
            var depth = 1
            var text = ""
            while !atEnd {
                let character = characters[index]
                index += 1
                if character == "{" { depth += 1 }
                if character == "}" {
                    depth -= 1
                    if depth == 0 { return text }
                }
                text.append(character)
            }
            throw Unsupported(description: "a `{` is not closed")
        }

        private mutating func parseAtom() throws(Unsupported) -> Node {
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maxDepth else {
                throw Unsupported(description: "the formula is nested more than \(Self.maxDepth) levels deep")
            }
            skipSpaces()
            guard !atEnd else { throw Unsupported(description: "something is missing at the end") }
            let character = characters[index]
            if character == "{" { return try parseGroup() }
            if character.isLetter {
                index += 1
                return .identifier(String(character), bold: false)
            }
            if character.isNumber {
                var digits = ""
                while !atEnd, characters[index].isNumber || (characters[index] == "." && !digits.contains(".")) {
                    digits.append(characters[index])
                    index += 1
                }
                return .number(digits)
            }
            if character == "\\" { return try parseCommand() }
            if "+-=<>()[]|,;:!'/*.".contains(character) {
                index += 1
                return .op(character == "-" ? "−" : String(character), large: false)
            }
            throw Unsupported(description: "`\(character)` is not supported in math")
        }

        private mutating func parseCommand() throws(Unsupported) -> Node {
            index += 1
            guard !atEnd else { throw Unsupported(description: "a `\\` ends the formula") }
            var name = ""
            if characters[index].isLetter {
                while !atEnd, characters[index].isLetter {
                    name.append(characters[index])
                    index += 1
                }
            } else {
                name = String(characters[index])
                index += 1
            }
            if let letter = TeXMath.greek[name] { return .identifier(letter, bold: false) }
            if let symbol = TeXMath.operators[name] { return .op(symbol, large: false) }
            if let symbol = TeXMath.largeOperators[name] { return .op(symbol, large: true) }
            if TeXMath.functions.contains(name) { return .function(name) }
            switch name {
            case "frac":
                let top = try parseGroup()
                return .fraction(top, try parseGroup())
            case "sqrt":
                return .root(try parseGroup())
            case "text", "mathrm", "operatorname":
                let text = try rawGroup()
                return name == "text" ? .text(text) : .function(text)
            case "mathbf", "boldsymbol":
                let text = try rawGroup()
                return .identifier(text.filter { !$0.isWhitespace }, bold: true)
            case "left":
                skipSpaces()
                guard !atEnd else { throw Unsupported(description: "`\\left` without a delimiter") }
                let delimiter = characters[index]
                index += 1
                return .op(delimiter == "." ? "" : String(delimiter), large: false)
            case "begin":
                return try parseMatrix(kind: try rawGroup())
            case "{", "}", "$", "%", "#", "_", "&":
                return .op(name, large: false)
            case " ":
                return .op("\u{2002}", large: false)
            default:
                throw Unsupported(description: "`\\\(name)` is not supported")
            }
        }

        private mutating func parseMatrix(kind: String) throws(Unsupported) -> Node {
            let delimiters: [String: (String, String)] = ["pmatrix": ("(", ")"), "bmatrix": ("[", "]"), "matrix": ("", ""),
                                                           "vmatrix": ("|", "|")]
            guard let (open, close) = delimiters[kind] else {
                throw Unsupported(description: "the environment `\(kind)` is not supported (pmatrix, bmatrix, matrix, vmatrix are)")
            }
            var rows: [[Node]] = [[]]
            while true {
                let cell = try parseRow(stopAt: ["&", "row"])
                rows[rows.count - 1].append(cell)
                skipSpaces()
                guard !atEnd else { throw Unsupported(description: "`\\begin{\(kind)}` has no `\\end{\(kind)}`") }
                if characters[index] == "&" {
                    index += 1
                    continue
                }
                if peekCommand() == "end" {
                    index += "\\end".count
                    let ended = try rawGroup()
                    guard ended == kind else { throw Unsupported(description: "`\\begin{\(kind)}` ends with `\\end{\(ended)}`") }
                    break
                }
                if characters[index] == "\\" {
                    index += 1
                    if !atEnd, characters[index] == "\\" { index += 1 }
                    rows.append([])
                    continue
                }
                throw Unsupported(description: "unexpected `\(characters[index])` in a matrix")
            }
            if rows.last?.isEmpty == true || (rows.count > 1 && rows.last?.count == 1 && rows.last?.first.map(Self.isEmpty) == true) {
                rows.removeLast()
            }
            return .matrix(rows, open: open, close: close)
        }

        private static func isEmpty(_ node: Node) -> Bool {
            if case .row(let nodes) = node { return nodes.isEmpty }
            return false
        }
    }
}
