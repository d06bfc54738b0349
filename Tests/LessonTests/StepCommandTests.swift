import Foundation
import TestSupport
import Testing

/// `lesson step` driven by piped commands, as a script (or a test) drives it.
@Suite("lesson step")
struct StepCommandTests {
    static let lesson = """
        # Counting

        We start with a **counter**.

        ```swift
        //| label: start
        var x = 1
        print("x starts at", x)
        ```

        Then we add ten.

        ```swift
        x += 10
        x
        ```

        ```swift
        x * 2
        ```
        """

    private static func step(_ commands: String, lesson: String = lesson, arguments: [String] = [])
        throws -> LessonCommand.Result
    {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try directory.write(Data(lesson.utf8), to: "lesson.md")
        return try LessonCommand.run(["step", "lesson.md"] + arguments, in: directory.url, stdin: commands)
    }

    @Test("prose, then the cell, then a prompt; Enter runs it and shows the next")
    func runAndMoveOn() throws {
        let result = try Self.step("\nn\n")
        #expect(result.exited && result.status == 0, "\(result)")
        let expected = """

            Counting
            ════════

            We start with a counter.

            ── In [ ] · cell 1/3 · start ──
            var x = 1
            print("x starts at", x)
            [1/3] > 
            x starts at 1

            Then we add ten.

            ── In [ ] · cell 2/3 ──
            x += 10
            x
            [2/3] > n
            Out [2]: 11

            ── In [ ] · cell 3/3 ──
            x * 2
            [3/3] > 

            """
        #expect(result.stdout == expected, "\(result)")
        #expect(!result.stdout.contains("\u{1B}"), "no colour when not on a terminal")
    }

    @Test("back undoes a cell; p shows values; s skips; l lists; g goes to a cell")
    func navigation() throws {
        let result = try Self.step("n\nn\np x\nb\np x\nn\np x\ng 1\np x\nn\ns\nl\np x\nq\nn\n")
        #expect(result.exited && result.status == 0, "\(result)")
        let values = result.stdout.components(separatedBy: "\n").filter { ["1", "11", "no value named 'x' (has its cell run?)"].contains($0) }
        #expect(values == ["11", "1", "11", "no value named 'x' (has its cell run?)", "1"], "\(result)")
        #expect(result.stdout.contains("Back to cell 2; the session is as it was before it."))
        #expect(result.stdout.contains("  ✓   1  start\n  -   2  x += 10\n→     3  x * 2\n"), "\(result)")
        #expect(result.stdout.hasSuffix("[3/3] > q\n"), "q stops before the last n: \(result)")
    }

    @Test("a N runs a passed cell again in place and marks what it made stale; l shows it; u brings it up to date")
    func staleMarks() throws {
        // x: 1, then 11, then cell 3 shows 22. Running cell 1 again sets x back to 1: cells 2
        // and 3 read x and are stale. u runs them again: x becomes 11, cell 3 shows 22 again.
        let result = try Self.step("g 4\na 1\nl\nu\nl\na 3\nq\n", arguments: ["--no-cache"])
        #expect(result.exited && result.status == 0, "\(result)")
        #expect(result.stdout.contains("[end] > a 1\n── In [4] · cell 1/3 · start ──\nx starts at 1\nStale: cell 2 (x changed), cell 3 (x changed). u runs them again.\n"),
                "\(result)")
        #expect(result.stdout.contains("  ✓   2  x += 10  ~ stale: x changed\n  ✓   3  x * 2  ~ stale: x changed\n"), "\(result)")
        #expect(result.stdout.contains("[end] > u\n── In [5] · cell 2/3 ──\nOut [5]: 11\n── In [6] · cell 3/3 ──\nOut [6]: 22\nNo cell is stale: every output shown still holds.\n"),
                "\(result)")
        #expect(result.stdout.contains("  ✓   2  x += 10\n  ✓   3  x * 2\n"), "\(result)")
        #expect(result.stdout.contains("[end] > a 3\n── In [7] · cell 3/3 ──\nOut [7]: 22\nNo cell is stale"), "\(result)")
    }

    @Test("the prose shows inline values as the session stands when the stepper reaches it; an error shows in place")
    func inlineValues() throws {
        let lesson = """
            Before: `{swift} 6 * 7`.

            ```swift
            var x = 10
            ```

            Now x is `{swift} x, format: "%04d"` and `{swift} missing` fails.
            """
        let result = try Self.step("n\nq\n", lesson: lesson, arguments: ["--no-cache"])
        #expect(result.exited && result.status == 0, "\(result)")
        #expect(result.stdout.contains("Before: 42."), "\(result)")
        #expect(result.stdout.contains("Now x is 0010 and `⚠ cannot find 'missing' in scope` fails."), "\(result)")
    }

    @Test("a N before the cell is reached, or with no number, says what to do")
    func runAgainRefusals() throws {
        let result = try Self.step("a 2\na\nu\nq\n", arguments: ["--no-cache"])
        #expect(result.stdout.contains("Cell 1 has not been reached yet: only cells before the current one run again."), "\(result)")
        #expect(result.stdout.contains("a needs a cell number from 1 to 3, e.g. a 3"), "\(result)")
        #expect(result.stdout.contains("No cell is stale."), "\(result)")
    }

    @Test("g N forward runs the cells between, showing each, and stops at a failure")
    func goForward() throws {
        let result = try Self.step("g 3\np x\n", arguments: ["--no-cache"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("[1/3] > g 3\n── In [1] · cell 1/3 · start ──\nx starts at 1\n── In [2] · cell 2/3 ──\nOut [2]: 11\n"),
                "\(result)")
        #expect(result.stdout.contains("[3/3] > p x\n11\n"), "\(result)")
        let failing = "```swift\nlet y = [1][3]\n```\n\n```swift\n1 + 1\n```\n"
        let stopped = try Self.step("g 2\n", lesson: failing, arguments: ["--no-cache"])
        #expect(stopped.stdout.contains("Stopped at cell 1: it failed."), "\(stopped)")
    }

    @Test("r runs the previous cell again from the state before it")
    func rerun() throws {
        let result = try Self.step("n\nn\nr\nr\np x\n")
        #expect(result.stdout.contains("Out [3]: 11\n"), "\(result)")
        #expect(result.stdout.contains("Out [4]: 11\n"), "not 21 or 31: \(result)")
    }

    @Test("errors show in place and the stepper goes on; unknown commands and the end say so")
    func errorsAndEnd() throws {
        let lesson = "```swift\nlet y = [1][3]\n```\n\n```swift\n1 + 1\n```\n"
        let result = try Self.step("n\nwhat\nn\nn\n?\n", lesson: lesson)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("lesson.md:2:9: error: index 3 is out of range"), "\(result)")
        #expect(result.stdout.contains("unknown command 'what'; ? lists the commands"))
        #expect(result.stdout.contains("Out [2]: 2"))
        #expect(result.stdout.contains("End of the lesson: 2 cells."))
        #expect(result.stdout.contains("The lesson is over"))
        #expect(result.stdout.contains("g N        go to cell N"))
    }

    @Test("Ctrl-C stops the running cell, not the stepper")
    func interruptACell() throws {
        let lesson = "```swift\nprint(\"spinning\")\nvar i = 0\nwhile true { i += 1 }\n```\n\n```swift\n40 + 2\n```\n"
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try directory.write(Data(lesson.utf8), to: "lesson.md")
        let output = OutputCapture()
        let input = Pipe()
        let process = Process()
        process.executableURL = try LessonCommand.executable()
        process.arguments = ["step", "lesson.md"]
        process.currentDirectoryURL = directory.url
        process.standardInput = input
        process.standardOutput = output.pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        output.start()
        input.fileHandleForWriting.write(Data("n\n".utf8))
        // The cell printed (a line of its own, not the `print("spinning")` of its source shown
        // before it runs) before its endless loop, so it is running when the signal comes.
        output.wait(for: "\nspinning\n")
        process.interrupt()
        output.wait(for: "interrupted")
        input.fileHandleForWriting.write(Data("n\nq\n".utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        let text = output.wait { _ in false }
        #expect(process.terminationReason == .exit && process.terminationStatus == 0, "\(text)")
        #expect(text.contains("error: interrupted"), "\(text)")
        #expect(text.contains("Out [2]: 42"), "the stepper went on: \(text)")
    }
}
