import Foundation
import TestSupport
import Testing

/// `lesson step --student` and `e`/`E`, driven by piped commands with EDITOR set to a script
/// that records what it was given and saves the next prepared text, as a student would.
@Suite("lesson step --student and editing cells")
struct StepStudentCommandTests {
    /// Exercise 1's visible check passes for `[2]`; its hidden check does not.
    static let lesson = SumsLesson.markdown(firstCheck: "doubled[0] == 2", hiddenChecks: ["doubled.count == 4"],
                                            extraCode: ["print(\"SECRET-SOLUTION-OUTPUT\")"])

    /// The editor: edit number n records the file it was given (`given-n`, `name-n`) and what it
    /// could read on standard input (`stdin-n`), saves `answer-n` when there is one, and exits
    /// with `status-n` (default 0).
    static let editorScript = """
        #!/bin/sh
        n=$(( $(cat "$EDITS/count" 2>/dev/null || echo 0) + 1 ))
        echo $n > "$EDITS/count"
        cp "$1" "$EDITS/given-$n"
        basename "$1" > "$EDITS/name-$n"
        cat > "$EDITS/stdin-$n"
        if [ -f "$EDITS/answer-$n" ]; then cp "$EDITS/answer-$n" "$1"; fi
        if [ -f "$EDITS/remove-$n" ]; then rm "$1"; fi
        exit $(cat "$EDITS/status-$n" 2>/dev/null || echo 0)

        """

    struct Scratch {
        let directory: TemporaryDirectory
        var url: URL { directory.url }

        init(lesson: String = StepStudentCommandTests.lesson) throws {
            directory = try TemporaryDirectory()
            _ = try directory.write(Data(lesson.utf8), to: "lesson.md")
            let editor = try directory.write(Data(StepStudentCommandTests.editorScript.utf8), to: "editor.sh")
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: editor.path)
            try FileManager.default.createDirectory(at: url.appendingPathComponent("edits"), withIntermediateDirectories: true)
        }

        /// Edit number `n` (from 1) saves `text`.
        func answer(_ n: Int, _ text: String) throws {
            _ = try directory.write(Data(text.utf8), to: "edits/answer-\(n)")
        }

        func edits(_ name: String) -> String? {
            try? String(contentsOf: url.appendingPathComponent("edits/\(name)"), encoding: .utf8)
        }

        func file(_ name: String) -> String? {
            try? String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
        }

        func step(_ commands: String, _ arguments: [String] = ["--student"], editor: String? = nil,
                  environment: [String: String?] = [:]) throws -> LessonCommand.Result {
            var variables: [String: String?] = ["EDITOR": editor ?? url.appendingPathComponent("editor.sh").path,
                                                "EDITS": url.appendingPathComponent("edits").path]
            variables.merge(environment) { _, new in new }
            return try LessonCommand.run(["step", "lesson.md", "--no-cache"] + arguments, environment: variables,
                                         in: url, stdin: commands)
        }

        func remove() { directory.remove() }
    }

    /// Nothing of the lesson's solution: its code, what it prints, its hidden check.
    static func expectNoSolution(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for secret in ["SECRET-SOLUTION-OUTPUT", "numbers.map", "doubled.reduce", "doubled.count == 4", "hidden"] {
            #expect(!text.contains(secret), "\(secret) shown:\n\(text)", sourceLocation: sourceLocation)
        }
    }

    @Test("a student answers in the editor, sees each check's verdict, stays on a wrong answer, skips the next; grade takes the file")
    func studentFlow() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.answer(1, "let doubled = [3]\n")
        try scratch.answer(2, "let doubled = [2]\nprint(\"mine\", doubled)\n")
        let result = try scratch.step("n\nn\ne\ne\nl\ns\nn\nl\nq\n")
        #expect(result.exited && result.status == 0, "\(result)")
        let out = result.stdout
        Self.expectNoSolution(out + result.stderr)
        Self.expectNoSolution(scratch.edits("given-1") ?? "")
        #expect(out.contains("── Exercise 1 · cell 2/4 · doubled ──\nIt must make this true:\n  • doubled[0] == 2\n"), "\(result)")
        #expect(out.contains("[2/4] > n\nExercise 1 has no answer yet: e writes one in your editor"), "\(result)")
        // The wrong answer: its verdict, and the student stays at the exercise.
        #expect(out.contains("Saved your answer to exercise 1 in lesson.answers.md.\n"
                             + "✗ check: doubled[0] == 2 (is false: doubled[0] is 3)\n"
                             + "✗ Exercise 1: 0 of 1 checks pass.\nStill on exercise 1:"), "\(result)")
        // The second edit starts from the saved answer; the right one passes and moves on.
        #expect(scratch.edits("given-2") == "let doubled = [3]\n")
        #expect(out.contains("mine [2]\n✓ check: doubled[0] == 2\n✓ Exercise 1 passes its check.\n"), "\(result)")
        #expect(scratch.edits("name-1") == "exercise-1.swift\n")
        #expect(scratch.edits("given-1")?.hasPrefix("// Exercise 1: doubled\n// Your answer must make these true:\n//   doubled[0] == 2\n") == true)
        #expect(scratch.edits("stdin-1") == "" && scratch.edits("stdin-2") == "", "the editor never reads the commands")
        #expect(out.contains("Exercise 2: the lesson's solution runs unseen, so later cells work."))
        #expect(out.contains("the total is 20\n"), "later cells ran on the lesson's solutions")
        #expect(out.contains("  ✓   2  Exercise 1: doubled (answered)\n  s   3  Exercise 2: total\n"), "\(result)")
        #expect(out.contains("Your answers (1 of 2 exercises) are in lesson.answers.md"))

        // The answers file is what grading reads; the hidden check, not run while stepping, fails there.
        let answers = try #require(scratch.file("lesson.answers.md"))
        Self.expectNoSolution(answers)
        #expect(answers.contains("//| exercise: 1\n//| label: doubled\n//| check: doubled[0] == 2\nlet doubled = [2]\nprint(\"mine\", doubled)\n```"))
        let graded = try LessonCommand.run(["grade", "lesson.answers.md", "--against", "lesson.md", "--json"], in: scratch.url)
        #expect(graded.exited && graded.status == 1, "\(graded)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(graded.stdout.utf8)) as? [String: Any])
        let exercises = try #require(json["exercises"] as? [[String: Any]])
        #expect(exercises.map { $0["result"] as? String } == ["failed", "not attempted"], "\(graded)")
        #expect(exercises.first?["points"] as? Double == 0.5, "\(graded)")

        // Next time the answer is back; Enter runs it.
        let again = try scratch.step("n\nl\nn\nq\n")
        #expect(again.exited && again.status == 0, "\(again)")
        #expect(again.stderr.contains("Your answers to exercise 1 are back from lesson.answers.md."), "\(again)")
        #expect(again.stdout.contains("── Exercise 1 · cell 2/4 · doubled · your answer ──\nlet doubled = [2]\nprint(\"mine\", doubled)\n"), "\(again)")
        #expect(again.stdout.contains("mine [2]\n✓ check: doubled[0] == 2\n"), "\(again)")
        Self.expectNoSolution(again.stdout)
    }

    @Test("an editor that fails, cannot start, saves nothing, deletes its file or only comments leaves the cell as it was")
    func failingEditors() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let cases: [(editor: String?, prepare: (Scratch) throws -> Void, message: String)] = [
            ("false", { _ in }, "The editor `false` ended with exit status 1, so its text was not taken."),
            ("/nonexistent/editor", { _ in }, "could not be started: no such command"),
            (nil, { try $0.answer(1, "  \n\n") }, "The editor saved an empty file, so there is nothing to run."),
            (nil, { _ in }, "No change: exercise 1 is as it was"),
            (nil, { _ = try $0.directory.write(Data(), to: "edits/remove-1") }, "The editor left no file behind"),
            (nil, { try $0.answer(1, "// I don't know yet\n\n// maybe map?\n") }, "Your answer has no code yet"),
            (nil, { try $0.answer(1, "let doubled = [2]\n"); _ = try $0.directory.write(Data("3".utf8), to: "edits/status-1") },
             "ended with exit status 3, so its text was not taken"),
            (nil, { try $0.answer(1, "let doubled = [2]\n" + String(repeating: "// padding\n", count: 7000)) },
             "The edited code is 77018 bytes; a cell may have at most 65536."),
            (nil, { _ = try $0.directory.write(Data([0x6C, 0x65, 0x74, 0x20, 0xFF, 0xFE, 0x0A]), to: "edits/answer-1") },
             "The editor saved bytes that are not UTF-8 text, so they were not taken."),
        ]
        for (editor, prepare, message) in cases {
            try? FileManager.default.removeItem(at: scratch.url.appendingPathComponent("edits"))
            try FileManager.default.createDirectory(at: scratch.url.appendingPathComponent("edits"), withIntermediateDirectories: true)
            try prepare(scratch)
            let result = try scratch.step("n\ne\nl\nq\n", editor: editor)
            #expect(result.exited && result.status == 0, "\(result)")
            #expect(result.stdout.contains(message), "\(message)\n\(result)")
            #expect(result.stdout.contains("→     2  Exercise 1: doubled\n"), "still unanswered:\n\(result)")
            #expect(scratch.file("lesson.answers.md") == nil)
            Self.expectNoSolution(result.stdout)
        }
        // No editor at all: VISUAL and EDITOR unset, none on the PATH.
        let none = try scratch.step("e\nq\n", [], editor: nil, environment: ["EDITOR": nil, "PATH": "/nonexistent"])
        #expect(none.stdout.contains("No text editor found: set EDITOR"), "\(none)")
        // A graphical editor that returns at once without --wait: the hint says how to make it wait.
        let bin = scratch.url.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let code = try scratch.directory.write(Data("#!/bin/sh\nexit 0\n".utf8), to: "bin/code")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: code.path)
        let path = bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let detached = try scratch.step("e\nq\n", [], editor: "code", environment: ["PATH": path])
        #expect(detached.stdout.contains("No change: cell 1 is as it was (Enter runs it). If you did change it: "
                                         + "`code` returns at once unless told to wait: set EDITOR=\"code --wait\"."), "\(detached)")
        let waiting = try scratch.step("e\nq\n", [], editor: "code --wait", environment: ["PATH": path])
        #expect(waiting.stdout.contains("No change: cell 1 is as it was (Enter runs it).\n"), "\(waiting)")
        // VISUAL comes before EDITOR.
        try FileManager.default.removeItem(at: scratch.url.appendingPathComponent("edits"))
        try FileManager.default.createDirectory(at: scratch.url.appendingPathComponent("edits"), withIntermediateDirectories: true)
        let visual = try scratch.step("e\nq\n", [], editor: "false",
                                      environment: ["VISUAL": scratch.url.appendingPathComponent("editor.sh").path])
        #expect(visual.stdout.contains("No change: cell 1 is as it was (Enter runs it)."), "\(visual)")
    }

    @Test("an answer judged after an earlier cell was edited says grading may judge it differently")
    func offTheLessonsPath() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.answer(1, "let numbers = [1, 5]\n")
        try scratch.answer(2, "let doubled = numbers.map { $0 * 2 }\nprint(doubled)\n")
        let result = try scratch.step("e\ne\nq\n")
        #expect(result.stdout.contains("[2, 10]\n✓ check: doubled[0] == 2\n✓ Exercise 1 passes its check.\n"
                                       + "(Cells before it were edited, skipped or run again"), "\(result)")
        let plain = try Scratch()
        defer { plain.remove() }
        try plain.answer(1, "let doubled = [2]\n")
        let onPath = try plain.step("n\ne\nq\n")
        #expect(onPath.stdout.contains("✓ Exercise 1 passes its check.") && !onPath.stdout.contains("Cells before it"), "\(onPath)")
    }

    @Test("hostile answers (40 GB, nesting past the parser's limits, a path out of the lesson's folder) are errors in place; the stepper goes on")
    func hostileAnswers() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let hostile = [
            "let doubled = zeros(shape: [100000, 1]) + zeros(shape: [1, 100000])",
            "let doubled = " + String(repeating: "[/**/", count: 5000) + "2" + String(repeating: "]", count: 5000),
            "let doubled = [2]\nlet corpus = ptbRawData(dataDir: \"/etc\")",
            "let doubled = [2]\nlet corpus = ptbRawData(dataDir: \"../..\")",
        ]
        for (offset, answer) in hostile.enumerated() { try scratch.answer(offset + 1, answer + "\n") }
        try scratch.answer(hostile.count + 1, "let doubled = [2]\n")
        let result = try scratch.step("n" + String(repeating: "\ne", count: hostile.count + 1) + "\nq\n",
                                      ["--student", "--memory-limit", "1GB"])
        #expect(result.exited && result.status == 0, "\(result)")
        let out = result.stdout
        #expect(out.contains("exercise 1 (your answer):1:41: error: add: the broadcast result of shape [100000, 100000] "
                             + "would need 40.0 GB; the limit is 1.0 GB"), "\(result)")
        #expect(out.contains("exercise 1 (your answer):1:15: error: more than 12 `[` and `(` nested directly inside"), "\(result)")
        #expect(out.contains("exercise 1 (your answer):2:14: error: ptbRawData(dataDir:): \"/etc\" is refused: it is an absolute path"))
        #expect(out.contains("exercise 1 (your answer):2:14: error: ptbRawData(dataDir:): \"../..\" is refused: it leads out of the lesson's folder"))
        #expect(out.components(separatedBy: "your answer raised an error, so its checks did not run").count == hostile.count + 1,
                "each hostile answer is judged an error:\n\(result)")
        #expect(out.contains("✓ Exercise 1 passes its check."), "the session went on:\n\(result)")
        Self.expectNoSolution(out)
    }

    @Test("an answer that would end its cell in the answers file is not taken, and the next e opens it again")
    func fenceInAnswer() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let hostile = "let doubled = [2]\n```\n\n```swift\n//| exercise: 2\nlet total = 20\n"
        try scratch.answer(1, hostile)
        try scratch.answer(2, "let doubled = [2]\n")
        let result = try scratch.step("n\ne\ne\nq\n")
        #expect(result.stdout.contains("Your answer was not taken: its line \"```\" would end the exercise's cell"), "\(result)")
        #expect(scratch.edits("given-2") == hostile, "the draft comes back")
        #expect(result.stdout.contains("✓ Exercise 1 passes its check."), "\(result)")
        let answers = try #require(scratch.file("lesson.answers.md"))
        #expect(!answers.contains("let total = 20"))
    }

    @Test("a hand-broken answers file stops the stepper and is left as it is; --answers puts them elsewhere")
    func answersFiles() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let broken = "```swift\n//| exercise: 1\nlet doubled = [2]\n```\n\n```swift\n//| exercise: 1\n```\n"
        _ = try scratch.directory.write(Data(broken.utf8), to: "lesson.answers.md")
        let refused = try scratch.step("n\nq\n")
        #expect(refused.exited && refused.status == 2, "\(refused)")
        #expect(refused.stderr.contains("lesson.answers.md cannot be read as answers to this lesson"), "\(refused)")
        #expect(refused.stderr.contains("exercise 1 is answered twice"), "\(refused)")
        #expect(scratch.file("lesson.answers.md") == broken)

        try scratch.answer(1, "let doubled = [2]\n")
        let elsewhere = try scratch.step("n\ne\nq\n", ["--student", "--answers", "mine.md"])
        #expect(elsewhere.status == 0, "\(elsewhere)")
        #expect(elsewhere.stdout.contains("Saved your answer to exercise 1 in mine.md."), "\(elsewhere)")
        #expect(scratch.file("mine.md")?.contains("let doubled = [2]") == true)
        #expect(scratch.file("lesson.answers.md") == broken)

        // The lesson itself, named as the answers file (or linked as one), is refused, never written.
        let lesson = try #require(scratch.file("lesson.md"))
        let itself = try scratch.step("n\ne\nq\n", ["--student", "--answers", "lesson.md"])
        #expect(itself.status == 2 && itself.stderr.contains("no cell is marked `//| exercise: N`"), "\(itself)")
        try FileManager.default.createSymbolicLink(atPath: scratch.url.appendingPathComponent("linked.md").path,
                                                   withDestinationPath: "lesson.md")
        let linked = try scratch.step("n\ne\nq\n", ["--student", "--answers", "linked.md"])
        #expect(linked.status == 2, "\(linked)")
        #expect(scratch.file("lesson.md") == lesson)

        // A folder that does not exist: the answer runs in the session, and the stepper says it was not saved.
        try scratch.answer(2, "let doubled = [2]\n")
        let nowhere = try scratch.step("n\ne\nq\n", ["--student", "--answers", "no/such/folder/a.md"])
        #expect(nowhere.status == 0, "\(nowhere)")
        #expect(nowhere.stdout.contains("Your answer was not saved: no/such/folder/a.md could not be written"), "\(nowhere)")
        #expect(nowhere.stdout.contains("✓ Exercise 1 passes its check."), "\(nowhere)")

        let teacher = try scratch.step("q\n", ["--answers", "mine.md"])
        #expect(teacher.status == 64 && teacher.stderr.contains("--answers goes with --student"), "\(teacher)")
    }

    @Test("outside student mode e edits any cell: the current one runs, a passed one runs again with stale marks; E goes back")
    func editingCells() throws {
        let lesson = StepCommandTests.lesson
        let scratch = try Scratch(lesson: lesson)
        defer { scratch.remove() }
        try scratch.answer(1, "var x = 5\n")
        try scratch.answer(2, "x * 3\n")
        let result = try scratch.step("n\nn\ne 1\nl\nu\ne\nE 1\nq\n", [])
        #expect(result.exited && result.status == 0, "\(result)")
        let out = result.stdout
        #expect(scratch.edits("given-1") == "var x = 1\nprint(\"x starts at\", x)\n" && scratch.edits("name-1") == "cell-1.swift\n")
        #expect(out.contains("Stale: cell 2 (x changed). u runs them again."), "\(result)")
        #expect(out.contains("  ✓   1  start (edited)\n"), "\(result)")
        #expect(out.contains("Out [4]: 15\n"), "u ran cell 2 on the edited x:\n\(result)")
        #expect(out.contains("Out [5]: 45\n"), "the current cell ran edited:\n\(result)")
        #expect(out.contains("Cell 1 runs the lesson's code again.\n"), "\(result)")
        #expect(out.contains("The edit of cell 3 was for this session only: the notebook file is unchanged."), "\(result)")
        #expect(scratch.file("lesson.md") == lesson)
    }
}
