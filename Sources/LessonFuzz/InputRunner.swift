import CellScript
import Foundation
import Notebook
import Render

/// Runs one input the ways the commands do, through the libraries: parse (`lesson check`'s
/// diagnostics too), highlight, the handout, the run and its reports for both audiences, the
/// transcript, the served page, and for a student's file the grading run. Then checks what came
/// out (`TextInvariants`) and what changed outside the sandbox (`EscapeWatch`).
final class InputRunner {
    let sandbox: Sandbox
    let watch: EscapeWatch
    let limits: RunLimits

    init(sandbox: Sandbox, watch: EscapeWatch, limits: RunLimits) {
        self.sandbox = sandbox
        self.watch = watch
        self.limits = limits
    }

    /// How the last input's cells ended (see `Produced.statuses`).
    private(set) var lastStatuses: [String: Int] = [:]

    /// The findings of input `index` (empty when it ran as it should).
    func run(_ input: FuzzInput, index: Int) -> [Finding] {
        var produced = Produced()
        var invariants = TextInvariants(document: nil, text: nil)
        do {
            try sandbox.reset(lesson: input.lesson, student: input.student)
            let file = sandbox.lesson.appendingPathComponent(FuzzInput.lessonName)
            let (document, text) = try NotebookParser.load(contentsOf: file, name: FuzzInput.lessonName)
            invariants = TextInvariants(document: document, text: text)
            checkCells(document, text: text, into: &produced)
            renderStatic(document, text: text, into: &produced)
            let lesson = clamped(document)
            let cached = input.origin.hasSuffix(FuzzInput.cacheSuffix)
            runLesson(lesson, text: text, params: Self.params(input), cached: cached, into: &produced)
            if cached { runLesson(lesson, text: text, params: Self.params(input), cached: true, into: &produced) }
            if input.student != nil { grade(lesson, text: text, into: &produced) }
        } catch {
            produced.add("the notebook's load error", "\(error)")
        }
        lastStatuses = produced.statuses
        var found = produced.problems(under: invariants)
        found[.escape, default: []] += watch.problems()
        return Finding.Kind.allCases.compactMap { kind in
            guard let messages = found[kind], !messages.isEmpty else { return nil }
            return Finding(kind: kind, index: index, message: messages.prefix(20).joined(separator: "\n"))
        }
    }

    /// What `lesson check` reports: warnings, and every cell's and check's parse diagnostics.
    private func checkCells(_ document: NotebookDocument, text: String, into produced: inout Produced) {
        var lines = document.warnings.map(\.description)
        for cell in document.cells {
            do {
                _ = try CellParser.parse(cell.source, firstLine: cell.firstLine)
            } catch {
                lines += error.diagnostics.map { $0.rendered(file: FuzzInput.lessonName, source: text) }
            }
            for check in cell.options.checks {
                do {
                    _ = try CellParser.parseCheck(check.expression, line: check.line, column: check.column)
                } catch {
                    lines += error.diagnostics.map { $0.rendered(file: FuzzInput.lessonName, source: text) }
                }
            }
        }
        produced.add("check diagnostics", lines)
    }

    /// What needs no run: terminal highlighting and prose, the handout, the served page.
    private func renderStatic(_ document: NotebookDocument, text: String, into produced: inout Produced) {
        var terminal: [String] = []
        for block in document.blocks {
            switch block {
            case .cell(let cell): terminal.append(SwiftHighlighter.ansi(for: cell.source, colour: true))
            case .prose(let prose): terminal.append(TerminalMarkdown.render(prose, style: TerminalStyle(width: 80, colour: true)))
            }
        }
        produced.add("terminal text", terminal)
        if !document.exercises.isEmpty {
            produced.add("student handout", StudentHandout.text(of: document, text: text), student: true)
        }
        produced.add("served page", LessonPage.render(document: document, audience: .instructor).html, html: true)
        produced.add("served student page", LessonPage.render(document: document, audience: .student).html, html: true, student: true)
    }

    /// The document with every cell's time limit cut to `limits.cellSeconds`.
    private func clamped(_ document: NotebookDocument) -> NotebookDocument {
        var document = document
        document.blocks = document.blocks.map { block in
            guard case .cell(var cell) = block else { return block }
            cell.options.timeoutSeconds = min(cell.options.timeoutSeconds ?? limits.cellSeconds, limits.cellSeconds)
            return .cell(cell)
        }
        return document
    }

    /// The lesson from `Notebooks/` trains for its `epochs`; one is enough here.
    private static func params(_ input: FuzzInput) -> [String: String] {
        input.origin.contains("quickstart") ? ["epochs": "1"] : [:]
    }
}
