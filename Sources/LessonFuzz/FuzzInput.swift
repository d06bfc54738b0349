import Foundation

/// One generated input: a lesson to check, run and render, and for grading a student's file.
/// The lesson is bytes, not text: mutations may leave it invalid UTF-8, which the parser must
/// refuse cleanly.
struct FuzzInput: Equatable {
    /// What made it, e.g. `generated`, `mutated quickstart.md`, `grade generated`.
    var origin: String
    var lesson: [UInt8]
    /// The student's file, when the input is a grading run.
    var student: [UInt8]?

    static let lessonName = "lesson.md"
    /// Ends the origin of inputs run twice with the cell cache (stored, then resumed from).
    static let cacheSuffix = " +cache"
    static let studentName = "student.md"

    /// Writes the input's files into `folder` (created when missing), with its origin.
    func save(in folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(lesson).write(to: folder.appendingPathComponent(Self.lessonName))
        if let student { try Data(student).write(to: folder.appendingPathComponent(Self.studentName)) }
        try Data(origin.utf8).write(to: folder.appendingPathComponent("origin.txt"))
    }

    /// The input saved in `folder` by `save(in:)`; nil when it holds no lesson.
    static func load(from folder: URL) -> FuzzInput? {
        guard let lesson = try? Data(contentsOf: folder.appendingPathComponent(lessonName)) else { return nil }
        let student = try? Data(contentsOf: folder.appendingPathComponent(studentName))
        let origin = (try? String(contentsOf: folder.appendingPathComponent("origin.txt"), encoding: .utf8)) ?? "saved"
        return FuzzInput(origin: origin, lesson: Array(lesson), student: student.map(Array.init))
    }
}

/// Makes input `index` of run `seed`, the same on every call and in every process.
struct InputGenerator: Sendable {
    let corpus: Corpus

    func input(seed: UInt64, index: Int) -> FuzzInput {
        var g = Generation(random: FuzzRandom(seed: seed, index: index))
        var input = makeInput(&g)
        if input.student == nil, g.random.chance(0.2) { input.origin += FuzzInput.cacheSuffix }
        return input
    }

    private func makeInput(_ g: inout Generation) -> FuzzInput {
        let notebooks = NotebookGenerator(cells: corpus.cells)
        switch g.random.weighted([40, 15, 15, 25, 5]) {
        case 0:
            return FuzzInput(origin: "generated", lesson: Array(notebooks.lesson(&g).text.utf8))
        case 1:
            return caseFileNotebook(&g)
        case 2:
            return mutatedNotebook(&g)
        case 3:
            return gradingInput(&g, notebooks: notebooks)
        default:
            let lesson = notebooks.lesson(&g, mutatedCells: 0.9)
            return FuzzInput(origin: "generated with case-file cells", lesson: Array(lesson.text.utf8))
        }
    }

    /// Case-file cells (mutated) as a notebook, most under `error: allow` so every cell runs.
    private func caseFileNotebook(_ g: inout Generation) -> FuzzInput {
        guard !corpus.cells.isEmpty else { return FuzzInput(origin: "generated", lesson: Array(NotebookGenerator(cells: []).lesson(&g).text.utf8)) }
        var parts: [String] = []
        for _ in 0...g.random.int(0...5) {
            var code = g.random.pick(corpus.cells, or: "")
            if g.random.chance(0.8) { code = Mutator.mutateText(code, donors: corpus.cells, &g) }
            let options = g.random.chance(0.7) ? ["//| error: allow"] : CellBlockGenerator.options(&g, solution: false, names: [])
            parts.append(CellBlockGenerator.block(code: code, options: options, &g))
        }
        return FuzzInput(origin: "case-file cells", lesson: Array(parts.joined(separator: "\n\n").utf8))
    }

    /// A lesson from `Notebooks/`, its Markdown mutated as bytes.
    private func mutatedNotebook(_ g: inout Generation) -> FuzzInput {
        guard !corpus.notebooks.isEmpty else { return caseFileNotebook(&g) }
        let notebook = g.random.pick(corpus.notebooks, or: ("", ""))
        let donors = corpus.notebooks.map(\.text) + corpus.cells
        return FuzzInput(origin: "mutated \(notebook.name)", lesson: Mutator.mutate(notebook.text, donors: donors, &g))
    }

    /// A lesson with exercises and a student's file to grade against it.
    private func gradingInput(_ g: inout Generation, notebooks: NotebookGenerator) -> FuzzInput {
        let lesson: String
        let origin: String
        if g.random.chance(0.25), let quickstart = corpus.notebooks.first(where: { $0.text.contains("solution: true") }) {
            lesson = quickstart.text
            origin = "grade \(quickstart.name)"
        } else {
            lesson = notebooks.lesson(&g, solutions: g.random.int(1...3)).text
            origin = "grade generated"
        }
        let student = StudentGenerator.student(for: lesson, &g)
        return FuzzInput(origin: origin, lesson: Array(lesson.utf8), student: Array(student.utf8))
    }
}
