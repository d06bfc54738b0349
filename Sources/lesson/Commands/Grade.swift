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
        abstract: "Grade a student's notebook against the lesson's checks.",
        discussion: """
            Runs LESSON with the student's answers in place of its `//| solution: true` cells. \
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

    @ArgumentParser.Argument(help: ArgumentHelp("The student's notebook (a handout with answers).",
                                                valueName: "student"))
    var studentNotebook: String

    @Option(name: .customLong("against"), help: ArgumentHelp("The lesson with the solutions and checks.",
                                                             valueName: "lesson"))
    var lessonNotebook: String

    @Option(name: [.customShort("o"), .customLong("output")],
            help: ArgumentHelp("Also write an HTML report of the graded run (instructor view).", valueName: "file"))
    var output: String?

    @OptionGroup var inputs: NotebookInputs

    @Option(name: .customLong("answer-timeout"), help: ArgumentHelp(
        "Seconds an answer may run when the lesson's solution cell sets no `//| timeout:`.",
        discussion: "An answer past it is an error (\"ran past its time limit\"); the other exercises are still graded.",
        valueName: "seconds"))
    var answerTimeout: Double = 60

    @Flag(help: "Print one JSON object with every exercise's result instead of a table.")
    var json = false

    func validate() throws {
        guard answerTimeout > 0, answerTimeout.isFinite else {
            throw ValidationError("--answer-timeout must be a positive number of seconds")
        }
    }

    func run() throws {
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
        let destination = try output.map {
            try ReportDestination(notebook: lessonURL, output: $0, inputs: [URL(fileURLWithPath: studentNotebook)])
        }
        let plan = GradingPlan(lesson: lesson.document, lessonText: lesson.text, answers: answers,
                               answerTimeLimit: answerTimeout)

        let dataLog = DataLog()
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
        let library = NotebookRunning.library(lesson.document, at: lessonURL, dataDirectory: inputs.dataDirectory,
                                              seed: inputs.seed, dataLog: dataLog, scratch: scratch.url)
        let executor = plan.executor(libraries: [library])
        executor.memoryBudget = try inputs.memoryBudget()
        let interrupt = Interrupt(message: "interrupt: stopping the grading run") { executor.cancel() }
        let result = executor.run(params: try inputs.parsedParams())
        _ = interrupt
        for warning in result.warnings { Console.warning(warning) }
        for error in result.setupErrors { Console.stderr(error) }
        let grades = plan.grades(result.outcomes)

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

    /// The graded run's instructor report: the lesson with the student's answers' code in place
    /// of its solutions (shown as code, like every cell).
    private func writeReport(_ run: NotebookRun, plan: GradingPlan, dataLog: DataLog,
                             to destination: ReportDestination) throws -> ReportDestination.Saved {
        let facts = ReportFacts(run: run, engineVersion: EngineVersion.string, seed: inputs.seed,
                                dataFiles: DataChecksums.files(in: dataLog.directories),
                                command: "lesson grade \(studentNotebook) --against \(lessonNotebook)")
        return try destination.write(HTMLReport.render(document: plan.document, outcomes: run.outcomes, facts: facts),
                                  interrupted: run.cancelled)
    }
}
