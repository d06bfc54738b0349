import Foundation
import TestSupport
import Testing
@testable import Notebook

/// `lesson run --student` and `lesson grade` on a tiny lesson in a scratch folder, as a user runs them.
@Suite("lesson run --student and lesson grade")
struct ExerciseCommandTests {
    static let lesson = SumsLesson.markdown(extraChecks: ["doubled[3] == 8"], extraCode: ["print(\"SECRET-SOLUTION-OUTPUT\")"])

    static let placeholder1 = "// Exercise 1: write your code here."
    static let placeholder2 = "// Exercise 2: write your code here."

    private static func scratch(_ files: [String: String]) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        for (name, text) in files { _ = try directory.write(Data(text.utf8), to: name) }
        return directory
    }

    private static func read(_ directory: TemporaryDirectory, _ path: String) throws -> String {
        try String(contentsOf: directory.url.appendingPathComponent(path), encoding: .utf8)
    }

    /// The handout `lesson run --student` writes, with the placeholders replaced.
    private static func studentFile(in directory: TemporaryDirectory, _ answer1: String?, _ answer2: String?) throws
        -> String {
        let run = try LessonCommand.run(["run", "lesson.md", "--student", "--no-cache"], in: directory.url)
        #expect(run.status == 0, "\(run)")
        var handout = try read(directory, "Output/lesson.student.md")
        if let answer1 { handout = handout.replacingOccurrences(of: placeholder1, with: answer1) }
        if let answer2 { handout = handout.replacingOccurrences(of: placeholder2, with: answer2) }
        return handout
    }

    @Test("--student writes the student report without the solutions and a handout that parses")
    func studentBuild() throws {
        let directory = try Self.scratch(["lesson.md": Self.lesson])
        defer { directory.remove() }
        let run = try LessonCommand.run(["run", "lesson.md", "--student", "--no-cache"], in: directory.url)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("Output/lesson.student.md"))
        let html = try Self.read(directory, "Output/lesson.student.html")
        #expect(!html.contains("SECRET-SOLUTION-OUTPUT"))
        #expect(!html.contains("numbers.map"))
        #expect(html.contains("<strong>Exercise 2</strong>: total"))
        #expect(html.contains("the total is 20"), "later cells ran on the solutions")
        #expect(!FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("Output/lesson.html").path))

        let handout = try Self.read(directory, "Output/lesson.student.md")
        #expect(!handout.contains("SECRET") && !handout.contains("solution:"))
        #expect(handout.contains("//| exercise: 2\n//| label: total\n//| check: total == 20\n\(Self.placeholder2)\n```"))
        let parsed = NotebookParser.parse(text: handout, file: "lesson.student.md")
        #expect(parsed.warnings.isEmpty, "\(parsed.warnings)")
        #expect(parsed.cells.map(\.options.exercise) == [nil, 1, 2, nil])
        #expect(parsed.cells.compactMap(\.options.label) == ["doubled", "total"])
    }

    @Test("-o puts the student report there and the handout beside it")
    func studentBuildWithOutput() throws {
        let directory = try Self.scratch(["lesson.md": Self.lesson])
        defer { directory.remove() }
        let run = try LessonCommand.run(["run", "lesson.md", "--student", "--no-cache", "-o", "class.html"],
                                        in: directory.url)
        #expect(run.status == 0, "\(run)")
        #expect(try Self.read(directory, "class.html").contains("Exercise 1"))
        #expect(try Self.read(directory, "class.md").contains(Self.placeholder1))
    }

    @Test("grade: correct answers pass and exit 0; --json and -o work")
    func gradeCorrect() throws {
        let directory = try Self.scratch(["lesson.md": Self.lesson])
        defer { directory.remove() }
        let student = try Self.studentFile(in: directory, "let doubled = numbers.map { $0 + $0 }",
                                           "var total = 0\nfor n in doubled { total += n }")
        _ = try directory.write(Data(student.utf8), to: "student.md")
        let run = try LessonCommand.run(["grade", "student.md", "--against", "lesson.md", "-o", "graded.html"],
                                        in: directory.url)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("1         doubled  passed"), "\(run)")
        #expect(run.stdout.contains("2 of 2 exercises passed"))
        let graded = try Self.read(directory, "graded.html")
        #expect(graded.contains("Solution (exercise 2: total)"))
        #expect(!graded.contains("reduce"), "the lesson's solution was replaced by the answer")

        let json = try LessonCommand.run(["grade", "student.md", "--against", "lesson.md", "--json"], in: directory.url)
        #expect(json.status == 0, "\(json)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["passed"] as? Int == 2)
        let exercises = try #require(object["exercises"] as? [[String: Any]])
        #expect(exercises.map { $0["result"] as? String } == ["passed", "passed"])
    }

    @Test("grade: a wrong answer fails naming the check; a missing one is not attempted; exit 1")
    func gradeWrongAndMissing() throws {
        let directory = try Self.scratch(["lesson.md": Self.lesson])
        defer { directory.remove() }
        let student = try Self.studentFile(in: directory, "let doubled = numbers.map { $0 * 3 }", nil)
        _ = try directory.write(Data(student.utf8), to: "student.md")
        let run = try LessonCommand.run(["grade", "student.md", "--against", "lesson.md"], in: directory.url)
        #expect(run.status == 1, "\(run)")
        #expect(run.stdout.contains("failed         0/1     check `doubled == [2, 4, 6, 8]` failed: is false"), "\(run)")
        #expect(run.stdout.contains("; check `doubled[3] == 8` failed: is false: doubled[3] is 12"),
                "every failed check is listed: \(run)")
        #expect(run.stdout.contains("2         total    not attempted"), "\(run)")
        #expect(run.stdout.contains("0 of 2 exercises passed"))
    }

    @Test("no -o may write over a file the command reads: the lesson, its handout's name, the student's work")
    func outputNeverReplacesAnInput() throws {
        let directory = try Self.scratch(["lesson.md": Self.lesson])
        defer { directory.remove() }
        let student = try Self.studentFile(in: directory, "let doubled = numbers.map { $0 + $0 }", nil)
        _ = try directory.write(Data(student.utf8), to: "student.md")
        for output in ["lesson.html", "lesson", "lesson.md"] {
            let run = try LessonCommand.run(["run", "lesson.md", "--student", "-o", output], in: directory.url)
            #expect(run.exited && run.status == 2, "\(output): \(run)")
            #expect(run.stderr.contains("which this command reads"), "\(output): \(run)")
        }
        #expect(try Self.read(directory, "lesson.md") == Self.lesson, "the lesson is untouched")
        let grade = try LessonCommand.run(["grade", "student.md", "--against", "lesson.md", "-o", "student.md"],
                                          in: directory.url)
        #expect(grade.exited && grade.status == 2 && grade.stderr.contains("which this command reads"), "\(grade)")
        #expect(try Self.read(directory, "student.md") == student, "the student's work is untouched")
        // Without --student, -o lesson.html writes no handout, so it is fine.
        let plain = try LessonCommand.run(["run", "lesson.md", "-o", "lesson.html"], in: directory.url)
        #expect(plain.exited && plain.status == 0, "\(plain)")
    }

    @Test("--student on a lesson without solutions says the student build is the whole lesson")
    func studentBuildWithoutExercises() throws {
        let directory = try Self.scratch(["plain.md": "```swift\n1 + 1\n```\n"])
        defer { directory.remove() }
        let run = try LessonCommand.run(["run", "plain.md", "--student", "-o", "plain.student.html"], in: directory.url)
        #expect(run.exited && run.status == 0, "\(run)")
        #expect(run.stderr.contains("plain.md has no `//| solution: true` cells"), "\(run)")
    }

    @Test("grade: an answer with a syntax error is reported at its line in the student's file")
    func gradeSyntaxError() throws {
        let directory = try Self.scratch(["lesson.md": Self.lesson])
        defer { directory.remove() }
        // Two lines above the answer, so the student's line numbers differ from the lesson's.
        let student = try Self.studentFile(in: directory, "// My answer:\n\nlet doubled = numbers.map { $0 * 2 ", nil)
        _ = try directory.write(Data(student.utf8), to: "student.md")
        let line = try #require(student.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.contains("numbers.map { $0 * 2 ") }) + 1
        let run = try LessonCommand.run(["grade", "student.md", "--against", "lesson.md"], in: directory.url)
        #expect(run.status == 1, "\(run)")
        #expect(run.stdout.contains("error          0/1     student.md:\(line):"), "\(run)")
        #expect(run.stdout.contains("let doubled = numbers.map { $0 * 2 \n"), "the line is quoted: \(run)")
        #expect(run.stdout.contains("note: to match this opening '{' (at \(line):27)"), "\(run)")
    }

    @Test("grade: an answer that never ends is stopped at --answer-timeout and the rest is still graded")
    func gradeEndlessAnswer() throws {
        let directory = try Self.scratch(["lesson.md": Self.lesson])
        defer { directory.remove() }
        let student = try Self.studentFile(in: directory, "var spins = 0\nwhile true { spins += 1 }",
                                           "let total = 20")
        _ = try directory.write(Data(student.utf8), to: "student.md")
        let run = try LessonCommand.run(["grade", "student.md", "--against", "lesson.md", "--answer-timeout", "1"],
                                        in: directory.url)
        #expect(run.status == 1, "\(run)")
        #expect(run.stdout.contains("time limit"), "\(run)")
        #expect(run.stdout.contains("2         total    passed"), "\(run)")
    }

    @Test("grade: a student file that is not a notebook, or a lesson without exercises, exits 2")
    func gradeUnusableInput() throws {
        let directory = try Self.scratch(["lesson.md": Self.lesson, "notes.md": "# Just notes\n",
                                          "plain.md": "```swift\nlet x = 1\n```\n"])
        defer { directory.remove() }
        let notNotebook = try LessonCommand.run(["grade", "notes.md", "--against", "lesson.md"], in: directory.url)
        #expect(notNotebook.status == 2, "\(notNotebook)")
        #expect(notNotebook.stderr.contains("notes.md:1: error: this is not a lesson notebook"))
        let missing = try LessonCommand.run(["grade", "gone.md", "--against", "lesson.md"], in: directory.url)
        #expect(missing.status == 2, "\(missing)")
        #expect(missing.stderr.contains("gone.md"))
        let noExercises = try LessonCommand.run(["grade", "lesson.md", "--against", "plain.md"], in: directory.url)
        #expect(noExercises.status == 2, "\(noExercises)")
        #expect(noExercises.stderr.contains("plain.md:1: error: the lesson has no exercises"))
    }

    @Test("grade: a fence in an answer cannot close the lesson's cell, add checked cells or swallow the lesson")
    func gradeFenceInjection() throws {
        // A lesson that lets its prose hold raw HTML, so markup an answer smuggled into the
        // lesson's Markdown would reach the report as markup.
        let lesson = Self.lesson.replacingOccurrences(of: "title: Sums", with: "title: Sums\nallow-raw-html: true")
        let directory = try Self.scratch(["lesson.md": lesson])
        defer { directory.remove() }
        // The answer's four-backtick fence holds a three-backtick line that would close the
        // lesson's cell, copies of the later cells with `check: true`, and an unclosed <pre>.
        let injected = HostileAnswers.fenceInjection()
        var student = try Self.studentFile(in: directory, injected, "let total = 0")
        student = student.replacingOccurrences(of: "```swift\n//| exercise: 1", with: "````swift\n//| exercise: 1")
            .replacingOccurrences(of: "<pre>\n```", with: "<pre>\n````")
        _ = try directory.write(Data(student.utf8), to: "student.md")
        let fenceLine = try #require(student.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.contains("numbers.map") }) + 2
        let run = try LessonCommand.run(["grade", "student.md", "--against", "lesson.md", "-o", "graded.html"],
                                        in: directory.url)
        #expect(run.status == 1, "\(run)")
        #expect(run.stdout.contains("1         doubled  error   0/1     student.md:\(fenceLine):1: error:"), "\(run)")
        #expect(run.stdout.contains("2         total    failed  0/1     check `total == 20` failed: is false: total is 0"),
                "\(run)")
        #expect(run.stdout.contains("0 of 2 exercises passed"), "\(run)")
        let graded = try Self.read(directory, "graded.html")
        #expect(!graded.contains("<pre>"), "no <pre> from the student (the report writes none of its own)")
        let text = graded.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
        #expect(text.contains("```swift\n//| label: total\n//| solution: true\n//| check: true\nlet total = 0\n```"),
                "the answer is shown as code, all of it")
        #expect(text.contains("&lt;pre&gt;"), "the answer is shown as code")
        #expect(graded.contains("the total is 20"), "the lesson's last cell ran on the lesson's values")
    }

    @Test("grade: a file whose cells cannot be matched to the exercises is refused with every reason, exit 2")
    func gradeRefusesAmbiguousAnswers() throws {
        let directory = try Self.scratch(["lesson.md": Self.lesson])
        defer { directory.remove() }
        let handout = try Self.studentFile(in: directory, "let doubled = [2, 4, 6, 8]", nil)
        let student = handout + "\n```swift\n//| exercise: 1\nlet doubled = [0]\n```\n\n```swift\n//| exercise: 3\n```\n"
        _ = try directory.write(Data(student.utf8), to: "student.md")
        let lines = student.split(separator: "\n", omittingEmptySubsequences: false)
        // 0-based indices: the second answer's fence is 1-based line `second - 1`, the first's `first`.
        let second = try #require(lines.firstIndex { $0 == "let doubled = [0]" })
        let first = try #require(lines.firstIndex { $0 == "//| exercise: 1" })
        let run = try LessonCommand.run(["grade", "student.md", "--against", "lesson.md", "-o", "graded.html"],
                                        in: directory.url)
        #expect(run.exited && run.status == 2, "\(run)")
        #expect(run.stdout.isEmpty, "nothing is graded: \(run)")
        #expect(run.stderr.contains("student.md:\(second - 1): error: exercise 1 is answered twice, here and at "
                                    + "line \(first)"), "\(run)")
        #expect(run.stderr.contains("student.md:\(second + 5): error: the lesson has no exercise 3"), "\(run)")
        #expect(!FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("graded.html").path))
        // The lesson itself is no answer file: it has no exercise cells.
        let lesson = try LessonCommand.run(["grade", "lesson.md", "--against", "lesson.md"], in: directory.url)
        #expect(lesson.exited && lesson.status == 2, "\(lesson)")
        #expect(lesson.stderr.contains("lesson.md:1: error: no cell is marked `//| exercise: N`"), "\(lesson)")
    }

    @Test("grade: the shipped quickstart handout is not attempted, and with the solution's code it passes")
    func gradeShippedHandout() throws {
        let root = TestPaths.packageRoot()
        let lesson = root.appendingPathComponent("Notebooks/quickstart.md").path
        let handout = root.appendingPathComponent("Output/quickstart.student.md").path
        let placeholder = try LessonCommand.run(["grade", handout, "--against", lesson], in: root)
        #expect(placeholder.exited && placeholder.status == 1, "\(placeholder)")
        #expect(placeholder.stdout.contains("1         sentences in training  not attempted"), "\(placeholder)")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let answered = try String(contentsOfFile: handout, encoding: .utf8).replacingOccurrences(
            of: "// Exercise 1: write your code here.",
            with: "let trainSentences = idToWord(trainData).filter { $0 == \"<eos>\" }.count")
        let student = try directory.write(Data(answered.utf8), to: "student.md")
        let passed = try LessonCommand.run(["grade", student.path, "--against", lesson], in: root)
        #expect(passed.exited && passed.status == 0, "\(passed)")
        #expect(passed.stdout.contains("1 of 1 exercise passed"), "\(passed)")
    }

    @Test("lesson check warns about a check that is not an expression, at its line and column")
    func checkWarnsAboutBrokenChecks() throws {
        let broken = Self.lesson.replacingOccurrences(of: "//| check: total == 20", with: "//| check: total ==")
        let directory = try Self.scratch(["lesson.md": broken])
        defer { directory.remove() }
        let line = try #require(broken.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.contains("check: total ==") }) + 1
        let check = try LessonCommand.run(["check", "lesson.md"], in: directory.url)
        #expect(check.stderr.contains("lesson.md:\(line):20: warning: cell option `check` is not a Swift expression"),
                "\(check)")
        let run = try LessonCommand.run(["run", "lesson.md", "--no-cache"], in: directory.url)
        #expect(run.status == 1, "a broken check fails when it runs: \(run)")
        #expect(run.stdout.contains("1 check failed"), "\(run)")
    }

    @Test("lesson step shows a cell's checks after it runs")
    func stepShowsChecks() throws {
        let directory = try Self.scratch(["lesson.md": Self.lesson])
        defer { directory.remove() }
        let step = try LessonCommand.run(["step", "lesson.md", "--no-cache"], in: directory.url, stdin: "n\nn\nq\n")
        #expect(step.stdout.contains("✓ check: doubled == [2, 4, 6, 8]"), "\(step)")
    }

    @Test("grade --help explains the matching and the exit codes")
    func gradeHelp() throws {
        let help = try LessonCommand.run(["grade", "--help"])
        #expect(help.stdout.contains("//| exercise: N"))
        #expect(help.stdout.contains("not attempted"))
        #expect(help.stdout.contains("--against <lesson>"))
        let words = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("never put into the lesson's Markdown, so it cannot add cells, checks or prose"))
        #expect(words.contains("refused, with each reason at its line"))
        #expect(words.contains("an exercise answered by two cells"))
        let top = try LessonCommand.run(["--help"])
        #expect(top.stdout.contains("grade"))
    }
}
