import Notebook

/// Students' answer files for a lesson with exercises: the handout `lesson run --student` writes,
/// with each placeholder replaced by an answer (the solution itself, generated code, code with
/// fences, prose, HTML or option lines in it, hostile code), and sometimes the file's structure
/// broken: exercise cells duplicated, renumbered, indented, quoted, fenced with tildes or removed.
enum StudentGenerator {
    static func student(for lesson: String, _ g: inout Generation) -> String {
        let document = NotebookParser.parse(text: lesson, file: "lesson.md")
        var text = StudentHandout.text(of: document, text: lesson)
        for exercise in document.exercises {
            let placeholder = StudentHandout.placeholder(exercise.number)
            let answer = self.answer(solution: exercise.cell.source, &g)
            if let range = text.range(of: placeholder) { text.replaceSubrange(range, with: answer) }
        }
        for _ in 0..<g.random.int(0...(g.random.chance(0.7) ? 0 : 3)) {
            text = restructure(text, exercises: document.exercises.count, &g)
        }
        if g.random.chance(0.05) {
            text = String(decoding: Mutator.mutate(text, donors: [lesson], &g), as: UTF8.self)
        }
        return NotebookGenerator.fileOddities(text, &g)
    }

    private static func answer(solution: String, _ g: inout Generation) -> String {
        var code = CellCodeGenerator()
        switch g.random.weighted([3, 4, 4, 2, 2, 2, 2, 2]) {
        case 0: return StudentHandout.placeholder(1)
        case 1: return solution
        case 2: return code.cell(&g)
        case 3: return g.random.pick(["```", "```swift", "~~~", "````", "```\n\n# Heading\n\n```swift"]) + "\n" + code.cell(&g)
        case 4: return "# Not code\n\nSome *prose* " + g.markerTag() + "\n- a list"
        case 5: return g.random.pick(["//| check: true", "//| exercise: 2", "//| solution: true", "//| timeout: 99999",
                                      "//| eval: false", "//| error: expected", "//| check: { while true {} }()"]) + "\n" + solution
        case 6: return HostileCode.statement(&g, code: &code)
        default: return ModelAPICode.statement(&g, code: &code) + "\nprint(" + g.markerExpression() + ")"
        }
    }

    /// One structural change to the whole file.
    private static func restructure(_ text: String, exercises: Int, _ g: inout Generation) -> String {
        var lines = text.components(separatedBy: "\n")
        let marked = lines.indices.filter { lines[$0].hasPrefix("//| exercise:") }
        guard let line = marked.isEmpty ? nil : g.random.pick(marked, or: 0) else {
            return text + "\n\n```swift\n//| exercise: 1\nprint(1)\n```\n"
        }
        let fence = (0..<line).last { lines[$0].hasPrefix("```") || lines[$0].hasPrefix("~~~") } ?? max(line - 1, 0)
        let close = ((line + 1)..<lines.count).first { lines[$0].hasPrefix("```") || lines[$0].hasPrefix("~~~") } ?? (lines.count - 1)
        switch g.random.int(0...6) {
        case 0:
            lines.insert(contentsOf: Array(lines[fence...close]), at: close + 1)
        case 1:
            lines[line] = "//| exercise: " + g.random.pick(["0", "-1", String(exercises + 1), "99", "one", "1.5", "1 1", "", "2"])
        case 2:
            lines.insert("//| exercise: " + String(g.random.int(1...max(exercises, 1))), at: line + 1)
        case 3:
            for index in fence...close { lines[index] = g.random.pick(["    ", "> ", "- "]) + lines[index] }
        case 4:
            lines[fence] = lines[fence].replacingOccurrences(of: "```", with: "~~~")
        case 5:
            lines.remove(at: line)
        default:
            lines.insert(ProseGenerator.block(&g), at: fence)
        }
        return lines.joined(separator: "\n")
    }
}
