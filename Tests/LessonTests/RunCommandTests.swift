import Digests
import Engine
import Foundation
import TestSupport
import Testing

/// `lesson run` and `lesson check` on real notebooks in a scratch folder, as a user runs them.
@Suite("lesson run and check")
struct RunCommandTests {
    static let failing = """
        ---
        title: Failing <demo>
        params:
          n: 3
        ---

        # A lesson

        See [the tutorial](https://www.tensorflow.org/tutorials) and ![a figure](https://example.com/a.png).

        ```swift
        //| label: first
        print("<script>alert(1)</script>")
        plot(["train": [300.0, 200.0, 120.0]], title: "Perplexity", logScale: true)
        n * 2
        ```

        ```swift
        //| error: expected
        let bad = [1, 2][5]
        ```

        ```swift
        undefinedName
        ```

        ```swift
        print("after the failure")
        ```
        """

    static let passing = """
        # Fine

        ```swift
        //| label: sum
        let total = [1, 2, 3].reduce(0, +)
        print("total", total)
        total
        ```
        """

    private static func scratch(_ files: [String: String]) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        for (name, text) in files { _ = try directory.write(Data(text.utf8), to: name) }
        return directory
    }

    @Test("a failing cell shows its error in place, stops the run and exits 1; the report is still written")
    func failingRun() throws {
        let directory = try Self.scratch(["lesson.md": Self.failing])
        defer { directory.remove() }
        let result = try LessonCommand.run(["run", "lesson.md", "--param", "n=21"], in: directory.url)
        #expect(result.exited && result.status == 1, "\(result)")
        // The transcript (stdout is a file here): every cell's outputs in order.
        let expectedTranscript = """
            ── In [1] · cell 1/4 · first ──
            <script>alert(1)</script>
            [line chart] Perplexity (log y)
            """
        #expect(result.stdout.hasPrefix(expectedTranscript), "\(result)")
        #expect(result.stdout.contains("Out [1]: 42"))
        #expect(result.stdout.contains("lesson.md:24:1: error: cannot find 'undefinedName' in scope"))
        #expect(result.stdout.contains("not run"))
        #expect(!result.stdout.contains("after the failure"))
        #expect(result.stdout.contains("Failed in"))

        let report = try String(contentsOf: directory.url.appendingPathComponent("Output/lesson.html"), encoding: .utf8)
        #expect(report.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!report.contains("<script>alert"))
        #expect(!report.contains("http://") && !report.contains("https://"), "the report must work offline")
        #expect(report.contains("<svg"))
        #expect(report.contains("cannot find &#39;undefinedName&#39; in scope"))
        #expect(report.contains("Failing &lt;demo&gt;"))
    }

    @Test("a passing run exits 0 and -o chooses the report's path")
    func passingRun() throws {
        let directory = try Self.scratch(["fine.md": Self.passing])
        defer { directory.remove() }
        let result = try LessonCommand.run(["run", "fine.md", "-o", "report.html"], in: directory.url)
        #expect(result.exited && result.status == 0, "\(result)")
        #expect(result.stdout.contains("total 6\nOut [1]: 6\n"), "\(result)")
        let report = try String(contentsOf: directory.url.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(report.contains("Out [1]"))
        #expect(!FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("Output").path))
    }

    @Test("bad notebooks and options fail with a clear message and no report", arguments: [
        (["run", "missing.md"], 2, "missing.md: error: cannot read the notebook"),
        (["run", "latin1.md"], 2, "latin1.md: error: the notebook is not UTF-8 text (first bad byte at offset 3)"),
        (["run", "fine.md", "--param", "epochs"], 64, "--param epochs: expected name=value"),
        (["run", "fine.md", "--param", "=1"], 64, "the name before '=' is empty"),
        (["run", "fine.md", "-o", "nowhere/report.html"], 2, "the folder"),
        (["run", "fine.md", "--cell-timeout", "0"], 64, "--cell-timeout must be a positive number"),
        (["run", "fine.md", "-o", "fine.md/report.html"], 2, "fine.md is a file, not a folder"),
    ] as [([String], Int32, String)])
    func badInput(arguments: [String], status: Int32, message: String) throws {
        let directory = try Self.scratch(["fine.md": Self.passing])
        defer { directory.remove() }
        _ = try directory.write(Data([0x61, 0x62, 0x63, 0xE9, 0x0A]), to: "latin1.md")
        let result = try LessonCommand.run(arguments, in: directory.url)
        #expect(result.exited && result.status == status, "\(result)")
        #expect(result.stderr.contains(message), "\(result)")
        #expect(!result.stdout.contains("total 6"), "no cell may run: \(result)")
    }

    @Test("an undeclared --param is a warning, and the notebook's own default is used")
    func undeclaredParam() throws {
        let directory = try Self.scratch(["lesson.md": Self.failing])
        defer { directory.remove() }
        let result = try LessonCommand.run(["run", "lesson.md", "--param", "epochs=1"], in: directory.url)
        #expect(result.stderr.contains("epochs"), "\(result)")
        #expect(result.stdout.contains("Out [1]: 6"), "\(result)")
    }

    @Test("Ctrl-C stops the running cell, exits 130 and leaves the previous report untouched")
    func interrupt() throws {
        let directory = try Self.scratch(["slow.md": """
            ```swift
            print("started")
            var i = 0
            while true { i += 1 }
            ```

            ```swift
            print("never")
            ```
            """])
        defer { directory.remove() }
        let previous = try directory.write(Data("previous report".utf8), to: "Output/slow.html")
        let output = OutputCapture()
        let process = Process()
        process.executableURL = try LessonCommand.executable()
        process.arguments = ["run", "slow.md"]
        process.currentDirectoryURL = directory.url
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output.pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        output.start()
        output.wait(for: "\nstarted\n")
        process.interrupt()
        process.waitUntilExit()
        let stdout = output.wait { _ in false }
        #expect(process.terminationReason == .exit && process.terminationStatus == 130, "\(stdout)")
        #expect(stdout.contains("interrupted"), "\(stdout)")
        #expect(!stdout.contains("never"))
        #expect(try String(contentsOf: previous, encoding: .utf8) == "previous report")
        let partial = directory.url.appendingPathComponent("Output/slow.interrupted.html")
        #expect(try String(contentsOf: partial, encoding: .utf8).contains("interrupted"))
    }

    @Test("on a terminal: a status line with the cell, its label and the training bar, one line per cell")
    func terminalProgress() throws {
        let directory = try Self.scratch(["train.md": """
            ```swift
            //| label: tiny-train
            let ids = (0..<2000).map { $0 % 7 }
            let model = PTBModel(ModelConfig(numSteps: 5, hiddenSizes: [16], embeddingSize: 8, batchSize: 4,
                                             vocabularySize: 7))
            let history = train(model, data: (train: ids, valid: ids, test: ids), epochs: 2, verbose: false)
            print("test", history.testPerplexity)
            ```
            """])
        defer { directory.remove() }
        // `script` gives the command a pseudo-terminal, as a user's shell would.
        let lesson = try LessonCommand.executable().path
        let result = try LessonCommand.runTool("/usr/bin/script", ["-qec", "\(lesson) run train.md", "/dev/null"],
                                               in: directory.url)
        #expect(result.status == 0, "\(result)")
        let screen = result.stdout.replacingOccurrences(of: "\r", with: "\n")
        #expect(screen.contains("cell 1/1 tiny-train"), "\(screen)")
        #expect(screen.contains("Epoch 1/2 train ["), "\(screen)")
        #expect(screen.contains("Epoch 2/2 valid ["), "\(screen)")
        #expect(screen.contains("ok   [1/1] tiny-train"), "\(screen)")
        // The compact view: no transcript on a terminal.
        #expect(!screen.contains("── In [1]"), "\(screen)")
    }

    @Test("the footer lists the data files the cells read with their SHA-256")
    func dataChecksums() throws {
        let directory = try Self.scratch(["data.md": """
            ```swift
            let data = ptbRawData()
            data.vocabulary.count
            ```
            """])
        defer { directory.remove() }
        let corpus = try CLICorpus.write(into: directory, trainWords: 400)
        let result = try LessonCommand.run(["run", "data.md", "--data", corpus.path], in: directory.url)
        #expect(result.status == 0, "\(result)")
        let report = try String(contentsOf: directory.url.appendingPathComponent("Output/data.html"), encoding: .utf8)
        for name in ["ptb.train.txt", "ptb.valid.txt", "ptb.test.txt"] {
            let digest = try SHA256.hex(contentsOf: corpus.appendingPathComponent(name))
            #expect(report.contains(digest), "\(name) checksum missing")
        }
    }

    @Test("check reports every problem with file and line, runs nothing, and exits 1")
    func checkFindsProblems() throws {
        let directory = try Self.scratch([
            "broken.md": """
                # Broken

                ```swift
                //| colour: blue
                print("never runs")
                let x = (1 +
                ```

                ```swift
                struct Point { var x = 0 }
                ```
                """,
            "fine.md": Self.passing,
        ])
        defer { directory.remove() }
        let result = try LessonCommand.run(["check", "broken.md", "fine.md"], in: directory.url)
        #expect(result.exited && result.status == 1, "\(result)")
        #expect(result.stderr.contains("broken.md:4:5: warning: unknown cell option `colour`"), "\(result)")
        #expect(result.stderr.contains("broken.md:6:13: error: expected expression after operator\nlet x = (1 +\n            ^"), "\(result)")
        #expect(result.stderr.contains("broken.md:10:1: error:"), "\(result)")
        #expect(result.stdout.contains("broken.md: 2 cells, 3 errors, 1 warning"), "\(result)")
        #expect(result.stdout.contains("fine.md: 1 cell, no errors"), "\(result)")
        #expect(!result.stdout.contains("never runs"))

        let clean = try LessonCommand.run(["check", "fine.md"], in: directory.url)
        #expect(clean.status == 0, "\(clean)")
        let strict = try LessonCommand.run(["check", "--warnings-as-errors", "broken.md"], in: directory.url)
        #expect(strict.status == 1)
    }
}
