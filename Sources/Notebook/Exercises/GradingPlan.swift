/// A lesson with a student's answers in place of its solutions, ready to run in one session.
///
/// The combined notebook is the lesson's text with only the code of each solution cell replaced
/// (its option lines, so its checks, stay the lesson's): students can change neither the checks
/// nor the other cells. An exercise the student did not attempt (no `//| exercise: N` cell, or
/// one with only comments) keeps the lesson's own solution, so the cells after it still have
/// what they need and later exercises are graded on their own. Answer cells run under
/// `error: allow` (the run goes on past an answer that raises) and with a time limit when the
/// lesson sets none, so an answer that never ends cannot hang grading. An answer that raises
/// or is wrong is not replaced by the solution, though: a later lesson cell that uses what it
/// should have defined fails too, and the exercises after that cell are then "not run", or
/// graded on the wrong values.
public struct GradingPlan {
    /// One exercise: the lesson's solution, the combined notebook's cell, the student's answer.
    public struct Slot: Sendable {
        public var exercise: Exercise
        /// The cell in `document` (same index as the lesson's).
        public var combinedCell: Cell
        /// The student's cell, nil when not attempted.
        public var answer: Cell?
    }

    /// The combined notebook (named after the lesson) and its text.
    public let document: NotebookDocument
    public let text: String
    public let slots: [Slot]
    /// Problems with the student's file that do not stop grading (an exercise answered twice,
    /// an exercise number the lesson does not have).
    public let warnings: [NotebookWarning]
    /// The lesson's cells, to point the combined notebook's lines back at the lesson.
    let lessonCells: [Cell]

    /// False when an answer's code broke the combined notebook's cells (say, it holds a fence
    /// line), so the combined cells no longer line up with the lesson's and grading is unsafe.
    public var cellsMatchLesson: Bool {
        document.cells.count == lessonCells.count
            && zip(document.cells, lessonCells).allSatisfy { $0.options.solution == $1.options.solution }
    }

    /// - Parameters:
    ///   - lesson: the lesson, parsed from `lessonText`.
    ///   - student: the student's notebook; its `//| exercise: N` cells are the answers.
    ///   - answerTimeLimit: seconds an answer cell may run when the lesson's solution cell sets
    ///     no `timeout:`; nil for no limit.
    public init(lesson: NotebookDocument, lessonText: String, student: NotebookDocument,
                answerTimeLimit: Double? = nil) {
        let exercises = lesson.exercises
        let (answers, warnings) = Self.answers(in: student, exercises: exercises)
        let original = NotebookDocument.lines(of: lessonText)
        var lines = original.map(String.init)
        for exercise in exercises.reversed() {
            guard let answer = answers[exercise.number] else { continue }
            let at = CellLines(cell: exercise.cell, lines: original)
            lines.replaceSubrange(at.code, with: answer.source.split(separator: "\n", omittingEmptySubsequences: false)
                .map(String.init))
        }
        text = lines.joined(separator: "\n")
        var document = NotebookParser.parse(text: text, file: lesson.file)
        document.blocks = document.blocks.map { block in
            guard case .cell(var cell) = block, cell.options.solution else { return block }
            cell.options.error = .allow
            cell.options.timeoutSeconds = cell.options.timeoutSeconds ?? answerTimeLimit
            return .cell(cell)
        }
        let combinedCells = document.cells
        slots = exercises.map { exercise in
            let combined = combinedCells.first { $0.index == exercise.cell.index } ?? exercise.cell
            return Slot(exercise: exercise, combinedCell: combined, answer: answers[exercise.number])
        }
        self.document = document
        self.warnings = warnings
        lessonCells = lesson.cells
    }

    /// The student's answers by exercise number: the first `//| exercise: N` cell with code for
    /// each exercise the lesson has, and warnings for cells that are not graded.
    private static func answers(in student: NotebookDocument, exercises: [Exercise])
        -> (answers: [Int: Cell], warnings: [NotebookWarning]) {
        var answers: [Int: Cell] = [:]
        var warnings: [NotebookWarning] = []
        for cell in student.cells {
            guard let number = cell.options.exercise else { continue }
            if answers[number] != nil {
                warnings.append(NotebookWarning("exercise \(number) is answered again here; the first answer is graded",
                                                line: cell.fenceLine, file: student.file))
            } else if !exercises.contains(where: { $0.number == number }) {
                warnings.append(NotebookWarning(
                    "the lesson has no exercise \(number) (it has \(exercises.count)); this cell is not graded",
                    line: cell.fenceLine, file: student.file))
            } else if Self.hasCode(cell.source) {
                answers[number] = cell
            }
        }
        return (answers, warnings)
    }

    /// Whether a cell has anything but blank lines and `//` comments (the handout's placeholder).
    static func hasCode(_ source: String) -> Bool {
        source.split(separator: "\n").contains { line in
            let trimmed = line.trimmingWhitespace()
            return !trimmed.isEmpty && !trimmed.hasPrefix("//")
        }
    }
}
