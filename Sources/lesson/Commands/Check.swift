import ArgumentParser
import CellScript
import Foundation
import ModelAPI
import Notebook
import Render

/// `lesson check`: every diagnostic of one or more notebooks, without running anything.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check notebooks for errors without running them.",
        discussion: """
            Parses each notebook (front matter, cells and their //| options), parses and \
            lowers every ```swift cell, and checks each call to a built-in against its declared \
            signature (labels, missing or extra arguments, literals of the wrong type; see \
            `lesson builtins`), printing every problem as file:line:column with the line and a caret. Nothing is run, so this takes well under a second. \
            Exit status: 0 when there are no errors, 1 otherwise (2 when a notebook cannot be read).
            """)

    @ArgumentParser.Argument(help: ArgumentHelp("Notebooks (Markdown files).", valueName: "notebook"))
    var notebooks: [String]

    @Flag(help: "Count warnings as errors.")
    var warningsAsErrors = false

    func validate() throws {
        guard !notebooks.isEmpty else { throw ValidationError("give at least one notebook, e.g. Notebooks/*.md") }
    }

    func run() throws {
        var unreadable = false
        var failed = false
        for notebook in notebooks {
            let loaded: (document: NotebookDocument, text: String)
            do {
                loaded = try NotebookParser.load(contentsOf: URL(fileURLWithPath: notebook), name: notebook)
            } catch {
                Console.error("\(error)")
                unreadable = true
                continue
            }
            let report = NotebookCheck(document: loaded.document, text: loaded.text, file: notebook)
            for line in report.messages { Console.stderr(line) }
            Console.line(report.summary)
            if report.errorCount > 0 || (warningsAsErrors && report.warningCount > 0) { failed = true }
        }
        if unreadable { throw ExitCode(2) }
        if failed { throw ExitCode(1) }
    }
}

/// The diagnostics of one notebook: its parse warnings and every cell's syntax and
/// unsupported-construct errors, in file order.
struct NotebookCheck {
    private(set) var messages: [String] = []
    private(set) var errorCount = 0
    let warningCount: Int
    let summary: String

    /// What calls are checked against: the standard library's and the model API's declarations.
    static var signatures: [BuiltinSignature] { BuiltinRegistry.signatures(of: [ModelAPI()]) }

    /// Each formula in the prose that the pages cannot draw, at its line: it shows as code.
    /// The prose is read as the page reads it (`MathSpans.runs` over the Markdown tree), so math
    /// is never looked for in code, and each formula is placed at its own line.
    static func mathWarnings(_ document: NotebookDocument, file: String) -> [(line: Int, text: String)] {
        var warnings: [(line: Int, text: String)] = []
        for case .prose(let prose) in document.blocks {
            for node in prose.nodes { mathWarnings(in: node, line: node.startLine, file: file, into: &warnings) }
        }
        return warnings
    }

    private static func mathWarnings(in node: MarkdownNode, line start: Int, file: String,
                                     into warnings: inout [(line: Int, text: String)]) {
        var line = node.startLine > 0 ? node.startLine : start
        MathSpans.runs(of: node.children, text: { run in
            var at = line
            for segment in MathSpans.split(run) {
                switch segment {
                case .text(let plain):
                    at += plain.filter { $0 == "\n" }.count
                case .math(let tex, let display):
                    do throws(TeXMath.Unsupported) {
                        _ = try TeXMath.mathML(tex, display: display)
                    } catch {
                        warnings.append((at, "\(file):\(at): warning: this math is shown as code: \(error.description)"))
                    }
                    at += tex.filter { $0 == "\n" }.count
                }
            }
            line += run.filter { $0 == "\n" }.count
        }, other: { child in
            mathWarnings(in: child, line: line, file: file, into: &warnings)
            line += child.allNodes.filter { $0.kind == .softBreak || $0.kind == .lineBreak }.count
        })
    }

    init(document: NotebookDocument, text: String, file: String, signatures: [BuiltinSignature] = Self.signatures) {
        var located: [(line: Int, text: String)] = document.warnings.map { ($0.line, $0.description) }
        var programs: [CellProgram] = []
        var diagnostics: [(diagnostic: CellDiagnostic, cellLine: Int)] = []
        for cell in document.cells {
            do {
                programs.append(try CellParser.parse(cell.source, firstLine: cell.firstLine, columnShifts: cell.columnShifts))
            } catch {
                diagnostics += error.diagnostics.map { ($0, cell.firstLine) }
            }
        }
        diagnostics += CallCheck.diagnostics(programs, signatures: signatures).map { ($0, 1) }
        diagnostics += document.inlineExpressions.flatMap { inline in inline.problems.map { ($0, inline.line) } }
        for (diagnostic, cellLine) in diagnostics {
            located.append((diagnostic.location?.line ?? cellLine, diagnostic.rendered(file: file, source: text)))
        }
        errorCount = diagnostics.count
        let math = Self.mathWarnings(document, file: file)
        located += math
        messages = located.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }
            .map(\.element.text)
        warningCount = document.warnings.count + math.count
        let cells = document.cells.count
        var parts: [String] = []
        parts.append(errorCount == 0 ? "no errors" : "\(errorCount) error\(errorCount == 1 ? "" : "s")")
        if warningCount > 0 { parts.append("\(warningCount) warning\(warningCount == 1 ? "" : "s")") }
        summary = "\(file): \(cells) cell\(cells == 1 ? "" : "s"), \(parts.joined(separator: ", "))"
    }
}
