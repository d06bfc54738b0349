import CellScript

/// A lesson with a student's answers to run in place of its solutions, in one session.
///
/// The lesson is never rebuilt from text with the answers inside: its parsed cells stay as they
/// are, and each attempted exercise gets a `GradedAnswer`, the solution cell with the student's
/// code (read by `AnswerSheet`) as its source. So the lesson's prose, cells and checks are
/// exactly the lesson's whatever an answer holds, and an answer's options never apply: its cell
/// runs with the solution cell's options and checks, under `error: allow` (the run goes on
/// past an answer that raises) and with a time limit when the lesson sets none, so an answer
/// that never ends cannot hang grading.
///
/// Each exercise is graded on its own. An answer runs on the session the lesson's own cells and
/// solutions lead to; after its checks the session goes back to how it was before it and the
/// lesson's solution runs in its place, unseen (`NotebookExecutor`). Nothing an answer defines
/// reaches later cells: a wrong answer cannot make later exercises fail, and an answer cannot
/// define what a later exercise checks. An exercise the student did not attempt (no code in its
/// cell, only the placeholder comment) runs the lesson's solution as a cell of the run.
public struct GradingPlan {
    /// One exercise: the lesson's solution and the student's answer.
    public struct Slot: Sendable {
        public var exercise: Exercise
        /// The answer to run, nil when not attempted.
        public var answer: GradedAnswer?
    }

    /// The lesson as it runs: its own cells, each solution cell under `error: allow` so a
    /// lesson solution that raises (when not attempted) does not stop the exercises after it.
    public let lesson: NotebookDocument
    /// The lesson file's text, where every cell but an answer is located.
    public let lessonText: String
    /// The graded run as its report shows it: the lesson with each attempted solution cell's
    /// code replaced by the answer's (so a report shows the student's code, never the solution's).
    public let document: NotebookDocument
    /// One per exercise, in order.
    public let slots: [Slot]
    /// The attempted answers by the index of the solution cell each runs in place of.
    public let answers: [Int: GradedAnswer]

    /// - Parameters:
    ///   - lesson: the lesson, parsed from `lessonText`.
    ///   - answers: the student's answers, matched to `lesson`'s exercises.
    ///   - answerTimeLimit: seconds an answer may run when the lesson's solution cell sets no
    ///     `timeout:`; nil for no limit.
    public init(lesson: NotebookDocument, lessonText: String, answers: AnswerSheet, answerTimeLimit: Double? = nil) {
        var running = lesson
        running.blocks = lesson.blocks.map { block in
            guard case .cell(var cell) = block, cell.options.solution else { return block }
            cell.options.error = .allow
            return .cell(cell)
        }
        slots = running.exercises.map { exercise in
            let answer = answers.cells[exercise.number].flatMap { cell in
                Self.hasCode(cell.source) ? GradedAnswer(cell: cell, from: answers, replacing: exercise.cell,
                                                         timeLimit: answerTimeLimit) : nil
            }
            return Slot(exercise: exercise, answer: answer)
        }
        let answers = Dictionary(uniqueKeysWithValues: slots.compactMap { slot in
            slot.answer.map { (slot.exercise.cell.index, $0) }
        })
        var shown = running
        shown.blocks = running.blocks.map { block in
            guard case .cell(let cell) = block, let answer = answers[cell.index] else { return block }
            return .cell(answer.cell)
        }
        self.answers = answers
        self.lesson = running
        self.lessonText = lessonText
        document = shown
    }

    /// An executor for the graded run: the lesson, with the answers in place of its solutions.
    /// - Parameters:
    ///   - libraries: built-ins beyond the standard library (the model API); `[]` in tests.
    ///   - clock: where cell start times and durations are read.
    public func executor(libraries: [any BuiltinLibrary] = [], clock: any ExecutionClock = SystemClock())
        -> NotebookExecutor {
        NotebookExecutor(document: lesson, text: lessonText, libraries: libraries, clock: clock, answers: answers)
    }

    /// Seconds an answer may run when the lesson's solution cell sets no `timeout:` (`lesson
    /// grade --answer-timeout`'s default, and the limit of an answer in `lesson step --student`).
    public static let defaultAnswerTimeLimit: Double = 60

    /// Whether an answer has anything but blank lines and `//` comments (the handout's placeholder).
    public static func hasCode(_ source: String) -> Bool {
        source.split(separator: "\n").contains { line in
            let trimmed = line.trimmingWhitespace()
            return !trimmed.isEmpty && !trimmed.hasPrefix("//")
        }
    }
}
