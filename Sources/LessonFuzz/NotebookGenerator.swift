/// Whole notebooks: front matter, prose and cells in a random order, their code from the cell
/// grammar or from mutated case files, and at the end the file-wide oddities (byte order mark,
/// CRLF or lone CR line endings, no final newline).
struct NotebookGenerator {
    /// Case-file cells to mutate; empty for grammar-only cells.
    let cells: [String]

    /// A notebook and what the generator knows about it.
    struct Lesson {
        var text: String
        /// How many cells were written with `solution: true`.
        var solutions = 0
    }

    /// - Parameters:
    ///   - solutions: how many cells to make exercise solutions (with checks and a secret comment
    ///     that must never reach a student's view; see `StudentLeakInvariant`).
    ///   - mutatedCells: the share of cells whose code is a mutated case-file cell.
    func lesson(_ g: inout Generation, solutions: Int = 0, mutatedCells: Double = 0.15) -> Lesson {
        var code = CellCodeGenerator()
        let front = FrontMatterGenerator.lines(&g)
        var parts = front.lines.isEmpty ? [] : [front.lines.joined(separator: "\n")]
        let cellCount = g.random.int(1...(g.random.chance(0.9) ? 6 : 25)) + solutions
        var solutionPositions = Set<Int>()
        while solutionPositions.count < min(solutions, cellCount) {
            solutionPositions.insert(g.random.int(0...(cellCount - 1)))
        }
        var written = 0
        for position in 0..<cellCount {
            if g.random.chance(0.7) { parts.append(ProseGenerator.block(&g)) }
            let isSolution = solutionPositions.contains(position)
            let body: (code: String, names: [String])
            if isSolution {
                body = solutionCode(&g, code: &code)
            } else if !cells.isEmpty, g.random.chance(mutatedCells) {
                body = (Mutator.mutateText(g.random.pick(cells, or: ""), donors: cells, &g), [])
            } else {
                body = (code.cell(&g), [])
            }
            var options = CellBlockGenerator.options(&g, solution: isSolution, names: body.names)
            // Most generated code fails somewhere; let later cells run anyway.
            if !isSolution, g.random.chance(0.5) { options.insert("//| error: allow", at: 0) }
            parts.append(CellBlockGenerator.block(code: body.code, options: options, &g))
            if isSolution { written += 1 }
        }
        if g.random.chance(0.5) { parts.append(ProseGenerator.block(&g)) }
        let separator = g.random.chance(0.9) ? "\n\n" : g.random.pick(["\n", "\n\n\n\n", "\n \n"])
        return Lesson(text: Self.fileOddities(parts.joined(separator: separator), &g), solutions: written)
    }

    /// A solution: code that binds a name the checks can test, and a comment only solutions have.
    private func solutionCode(_ g: inout Generation, code: inout CellCodeGenerator) -> (code: String, names: [String]) {
        let name = g.fresh("answer")
        let value = code.expression(g.random.pick([.int, .string, .ints], or: .int), &g, depth: 2)
        var lines = ["// \(SecretToken.make(&g))", "let \(name) = \(value)"]
        if g.random.chance(0.5) { lines.append(code.statement(&g, depth: 1)) }
        if g.random.chance(0.3) { lines.append("print(\(name))") }
        return (lines.joined(separator: "\n"), [name])
    }

    /// A byte order mark, CRLF or CR line endings and a missing final newline, each sometimes.
    static func fileOddities(_ text: String, _ g: inout Generation) -> String {
        var text = text + (g.random.chance(0.9) ? "\n" : "")
        switch g.random.weighted([20, 3, 1, 1]) {
        case 0: break
        case 1: text = text.replacingOccurrences(of: "\n", with: "\r\n")
        case 2: text = text.replacingOccurrences(of: "\n", with: "\r")
        default: text = mixedEndings(text, &g)
        }
        if g.random.chance(0.05) { text = "\u{FEFF}" + text }
        return text
    }

    private static func mixedEndings(_ text: String, _ g: inout Generation) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0 + (g.random.chance(0.5) ? "\r\n" : "\n") }.joined()
    }
}

/// The comment that marks a solution's code: it must never appear in a student's report, page
/// or handout when it stands only in solution cells.
enum SecretToken {
    static let prefix = "fzsecret"

    static func make(_ g: inout Generation) -> String {
        g.fresh(prefix)
    }
}
