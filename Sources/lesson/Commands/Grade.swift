import ArgumentParser
import CellScript
import ModelAPI
import Engine
import Foundation
import Notebook
import Render

/// `lesson grade`: runs a lesson with a student's answers in place of its solutions and says
/// which exercises pass their checks.
struct Grade: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Grade a student's notebook, or a folder of them, against the lesson's checks.",
        discussion: """
            Each exercise is graded from the lesson's saved state just before its solution cell \
            (saved in the lesson's cell cache by `lesson grade --prepare LESSON`, or when missing): \
            the student's answer runs there in place of the `//| solution: true` cell, then the \
            checks, so nothing before the exercise runs again and a wrong answer costs only its \
            own exercise. Points: `//| points: N` on the solution cell (default 1), shared by its \
            checks unless one says `check: EXPR, points: M`; `//| hidden-check: EXPR` counts but \
            is never shown to students. With a FOLDER, every file in it is a student (the name \
            without .md): graded in processes of their own, --jobs at once, each a row of the \
            table and of --gradebook grades.csv, with the reason when it could not be graded; \
            --feedback DIR writes one page a student; unchanged submissions come from a grading cache.

            With -o or --full-run, the whole lesson runs with the student's answers in place of \
            its solutions, as follows. \
            An answer is the code of the cell of STUDENT marked `//| exercise: N`, where N \
            counts the lesson's solution cells from 1 (the numbering `lesson run --student` \
            writes), and nothing else: the cell's option lines (`check:`, `eval:`, `error:` ...) \
            and the rest of STUDENT are ignored, and the answer is never put into the lesson's \
            Markdown, so it cannot add cells, checks or prose (a ``` line in it is a Swift \
            syntax error). The lesson's checks and options apply; answers run under \
            `error: allow` with a time limit. Each answer runs on what the lesson's own cells \
            and solutions define, and afterwards the lesson's solution runs in its place, so \
            what an answer defines never reaches later cells or exercises.

            A table shows for each exercise: passed, failed (every failing check), error \
            (located in the student's file), not attempted (no code, only the placeholder \
            comment; the lesson's solution runs in its place) or not run (an earlier lesson cell \
            failed). The run does not use the cell cache.

            STUDENT is refused, with each reason at its line, when its cells cannot be matched \
            to the exercises one to one: an exercise answered by two cells, an exercise the \
            lesson does not have, an `exercise:` value that is not a whole number from 1 or is \
            given twice in a cell, a code block marked `exercise:` that is not a cell (indented, \
            in a list or quote, or not ```swift), or no cell marked `exercise:` at all.

            Exit status: 0 when every exercise passed, 1 otherwise, 2 when a file is unusable \
            (unreadable, not a notebook, refused as above, or a lesson without exercises).
            """)

    @ArgumentParser.Argument(help: ArgumentHelp(
        "The student's notebook (a handout with answers), a folder of them (one file a student), or with --prepare the lesson.",
        valueName: "student"))
    var studentNotebook: String

    @Option(name: .customLong("against"), help: ArgumentHelp("The lesson with the solutions and checks.",
                                                             valueName: "lesson"))
    var lessonNotebook: String?

    @Flag(help: ArgumentHelp(
        "Save the lesson's state before every exercise, for grading (grading does it itself when one is missing).",
        discussion: "The states go into the cell cache, keyed by everything before the exercise: a lesson changed since "
            + "gets new ones, old ones are never used."))
    var prepare = false

    @Flag(name: .customLong("full-run"), help: ArgumentHelp(
        "Grade by running the whole lesson with the answers (no saved states, no cache).",
        discussion: "What -o does too: its report is of the whole graded run."))
    var fullRun = false

    @Option(name: .customLong("gradebook"), help: ArgumentHelp(
        "Grading a folder: write one CSV row a student (student, exercise 1 … exercise N in points, total, note).",
        valueName: "file"))
    var gradebook: String?

    @Option(name: .customLong("feedback"), help: ArgumentHelp(
        "Write one HTML page a student into this folder: their answers, outputs, each check passed or failed, the points.",
        discussion: "Hidden checks are counted there, never shown.", valueName: "dir"))
    var feedback: String?

    @Option(help: ArgumentHelp("Grading a folder: how many submissions are graded at once (default: the cores).",
                               valueName: "n"))
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    /// Set by a class grading for the process it starts per submission: grade from the saved
    /// states only (exit 3 when one is missing), never prepare them.
    @Flag(name: .customLong("saved-states-only"), help: .hidden)
    var savedStatesOnly = false

    @Option(name: [.customShort("o"), .customLong("output")],
            help: ArgumentHelp("Also write an HTML report of the graded run (instructor view).", valueName: "file"))
    var output: String?

    @OptionGroup var inputs: NotebookInputs

    @Option(name: .customLong("answer-timeout"), help: ArgumentHelp(
        "Seconds an answer may run when the lesson's solution cell sets no `//| timeout:`.",
        discussion: "An answer past it is an error (\"ran past its time limit\"); the other exercises are still graded.",
        valueName: "seconds"))
    var answerTimeout: Double = GradingPlan.defaultAnswerTimeLimit

    @Flag(help: "Print one JSON object with every exercise's result instead of a table.")
    var json = false

    func validate() throws {
        guard answerTimeout > 0, answerTimeout.isFinite else {
            throw ValidationError("--answer-timeout must be a positive number of seconds")
        }
        guard jobs >= 1 else { throw ValidationError("--jobs must be 1 or more") }
        if !prepare, lessonNotebook == nil { throw ValidationError("--against LESSON names the lesson to grade against") }
    }

    func run() throws {
        if prepare {
            try prepareStates(lesson: lessonNotebook ?? studentNotebook)
            return
        }
        guard let lessonNotebook else { throw ExitCode(2) }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: studentNotebook, isDirectory: &isFolder), isFolder.boolValue {
            try ClassGrading(command: self, folder: studentNotebook, lesson: lessonNotebook).run()
            return
        }
        let lessonURL = URL(fileURLWithPath: lessonNotebook)
        let lesson = try NotebookFile.load(lessonNotebook)
        let student = try NotebookFile.load(studentNotebook)
        let exercises = lesson.document.exercises.count
        guard exercises > 0 else {
            Console.error("\(lessonNotebook):1: error: the lesson has no exercises; mark solution cells with "
                          + "`//| solution: true`")
            throw ExitCode(2)
        }
        let answers: AnswerSheet
        do {
            answers = try AnswerSheet(student: student.document, text: student.text, exerciseCount: exercises)
        } catch {
            Console.error(error.description)
            throw ExitCode(2)
        }
        let plan = GradingPlan(lesson: lesson.document, lessonText: lesson.text, answers: answers,
                               answerTimeLimit: answerTimeout)
        // What the answers (and the lesson's cells) write goes to a private folder that is
        // thrown away: grading leaves nothing behind, and an answer cannot plant files.
        let scratch: PrivateFolder
        do {
            scratch = try PrivateFolder(prefix: "lesson-grade")
        } catch {
            Console.error("\(error.localizedDescription)")
            throw ExitCode(2)
        }
        defer { scratch.remove() }
        let dataLog = DataLog()
        let library = NotebookRunning.library(lesson.document, at: lessonURL, dataDirectory: inputs.dataDirectory,
                                              seed: inputs.seed, dataLog: dataLog, scratch: scratch.url)
        if output == nil, !fullRun {
            let grading = try savedStateGrading(lesson: lesson, url: lessonURL, library: library, dataLog: dataLog)
            if !savedStatesOnly { report(grading.prepare(onCell: Self.preparing)) }
            if let graded = grading.gradeWithOutcomes(plan) {
                try writeFeedback(lesson: lesson.document, plan: plan, grades: graded.grades, outcomes: graded.outcomes)
                try show(graded.grades)
                return
            }
            if savedStatesOnly { throw ExitCode(3) }
            Console.warning("a saved state is missing: grading by running the whole lesson")
        }
        let destination = try output.map {
            try ReportDestination(notebook: lessonURL, output: $0, inputs: [URL(fileURLWithPath: studentNotebook)])
        }
        let executor = plan.executor(libraries: [library])
        executor.memoryBudget = try inputs.memoryBudget()
        let interrupt = Interrupt(message: "interrupt: stopping the grading run") { executor.cancel() }
        let result = executor.run(params: try inputs.parsedParams())
        _ = interrupt
        for warning in result.warnings { Console.warning(warning) }
        for error in result.setupErrors { Console.stderr(error) }
        let grades = plan.grades(result.outcomes)
        try writeFeedback(lesson: lesson.document, plan: plan, grades: grades,
                          outcomes: Dictionary(result.outcomes.map { ($0.cell.index, $0) }) { first, _ in first })

        // The grades first: a report that cannot be written must not take them with it.
        if json {
            Console.line(GradeTable.json(grades, student: studentNotebook, lesson: lessonNotebook))
        } else {
            Console.line(GradeTable.text(grades))
        }
        if let destination {
            if try writeReport(result, plan: plan, dataLog: dataLog, to: destination).isFallback {
                throw ExitCode(2)
            }
        }
        if result.cancelled { throw ExitCode(130) }
        if !grades.allSatisfy({ $0.result == .passed }) { throw ExitCode(1) }
    }

    /// With `--feedback DIR`: the student's page, `DIR/<student>.html` (the file's name without `.md`).
    private func writeFeedback(lesson: NotebookDocument, plan: GradingPlan, grades: [ExerciseGrade],
                               outcomes: [Int: CellOutcome]) throws {
        guard let feedback else { return }
        let student = URL(fileURLWithPath: studentNotebook).deletingPathExtension().lastPathComponent
        let items = zip(plan.slots, grades).map { slot, grade in
            FeedbackPage.Item(exercise: slot.exercise,
                              outcome: slot.answer == nil ? nil : outcomes[slot.exercise.cell.index], grade: grade)
        }
        try Self.writeFeedback(FeedbackPage.render(lesson: lesson, student: student, items: items),
                               student: student, folder: feedback)
    }

    /// Writes a student's feedback page into `folder` (made when missing), atomically.
    static func writeFeedback(_ html: String, student: String, folder: String) throws {
        let directory = URL(fileURLWithPath: folder, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try AtomicFile.write(html, to: directory.appendingPathComponent("\(student).html"))
        } catch {
            Console.error("cannot write the feedback page for \(student) in \(folder): \(error.localizedDescription)")
            throw ExitCode(2)
        }
    }

    /// Prints `grades` (a table, or JSON) and exits 1 unless every exercise passed.
    private func show(_ grades: [ExerciseGrade]) throws {
        if json {
            Console.line(GradeTable.json(grades, student: studentNotebook, lesson: lessonNotebook ?? ""))
        } else {
            Console.line(GradeTable.text(grades))
        }
        if !grades.allSatisfy({ $0.result == .passed }) { throw ExitCode(1) }
    }

    /// Grading from the states saved in the lesson's cell cache.
    func savedStateGrading(lesson: (document: NotebookDocument, text: String), url: URL, library: ModelAPI,
                           dataLog: DataLog) throws -> SavedStateGrading {
        var grading = SavedStateGrading(lesson: lesson.document, lessonText: lesson.text,
                                        cache: NotebookRunning.cache(for: url, seed: inputs.seed, dataLog: dataLog),
                                        params: try inputs.parsedParams(), libraries: [library])
        grading.memoryBudget = try inputs.memoryBudget()
        return grading
    }

    /// `--prepare`: the states before every exercise of `lesson`, saved in its cell cache.
    private func prepareStates(lesson path: String) throws {
        let url = URL(fileURLWithPath: path)
        let lesson = try NotebookFile.load(path)
        guard !lesson.document.exercises.isEmpty else {
            Console.error("\(path):1: error: the lesson has no exercises; mark solution cells with `//| solution: true`")
            throw ExitCode(2)
        }
        let dataLog = DataLog()
        let library = NotebookRunning.library(lesson.document, at: url, dataDirectory: inputs.dataDirectory,
                                              seed: inputs.seed, dataLog: dataLog)
        let preparation = try savedStateGrading(lesson: lesson, url: url, library: library, dataLog: dataLog)
            .prepare(onCell: Self.preparing)
        report(preparation)
        Console.line("\(preparation.ready.count) of \(lesson.document.exercises.count) exercises ready for grading"
                     + " (\(preparation.cellsRun) cell\(preparation.cellsRun == 1 ? "" : "s") ran)")
        if !preparation.problems.isEmpty { throw ExitCode(2) }
    }

    private static func preparing(_ cell: Cell) {
        Console.stderr("preparing the saved states: running cell \(cell.index)" + (cell.options.label.map { " (\($0))" } ?? ""))
    }

    private func report(_ preparation: SavedStateGrading.Preparation) {
        for problem in preparation.problems { Console.warning(problem) }
    }

    /// The graded run's instructor report: the lesson with the student's answers' code in place
    /// of its solutions (shown as code, like every cell).
    private func writeReport(_ run: NotebookRun, plan: GradingPlan, dataLog: DataLog,
                             to destination: ReportDestination) throws -> ReportDestination.Saved {
        let facts = ReportFacts(run: run, engineVersion: EngineVersion.string, seed: inputs.seed,
                                dataFiles: DataChecksums.files(in: dataLog.directories),
                                command: "lesson grade \(studentNotebook) --against \(lessonNotebook ?? "")")
        return try destination.write(HTMLReport.render(document: plan.document, outcomes: run.outcomes, facts: facts),
                                  interrupted: run.cancelled)
    }
}
