import Foundation
import TestSupport
import Testing

/// Cells typed by a bored student, through the real binary: each ends its own cell with a
/// located error and the run goes on to the end. On the code before the memory budget, the
/// nesting limits and the parser's guards, these runs ended with a signal (abort, segfault) or
/// the OOM killer.
@Suite("hostile cells end their cell, not the process")
struct HostileCellCommandTests {
    static func lesson(_ cells: [String]) -> String {
        "# Hostile\n\n" + cells.map { "```swift\n//| error: allow\n\($0)\n```\n" }.joined(separator: "\n")
            + "\n```swift\nprint(\"still alive\")\n```\n"
    }

    static func run(_ cells: [String], _ arguments: [String] = [], shell: String? = nil) throws -> LessonCommand.Result {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(Data(lesson(cells).utf8), to: "lesson.md")
        if let shell {
            let command = ([try LessonCommand.executable().path, "run", "lesson.md", "--no-cache"] + arguments)
                .map { "'\($0)'" }.joined(separator: " ")
            return try LessonCommand.runTool("/bin/sh", ["-c", "\(shell); exec \(command)"], in: directory.url)
        }
        return try LessonCommand.run(["run", "lesson.md", "--no-cache"] + arguments, in: directory.url)
    }

    @Test("memory: products, broadcasts, growth and output floods stop at the limit")
    func memory() throws {
        let run = try Self.run([
            "let a = zeros(shape: [100000, 1])\nlet b = zeros(shape: [1, 100000])\nlet c = matmul(a, b)",
            "let big = zeros(shape: [100000, 1]) + zeros(shape: [1, 100000])",
            "var grow: [[Int]] = []\nfor i in 0..<1000 { grow.append(Array(repeating: i, count: 1_000_000)) }",
            "let s = Array(repeating: String(repeating: \"x\", count: 10_000_000), count: 10_000_000).joined()",
            "var n = [0]\nfor _ in 0..<30000 { n = [n] }",
            "for _ in 0..<2000 { print(String(repeating: \"y\", count: 10000)) }",
        ], ["--memory-limit", "1GB"])
        #expect(run.exited && run.status == 0, "\(run)")
        #expect(run.stdout.contains("lesson.md:7:9: error: matmul: the result of shape [100000, 100000] would need "
                                    + "40.0 GB; the limit is 1.0 GB"), "\(run)")
        #expect(run.stdout.contains("add: the broadcast result of shape [100000, 100000] would need 40.0 GB"))
        #expect(run.stdout.contains("lesson.md:18:33: error: an array of 1000000 elements would need 48.0 MB more"),
                "the growing loop stops at its line")
        #expect(run.stdout.contains("the names this cell bound were put back as they were, to give its memory back"))
        #expect(run.stdout.contains("lesson.md:23:9: error: that would make 100000000000000 bytes"),
                "after the loop's memory went back, the next cell runs (and is refused for its own size)")
        #expect(run.stdout.contains("nested more than 1000 levels deep"))
        #expect(run.stdout.contains("the rest of its output is not kept"))
        #expect(run.stdout.contains("still alive"), "the session goes on after each")
    }

    /// Under `ulimit -v` the default limit leaves room for the address space that is never
    /// resident, so a refused request is an error, not a failed allocation.
    @Test("the default limit fits under ulimit -v 8000000")
    func addressSpaceLimit() throws {
        let run = try Self.run(["let a = zeros(shape: [100000, 1])\nlet c = matmul(a, zeros(shape: [1, 100000]))",
                                "var grow: [[Int]] = []\nfor i in 0..<1000 { grow.append(Array(repeating: i, count: 1_000_000)) }"],
                               shell: "ulimit -v 8000000")
        #expect(run.exited && run.status == 0, "\(run)")
        #expect(run.stdout.contains("would need 40.0 GB; the limit is 6.0 GB"), "\(run)")
        #expect(run.stdout.contains("still alive"))
    }

    @Test("--memory-limit takes sizes as people write them and refuses the rest")
    func memoryLimitOption() throws {
        let small = try Self.run(["let x = zeros(shape: [10000, 10000])"], ["--memory-limit", "0.3g"])
        #expect(small.stdout.contains("would need 400 MB; the limit is 300 MB"), "\(small)")
        for bad in ["abc", "0", "12XB", "1e400GB", "-1GB"] {
            let refused = try Self.run([], ["--memory-limit", bad])
            #expect(refused.status == 64 && refused.stderr.contains("--memory-limit"), "\(refused)")
        }
    }

    /// Cells nested past what swift-syntax survives: refused by `check` and `run` (whose report
    /// highlights each cell) with a located error, instead of overflowing the stack.
    @Test("lesson check and run refuse cells nested too deeply for the parser")
    func parserNesting() throws {
        let cells = [
            "let x = " + String(repeating: "[/**/", count: 5000) + "1" + String(repeating: "]", count: 5000),
            "let y: " + String(repeating: "Array<", count: 5000) + "Int" + String(repeating: ">", count: 5000) + " = []",
            "let s = \"a\"\nlet z = s" + String(repeating: ".count.description", count: 5000),
            "let w = " + String(repeating: "\"\\(", count: 2000) + "1" + String(repeating: ")\"", count: 2000),
        ]
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(Data(Self.lesson(cells).utf8), to: "lesson.md")
        let check = try LessonCommand.run(["check", "lesson.md"], in: directory.url)
        #expect(check.exited && check.status == 1, "\(check)")
        for expected in ["lesson.md:5:9: error: more than 12 `[`", "lesson.md:10:", "more than 16 `<`",
                         "nests more than 400 levels deep", "more than 8 string interpolations"] {
            #expect(check.stdout.contains(expected) || check.stderr.contains(expected), "\(expected)\n\(check)")
        }
        let run = try LessonCommand.run(["run", "lesson.md", "--no-cache"], in: directory.url)
        #expect(run.exited && run.status == 0, "\(run)")
        #expect(run.stdout.contains("still alive"))
        let report = try String(contentsOf: directory.url.appendingPathComponent("Output/lesson.html"), encoding: .utf8)
        #expect(report.contains(".count.description.count.description"), "the deep cell is in the report, plain")
    }
}
