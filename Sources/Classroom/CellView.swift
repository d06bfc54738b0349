import CellScript
import Notebook
import Render

/// How the room draws a cell's view (`CellView` is the protocol's plain data).
extension CellView {
    static func pending(_ index: Int) -> CellView {
        CellView(index: index, status: "pending", prompt: LessonPage.inPrompt(nil), state: "", html: "")
    }

    static func running(_ index: Int) -> CellView {
        CellView(index: index, status: "running", prompt: "In [*]", state: "running…", html: "")
    }

    /// The view of a cell the stepper reports; `number` is the execution count of the cell
    /// that ran last (the only one that can have just finished). `hidingOutputs` leaves only
    /// the checks of what the cell showed.
    /// `forStudents` (a `--student` class) leaves out hidden checks.
    init(index: Int, state: NotebookStepper.CellState, number: Int, hidingOutputs: Bool, stale: Set<String> = [],
         forStudents: Bool = false) {
        switch state {
        case .pending:
            self = .pending(index)
        case .skipped:
            self.init(index: index, status: "skipped", prompt: LessonPage.inPrompt(nil), state: "skipped", html: "")
        case .ran(let outcome):
            let words = outcome.fromCache ? "from the cache" : ProgressText.duration(outcome.duration)
            self.init(index: index, status: LessonPage.statusClass(outcome.status),
                      prompt: LessonPage.inPrompt(number), state: words,
                      html: hidingOutputs ? LessonPage.checks(outcome)
                        : LessonPage.outputs(outcome, number: number, figurePrefix: "c\(index)_\(number)_",
                                             forStudents: forStudents),
                      stale: stale.sorted().map(CellDataFlow.readableName))
        }
    }
}
