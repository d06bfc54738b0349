import CellScript
import ModelAPI
import Foundation
import Limits
import Notebook
import Render

/// The runs: the lesson as `lesson run` runs it, and the grading run as `lesson grade` does.
extension InputRunner {
    /// Runs the lesson and renders everything a run renders. With `cached`, the run uses the
    /// cell cache beside the lesson, storing every cell's state; a second such run resumes from it.
    func runLesson(_ document: NotebookDocument, text: String, params: [String: String], cached: Bool = false,
                   into produced: inout Produced) {
        let dataLog = DataLog()
        let files = FileScope(lessonFolder: sandbox.lesson, reportFolder: sandbox.output)
        let executor = NotebookExecutor(document: document, text: text,
                                        libraries: [library(document, files: files, dataLog: dataLog, into: &produced)])
        let lessonFile = sandbox.lesson.appendingPathComponent(FuzzInput.lessonName)
        let cache = cached ? CacheSettings(cache: CellCache(folder: CellCache.folder(forNotebook: lessonFile)),
                                           engineVersion: "fuzz", seed: 1, stateThreshold: 0) : nil
        let result = execute(executor, params: params, cache: cache)
        produced.add("run warnings and setup errors", result.warnings + result.setupErrors)
        let facts = ReportFacts(run: result, engineVersion: "fuzz", seed: 1, command: "lesson run lesson.md",
                                warnings: document.warnings.map(\.description))
        produced.add("report", HTMLReport.render(document: document, outcomes: result.outcomes, facts: facts), html: true)
        produced.add("student report", HTMLReport.render(document: document, outcomes: result.outcomes, facts: facts,
                                                         audience: .student), html: true, student: true)
        var transcript: [String] = []
        var number = 0
        for outcome in result.outcomes {
            produced.statuses[Self.statusName(outcome.status), default: 0] += 1
            let ran = outcome.startedAt != nil
            if ran { number += 1 }
            transcript.append(Transcript.cellHeader(outcome.cell, number: ran ? number : nil, total: document.cells.count))
            transcript.append(Transcript.outcome(outcome, number: ran ? number : nil, cancelled: result.cancelled))
            let fragment = LessonPage.outputs(outcome, number: ran ? number : nil, figurePrefix: "f\(outcome.cell.index)-")
            produced.add("served outputs of cell \(outcome.cell.index)", fragment, html: true)
            if outcome.cell.options.solution {
                produced.add("served student checks of cell \(outcome.cell.index)", LessonPage.checks(outcome),
                             html: true, student: true)
            }
        }
        produced.add("transcript", transcript)
    }

    /// Grades the student's file against the lesson, writes going to the scratch folder only.
    func grade(_ lesson: NotebookDocument, text: String, into produced: inout Produced) {
        let file = sandbox.lesson.appendingPathComponent(FuzzInput.studentName)
        let answers: AnswerSheet
        do {
            let student = try NotebookParser.load(contentsOf: file, name: FuzzInput.studentName)
            produced.add("student warnings", student.document.warnings.map(\.description))
            answers = try AnswerSheet(student: student.document, text: student.text, exerciseCount: lesson.exercises.count)
        } catch {
            produced.add("answer sheet refusal", "\(error)")
            return
        }
        let before = Self.entries(under: [sandbox.lesson, sandbox.output])
        let plan = GradingPlan(lesson: lesson, lessonText: text, answers: answers, answerTimeLimit: limits.cellSeconds)
        let files = FileScope(lessonFolder: sandbox.lesson, reportFolder: sandbox.output, scratch: sandbox.scratch)
        let dataLog = DataLog()
        let executor = plan.executor(libraries: [library(lesson, files: files, dataLog: dataLog, into: &produced)])
        let result = execute(executor, params: [:])
        let grades = plan.grades(result.outcomes)
        produced.add("grades", grades.map { "\($0.number) \($0.result.rawValue) \($0.detail ?? "") \($0.checks.map(\.summary))" })
        produced.add("graded report", HTMLReport.render(document: plan.document, outcomes: result.outcomes,
                                                        facts: ReportFacts(run: result, engineVersion: "fuzz")), html: true)
        let written = Self.entries(under: [sandbox.lesson, sandbox.output]).subtracting(before)
        if !written.isEmpty {
            produced.findings[.escape, default: []].append("grading wrote outside its scratch folder: \(written.sorted())")
        }
    }

    /// Runs under the memory budget and the per-cell limit, cancelled after `limits.inputSeconds`.
    private func execute(_ executor: NotebookExecutor, params: [String: String], cache: CacheSettings? = nil) -> NotebookRun {
        executor.defaultTimeLimit = limits.cellSeconds
        executor.memoryBudget = MemoryBudget(limit: limits.memoryBytes)
        let cancel = DispatchWorkItem { executor.cancel() }
        DispatchQueue.global().asyncAfter(deadline: .now() + limits.inputSeconds, execute: cancel)
        defer { cancel.cancel() }
        return executor.run(params: params, cache: cache)
    }

    /// The model API as the commands set it up: the front matter's `data:` (relative to the
    /// lesson's folder) or else the sandbox's small corpus.
    private func library(_ document: NotebookDocument, files: FileScope, dataLog: DataLog,
                         into produced: inout Produced) -> ModelAPI {
        var directory = sandbox.data.path
        if let named = document.dataDirectory, !named.isEmpty {
            let expanded = (named as NSString).expandingTildeInPath
            directory = expanded.hasPrefix("/") ? expanded
                : sandbox.lesson.appendingPathComponent(expanded).standardizedFileURL.path
            let real = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
            let canary = sandbox.canary.resolvingSymlinksInPath().path
            if real == canary || real.hasPrefix(canary + "/") { produced.dataIsCanary = true }
        }
        return ModelAPI(dataDirectory: directory, files: files, seed: 1, dataLog: dataLog)
    }

    /// A cell's status as one word, and for failures the phase of the first diagnostic.
    static func statusName(_ status: CellStatus) -> String {
        switch status {
        case .ran: return "ran"
        case .failed(let diagnostics): return "failed: \(diagnostics.first.map { "\($0.phase)" } ?? "?")"
        case .expectedFailure: return "expected failure"
        case .missingExpectedError: return "missing expected error"
        case .skipped: return "skipped"
        case .notRun: return "not run"
        }
    }

    /// Every path under `folders` (links not followed).
    static func entries(under folders: [URL]) -> Set<String> {
        var paths = Set<String>()
        for folder in folders {
            for path in FileManager.default.subpaths(atPath: folder.path) ?? [] {
                paths.insert(folder.lastPathComponent + "/" + path)
            }
        }
        return paths
    }
}
