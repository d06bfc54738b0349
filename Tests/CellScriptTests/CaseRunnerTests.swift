import Foundation
import Testing
import TestSupport
@testable import CellScript
@testable import ModelAPI

/// Crafting-Interpreters-style cases: every file in `Cases/` is a sequence of cells
/// run in one session; comments state what each cell must print or show.
///
/// - `// cell` on its own line starts a new cell (the file starts with one).
/// - `// expect: text`: the next line of output, or the cell's displayed value
///   (`Value.displayText`, shown after the cell's printed lines).
/// - `// expect error: message`: the cell ends with this diagnostic (syntax,
///   unsupported, runtime or interrupted); the next cell still runs.
/// - `// expect error at 3:7`: that error's notebook-file line and column.
/// - `// step limit: 500`: the step budget from the next cell on.
@Suite struct CaseRunnerTests {
    /// A folder of case files and the session its cells run in.
    enum Folder: String, CaseIterable, Sendable {
        /// The language and its standard library.
        case language = "Cases"
        /// The model API, with the real Penn Treebank at hand.
        case modelAPI = "Cases/ModelAPI"

        var url: URL {
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(rawValue)
        }

        func makeSession() -> Session {
            switch self {
            case .language: Session()
            case .modelAPI: Session(libraries: [ModelAPI(dataDirectory: TestPaths.realData.path)])
            }
        }

        /// The `.swift` case files directly in this folder, sorted.
        var files: [String] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
            return names.filter { $0.hasSuffix(".swift") }.sorted()
        }
    }

    /// Every case file with its folder.
    static let cases: [CaseName] = Folder.allCases.flatMap { folder in folder.files.map { CaseName(folder: folder, file: $0) } }

    /// Kept for the fuzz tests, which mutate the language cases.
    static let casesDirectory = Folder.language.url
    static let caseFiles = Folder.language.files

    @Test func casesExist() {
        #expect(Folder.language.files.count >= 20)
        #expect(Folder.modelAPI.files.count >= 3)
    }

    @Test(arguments: cases)
    func runCase(_ name: CaseName) throws {
        let text = try String(contentsOf: name.folder.url.appendingPathComponent(name.file), encoding: .utf8)
        let caseFile = CaseFile(text)
        let actual = CaseFile.run(caseFile.cells, session: name.folder.makeSession())
        if let failure = CaseFile.compare(expected: caseFile.expectations, actual: actual) {
            Issue.record("\(name): \(failure)")
        }
    }
}

/// A case file's folder and name, shown as `Cases/ModelAPI/modelapi_tensors.swift`.
struct CaseName: Sendable, CustomStringConvertible {
    let folder: CaseRunnerTests.Folder
    let file: String
    var description: String { "\(folder.rawValue)/\(file)" }
}

/// A parsed case file: its cells and what they must produce.
struct CaseFile {
    struct Cell {
        var source: String
        var firstLine: Int
        var stepLimit: Int?
    }

    enum Expectation: Equatable {
        case line(String)
        case error(String)
        case errorAt(CellScript.SourceLocation)
    }

    enum Outcome {
        case line(String)
        case error(CellDiagnostic)
    }

    var cells: [Cell] = []
    var expectations: [Expectation] = []

    init(_ text: String) {
        var current: [String] = []
        var firstLine = 1
        var stepLimit: Int? = 1_000_000
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (offset, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed == "// cell" {
                cells.append(Cell(source: current.joined(separator: "\n"), firstLine: firstLine, stepLimit: stepLimit))
                current = []
                firstLine = offset + 2
                continue
            }
            if trimmed.hasPrefix("// step limit:") {
                stepLimit = Int(trimmed.dropFirst("// step limit:".count).trimmingCharacters(in: .whitespaces))
            }
            current.append(line)
            if let expectation = Self.expectation(in: line) { expectations.append(expectation) }
        }
        cells.append(Cell(source: current.joined(separator: "\n"), firstLine: firstLine, stepLimit: stepLimit))
    }

    private static func expectation(in line: String) -> Expectation? {
        guard let marker = line.range(of: "// expect") else { return nil }
        let rest = String(line[marker.upperBound...])
        if rest.hasPrefix(": ") || rest == ":" {
            return .line(String(rest.dropFirst(rest == ":" ? 1 : 2)))
        }
        if rest.hasPrefix(" error at ") {
            let numbers = rest.dropFirst(" error at ".count).split(separator: ":").compactMap { Int($0) }
            guard numbers.count == 2 else { return nil }
            return .errorAt(CellScript.SourceLocation(line: numbers[0], column: numbers[1]))
        }
        if rest.hasPrefix(" error: ") {
            return .error(String(rest.dropFirst(" error: ".count)))
        }
        return nil
    }

    /// Runs the cells in order in one session.
    static func run(_ cells: [Cell], session: Session) -> [Outcome] {
        var outcomes: [Outcome] = []
        for cell in cells {
            session.stepLimit = cell.stepLimit
            let program: CellProgram
            do {
                program = try CellParser.parse(cell.source, firstLine: cell.firstLine)
            } catch {
                outcomes += error.diagnostics.map { .error($0) }
                continue
            }
            let result = session.run(program)
            var printed = result.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if printed.last == "" { printed.removeLast() }
            outcomes += printed.map { .line($0) }
            if let value = result.value {
                outcomes += value.displayText.split(separator: "\n", omittingEmptySubsequences: false)
                    .map { .line(String($0)) }
            }
            if let error = result.error { outcomes.append(.error(error)) }
        }
        return outcomes
    }

    /// nil when the outcomes meet the expectations; otherwise what differs.
    static func compare(expected: [Expectation], actual: [Outcome]) -> String? {
        var index = 0
        for expectation in expected {
            switch expectation {
            case .errorAt(let location):
                guard index > 0, case .error(let diagnostic) = actual[index - 1] else {
                    return "expected an error at \(location) but the previous outcome was not an error\n"
                        + transcript(actual)
                }
                if diagnostic.location != location {
                    return "error '\(diagnostic.message)' is at \(diagnostic.location.map(\.description) ?? "nil"), "
                        + "expected \(location)"
                }
            case .line, .error:
                guard index < actual.count else {
                    return "missing \(describe(expectation)); got only:\n" + transcript(actual)
                }
                if !matches(expectation, actual[index]) {
                    return "outcome #\(index + 1): expected \(describe(expectation)), got "
                        + "\(describe(actual[index]))\n" + transcript(actual)
                }
                index += 1
            }
        }
        if index < actual.count {
            return "unexpected \(describe(actual[index]))\n" + transcript(actual)
        }
        return nil
    }

    private static func matches(_ expectation: Expectation, _ outcome: Outcome) -> Bool {
        switch (expectation, outcome) {
        case (.line(let text), .line(let line)): return text == line
        case (.error(let message), .error(let diagnostic)): return message == diagnostic.message
        default: return false
        }
    }

    private static func describe(_ expectation: Expectation) -> String {
        switch expectation {
        case .line(let text): return "line \(text.debugDescription)"
        case .error(let message): return "error \(message.debugDescription)"
        case .errorAt(let location): return "error at \(location)"
        }
    }

    static func describe(_ outcome: Outcome) -> String {
        switch outcome {
        case .line(let text): return "line \(text.debugDescription)"
        case .error(let diagnostic): return "error \(diagnostic.message.debugDescription) at "
            + (diagnostic.location.map(\.description) ?? "nil")
        }
    }

    private static func transcript(_ actual: [Outcome]) -> String {
        actual.map { "  " + describe($0) }.joined(separator: "\n")
    }
}
