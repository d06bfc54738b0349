import Foundation
import Testing
@testable import Notebook

/// Joins lines with "\n" so line numbers in the tests can be read off the array.
private func notebook(_ lines: String...) -> String {
    lines.joined(separator: "\n") + "\n"
}

/// A clock that moves one second forward each time it is read.
private final class SteppingClock: ExecutionClock, @unchecked Sendable {
    private let lock = NSLock()
    private var seconds: Double = 0

    func now() -> Date {
        lock.lock()
        defer { lock.unlock() }
        seconds += 1
        return Date(timeIntervalSince1970: seconds)
    }
}

/// Collects hook calls from any thread.
private final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []

    func append(_ event: String) {
        lock.lock()
        storage.append(event)
        lock.unlock()
    }

    var events: [String] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}

private func run(_ text: String, params: [String: String] = [:]) -> NotebookRun {
    let document = NotebookParser.parse(text: text, file: "lesson.md")
    return NotebookExecutor(document: document, text: text).run(params: params)
}

private func isFailed(_ status: CellStatus) -> Bool {
    if case .failed = status { return true }
    return false
}

private func isExpectedFailure(_ status: CellStatus) -> Bool {
    if case .expectedFailure = status { return true }
    return false
}

@Suite("Executing notebooks")
struct NotebookExecutorTests {
    @Test func cellsShareOneSessionAndShowValues() {
        let result = run(notebook(
            "```swift", "let x = 20", "print(\"x is\", x)", "```",
            "Some prose.",
            "```swift", "x + 1", "```"))
        #expect(result.succeeded)
        #expect(result.outcomes.map(\.status) == [.ran, .ran])
        #expect(result.outcomes[0].output == "x is 20\n")
        #expect(result.outcomes[0].displayedValue == nil)
        #expect(result.outcomes[1].displayedValue == "21")
    }

    @Test func stopPolicyMarksLaterCellsNotRunAndFailsTheRun() {
        let result = run(notebook(
            "```swift", "print(\"before\")", "let xs = [1, 2]", "print(xs[5])", "```",
            "```swift", "print(\"after\")", "```"))
        #expect(!result.succeeded)
        #expect(isFailed(result.outcomes[0].status))
        #expect(result.outcomes[0].output == "before\n")
        #expect(result.outcomes[0].renderedDiagnostics.count == 1)
        #expect(result.outcomes[0].renderedDiagnostics[0].hasPrefix("lesson.md:4:"))
        #expect(result.outcomes[1].status == .notRun)
        #expect(result.outcomes[1].output == "")
    }

    @Test func allowPolicyRecordsTheErrorAndGoesOn() {
        let result = run(notebook(
            "```swift", "//| error: allow", "let xs = [1, 2]", "print(xs[5])", "```",
            "```swift", "print(\"after\")", "```"))
        #expect(result.succeeded)
        #expect(isFailed(result.outcomes[0].status))
        #expect(!result.outcomes[0].renderedDiagnostics.isEmpty)
        #expect(result.outcomes[1].status == .ran)
        #expect(result.outcomes[1].output == "after\n")
    }

    @Test func expectedErrorThatRaisesIsAnExpectedFailure() {
        let result = run(notebook(
            "```swift", "//| error: expected", "let xs = [1, 2]", "print(xs[5])", "```",
            "```swift", "print(\"after\")", "```"))
        #expect(result.succeeded)
        #expect(isExpectedFailure(result.outcomes[0].status))
        #expect(result.outcomes[0].renderedDiagnostics[0].contains("lesson.md:4:"))
        #expect(result.outcomes[1].status == .ran)
    }

    @Test func expectedErrorThatDoesNotRaiseFailsTheRun() {
        let result = run(notebook(
            "# Title",
            "```swift", "//| label: demo", "//| error: expected", "let ok = 1", "```",
            "```swift", "print(\"after\")", "```"))
        #expect(!result.succeeded)
        #expect(result.outcomes[0].status == .missingExpectedError)
        let message = result.outcomes[0].renderedDiagnostics.joined(separator: "\n")
        #expect(message.hasPrefix("lesson.md:2:1: error: cell 1 'demo' is marked `error: expected`"))
        #expect(message.contains("without raising"))
        #expect(result.outcomes[1].status == .ran)
    }

    @Test func syntaxErrorIsLocatedInTheFileAndFollowsThePolicy() {
        let text = notebook(
            "# Title",
            "",
            "```swift", "let a = 1", "let = 3", "```",
            "```swift", "print(a)", "```")
        let result = run(text)
        #expect(!result.succeeded)
        #expect(isFailed(result.outcomes[0].status))
        let rendered = result.outcomes[0].renderedDiagnostics.joined(separator: "\n")
        #expect(rendered.hasPrefix("lesson.md:5:"))
        #expect(rendered.contains("\nlet = 3\n"))
        #expect(rendered.contains("^"))
        #expect(result.outcomes[1].status == .notRun)
    }

    @Test func hooksAreCalledInOrderWithLiveOutput() {
        let text = notebook(
            "```swift", "print(\"one\")", "```",
            "```swift", "//| error: allow", "print(\"two\")", "let xs = [1]", "xs[3]", "```",
            "```swift", "//| eval: false", "print(\"three\")", "```")
        let document = NotebookParser.parse(text: text, file: "lesson.md")
        let executor = NotebookExecutor(document: document, text: text)
        let log = EventLog()
        executor.onCellStart = { cell in log.append("start \(cell.index)") }
        let live = EventLog()
        executor.onCellOutput = { cell, piece in
            log.append("output \(cell.index)")
            live.append(piece)
        }
        executor.onCellError = { cell, diagnostics in log.append("error \(cell.index) \(diagnostics.count)") }
        executor.onCellComplete = { cell, outcome in log.append("complete \(cell.index) \(outcome.status)") }
        let result = executor.run()
        #expect(result.succeeded)
        // A print may arrive in several pieces; only the order of kinds of event matters here.
        var events: [String] = []
        for event in log.events where event != events.last {
            events.append(event)
        }
        #expect(events == [
            "start 1", "output 1", "complete 1 ran",
            "start 2", "output 2", "error 2 1", "complete 2 \(result.outcomes[1].status)",
            "complete 3 skipped",
        ])
        #expect(live.events.joined() == "one\ntwo\n")
        #expect(result.outcomes.map(\.output) == ["one\n", "two\n", ""])
    }

    @Test func durationsComeFromTheInjectedClock() {
        let text = notebook(
            "```swift", "let a = 1", "```",
            "```swift", "//| eval: false", "let b = 2", "```",
            "```swift", "let c = 3", "```")
        let document = NotebookParser.parse(text: text, file: "lesson.md")
        let result = NotebookExecutor(document: document, text: text, clock: SteppingClock()).run()
        // Reads: run start 1, cell 1 at 2...3, cell 3 at 4...5, run end 6.
        #expect(result.startedAt == Date(timeIntervalSince1970: 1))
        #expect(result.duration == 5)
        #expect(result.outcomes.map(\.startedAt) == [Date(timeIntervalSince1970: 2), nil, Date(timeIntervalSince1970: 4)])
        #expect(result.outcomes.map(\.duration) == [1, 0, 1])
    }

    @Test func evalFalseCellsAreSkipped() {
        let result = run(notebook(
            "```swift", "//| eval: false", "print(\"never\")", "let broken = ", "```",
            "```swift", "print(\"runs\")", "```"))
        #expect(result.succeeded)
        #expect(result.outcomes[0].status == .skipped)
        #expect(result.outcomes[0].output == "")
        #expect(result.outcomes[1].output == "runs\n")
    }

    @Test func paramsAreGlobalsAndCanBeOverridden() {
        let text = notebook(
            "---", "title: Params", "params:", "  epochs: 15", "  rate: 0.5", "  name: ptb", "  fast: false", "---",
            "```swift", "print(epochs + 1, rate * 2.0, name, fast)", "```")
        let defaults = run(text)
        #expect(defaults.succeeded)
        #expect(defaults.outcomes[0].output == "16 1.0 ptb false\n")
        let overridden = run(text, params: ["epochs": "1", "name": "say \"hi\"", "fast": "true", "typo": "3"])
        #expect(overridden.succeeded)
        #expect(overridden.outcomes[0].output == "2 1.0 say \"hi\" true\n")
        #expect(overridden.params.map(\.value) == ["1", "0.5", "say \"hi\"", "true"])
        #expect(overridden.warnings.count == 1)
        #expect(overridden.warnings.first?.contains("typo") == true)
    }

    @Test func timeoutStopsAnEndlessLoopAndAllowedRunGoesOn() {
        let result = run(notebook(
            "```swift", "//| error: allow", "//| timeout: 0.2", "var i = 0", "while true { i += 1 }", "```",
            "```swift", "print(\"next\")", "```"))
        #expect(result.succeeded)
        #expect(isFailed(result.outcomes[0].status))
        #expect(result.outcomes[0].renderedDiagnostics.joined().contains("time limit of 0.2 s"))
        #expect(result.outcomes[1].output == "next\n")
    }

    @Test func cancelFromAnotherThreadStopsTheRun() {
        let text = notebook(
            "```swift", "print(\"first\")", "```",
            "```swift", "var i = 0", "while true { i += 1 }", "```",
            "```swift", "print(\"never\")", "```")
        let document = NotebookParser.parse(text: text, file: "lesson.md")
        let executor = NotebookExecutor(document: document, text: text)
        executor.onCellStart = { cell in
            guard cell.index == 2 else { return }
            DispatchQueue.global().asyncAfter(deadline: .now() + 0.1) { executor.cancel() }
        }
        let result = executor.run()
        #expect(result.cancelled)
        #expect(!result.succeeded)
        #expect(result.outcomes[0].status == .ran)
        #expect(isFailed(result.outcomes[1].status))
        #expect(result.outcomes[1].renderedDiagnostics.joined().contains("interrupted"))
        #expect(result.outcomes[2].status == .notRun)
    }
}

@Suite("Param literals")
struct ParamLiteralTests {
    @Test(arguments: [
        ("15", "15"), ("+3", "3"), ("-2", "-2"), (" 0.5 ", "0.5"), (".5", "0.5"), ("1e3", "1000.0"),
        ("true", "true"), ("false", "false"), ("nan", "\"nan\""), ("ptb", "\"ptb\""),
        ("a \"b\" \\ c", "\"a \\\"b\\\" \\\\ c\""),
    ])
    func valuesBecomeSwiftLiterals(text: String, literal: String) {
        #expect(ParamBindings.literal(text) == literal)
    }

    @Test func sourceDefinesOneGlobalPerParam() {
        let source = ParamBindings.source(for: [(name: "epochs", value: "1"), (name: "data", value: "data/ptb")])
        #expect(source == "let epochs = 1\nlet data = \"data/ptb\"")
    }
}
