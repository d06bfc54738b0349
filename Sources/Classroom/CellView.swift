import Notebook
import Render

/// What a page shows of one cell.
struct CellView {
    var index: Int
    /// `pending`, `running`, `skipped`, or a finished cell's report status class.
    var status: String
    var prompt: String
    /// A few words after the prompt: the duration, "from the cache", "running…".
    var state: String
    /// The outputs, rendered.
    var html: String

    static func pending(_ index: Int) -> CellView {
        CellView(index: index, status: "pending", prompt: LessonPage.inPrompt(nil), state: "", html: "")
    }

    static func running(_ index: Int) -> CellView {
        CellView(index: index, status: "running", prompt: "In [*]", state: "running…", html: "")
    }

    init(index: Int, status: String, prompt: String, state: String, html: String) {
        self.index = index
        self.status = status
        self.prompt = prompt
        self.state = state
        self.html = html
    }

    /// The view of a cell the stepper reports; `number` is the execution count of the cell
    /// that ran last (the only one that can have just finished). `hidingOutputs` leaves only
    /// the checks of what the cell showed.
    init(index: Int, state: NotebookStepper.CellState, number: Int, hidingOutputs: Bool) {
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
                        : LessonPage.outputs(outcome, number: number, figurePrefix: "c\(index)_\(number)_"))
        }
    }

    var fields: [String: Any] {
        ["cell": index, "status": status, "prompt": prompt, "state": state, "html": html]
    }

    var event: [String: Any] {
        var event = fields
        event["type"] = "cell"
        return event
    }
}
