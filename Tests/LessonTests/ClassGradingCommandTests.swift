import Foundation
import TestSupport
import Testing

/// `lesson grade FOLDER --against LESSON`: a class graded from saved states, every submission
/// a row, broken and hostile files included; the gradebook read back by Python's `csv`.
@Suite("lesson grade: a class at once", .serialized)
struct ClassGradingCommandTests {
    static let lesson = """
        # Graded

        ```swift
        let numbers = [1, 2, 3, 4]
        ```

        ```swift
        //| label: the sum
        //| solution: true
        //| points: 2
        //| check: total == 10
        //| hidden-check: total > 0
        let total = numbers.reduce(0, +) // SECRET
        ```

        ```swift
        let doubled = numbers.map { $0 * 2 }
        ```

        ```swift
        //| label: the largest
        //| solution: true
        //| check: largest == 8, points: 3
        //| check: largest > 0
        let largest = doubled.max() ?? 0
        ```
        """

    static func submission(_ first: String?, _ second: String?) -> String {
        var text = "# My answers\n\n"
        if let first { text += "```swift\n//| exercise: 1\n\(first)\n```\n\n" }
        if let second { text += "```swift\n//| exercise: 2\n\(second)\n```\n" }
        return text
    }

    /// The lesson and a class folder with correct, wrong, erroring, empty and hostile submissions.
    static func classroom() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        _ = try directory.write(Data(lesson.utf8), to: "lesson.md")
        let files: [String: Data] = [
            "alice.md": Data(submission("let total = numbers.reduce(0, +)", "let largest = doubled.max() ?? 0").utf8),
            "bob.md": Data(submission("let total = 11", "let largest = doubled.max() ?? 0").utf8),
            "carol.md": Data(submission("let total = nope", "let largest = -1").utf8),
            "dave.md": Data(submission("// Exercise 1: write your code here.", nil).utf8),
            "eve.md": Data([0xFF, 0xFE, 0x00, 0x41]),
            "frank.txt": Data("not markdown".utf8),
            "=HYPERLINK(\"http:x\").md": Data(submission("let total = 10", nil).utf8),
            "gina.md": Data(submission("var n = 0\nwhile true { n += 1 }", "let largest = 8").utf8),
            "henry.md": Data(submission(nil, nil).utf8),
            "ivan.md": Data("```swift\n//| exercise: 7\nlet total = 10\n```\n".utf8),
            "judy.md": Data(submission("let numbers = [5]\nlet total = 10", "let largest = doubled.max() ?? 0").utf8),
        ]
        for (name, data) in files { _ = try directory.write(data, to: "class/\(name)") }
        try FileManager.default.createSymbolicLink(atPath: directory.url.appendingPathComponent("class/mallory.md").path,
                                                   withDestinationPath: "/etc/passwd")
        return directory
    }

    @Test("every submission gets a row; the gradebook has points by exercise; a wrong exercise costs only itself")
    func gradeAFolder() throws {
        let directory = try Self.classroom()
        defer { directory.remove() }
        let run = try LessonCommand.run(["grade", "class", "--against", "lesson.md", "--gradebook", "grades.csv",
                                         "--answer-timeout", "2"], in: directory.url)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("12 submissions graded"), "\(run)")
        #expect(run.stderr.contains("preparing the saved states"), "\(run)")

        // Python's csv reads it back.
        let script = """
            import csv, json, sys
            rows = list(csv.reader(open(sys.argv[1], newline="")))
            print(json.dumps(rows))
            """
        let python = try LessonCommand.runTool("/usr/bin/python3", ["-c", script, "grades.csv"], in: directory.url)
        #expect(python.status == 0, "\(python)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(python.stdout.utf8)) as? [[String]])
        #expect(rows.first == ["student", "exercise 1", "exercise 2", "total", "note"])
        let byStudent = Dictionary(rows.dropFirst().map { ($0[0], $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byStudent["alice"] == ["alice", "2", "3", "5", ""])
        #expect(byStudent["bob"] == ["bob", "1", "3", "4", ""], "the hidden check gives half of exercise 1")
        #expect(byStudent["carol"]?[1...3] == ["0", "0", "0"])
        #expect(byStudent["dave"]?[1...3] == ["0", "0", "0"], "not attempted")
        #expect(byStudent["gina"]?[1...3] == ["0", "3", "3"], "an endless loop costs its exercise only")
        #expect(byStudent["judy"]?[1...3] == ["2", "3", "5"], "redefining the lesson's data reaches no other exercise")
        #expect(byStudent["eve"]?[4].contains("not UTF-8") == true, "\(String(describing: byStudent["eve"]))")
        #expect(byStudent["frank.txt"]?[4].contains("not a Markdown file") == true)
        #expect(byStudent["henry"]?[4].contains("not graded") == true)
        #expect(byStudent["ivan"]?[4].contains("exercise") == true, "an exercise the lesson does not have")
        #expect(byStudent["mallory"]?[4].contains("symbolic link") == true, "a link out of the folder is not read")
        #expect(byStudent["'=HYPERLINK(\"http:x\")"] != nil, "a formula is written as text: \(rows.map { $0[0] })")
        #expect(!python.stdout.contains("root:"), "nothing of the linked file")
        #expect(rows.count == 13)

        // Grading again takes every unchanged submission from the grading cache, with the same result.
        let csv = try String(contentsOf: directory.url.appendingPathComponent("grades.csv"), encoding: .utf8)
        let again = try LessonCommand.run(["grade", "class", "--against", "lesson.md", "--gradebook", "grades.csv",
                                           "--answer-timeout", "2"], in: directory.url)
        #expect(again.stdout.contains("(10 from the grading cache; 0 cells ran"), "\(again)")
        #expect(try String(contentsOf: directory.url.appendingPathComponent("grades.csv"), encoding: .utf8) == csv)
        _ = try directory.write(Data(Self.submission("let total = 10", "let largest = 8").utf8), to: "class/bob.md")
        let changed = try LessonCommand.run(["grade", "class", "--against", "lesson.md", "--gradebook", "grades.csv",
                                             "--answer-timeout", "2"], in: directory.url)
        #expect(changed.stdout.contains("(9 from the grading cache"), "only bob's is graded again: \(changed)")
        #expect(try String(contentsOf: directory.url.appendingPathComponent("grades.csv"), encoding: .utf8)
            .contains("bob,2,3,5,"))
    }

    @Test("--json gives every exercise's checks; hidden checks stay out of the student build")
    func jsonAndHiddenChecks() throws {
        let directory = try Self.classroom()
        defer { directory.remove() }
        let run = try LessonCommand.run(["grade", "class", "--against", "lesson.md", "--json", "--answer-timeout", "2"],
                                        in: directory.url)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run)")
        #expect(object["total"] as? Double == 5)
        let students = try #require(object["students"] as? [[String: Any]])
        let bob = try #require(students.first { $0["student"] as? String == "bob" })
        #expect(bob["total"] as? Double == 4)
        let exercises = try #require(bob["exercises"] as? [[String: Any]])
        #expect((exercises.first?["checks"] as? [[String: Any]])?.count == 2)

        let student = try LessonCommand.run(["run", "lesson.md", "--student", "--no-cache"], in: directory.url)
        #expect(student.status == 0, "\(student)")
        let report = try String(contentsOf: directory.url.appendingPathComponent("Output/lesson.student.html"), encoding: .utf8)
        let handout = try String(contentsOf: directory.url.appendingPathComponent("Output/lesson.student.md"), encoding: .utf8)
        for text in [report, handout] {
            #expect(!text.contains("total &gt; 0") && !text.contains("total > 0") && !text.contains("SECRET"))
        }
        let instructor = try LessonCommand.run(["run", "lesson.md", "--no-cache"], in: directory.url)
        #expect(instructor.status == 0, "\(instructor)")
        let full = try String(contentsOf: directory.url.appendingPathComponent("Output/lesson.html"), encoding: .utf8)
        #expect(full.contains("total &gt; 0") && full.contains("hidden from students"))
    }

    @Test("--prepare saves the states; grading after the lesson changed prepares them again")
    func prepareAndStale() throws {
        let directory = try Self.classroom()
        defer { directory.remove() }
        let prepared = try LessonCommand.run(["grade", "--prepare", "lesson.md"], in: directory.url)
        #expect(prepared.status == 0 && prepared.stdout.contains("2 of 2 exercises ready for grading (3 cells ran)"),
                "\(prepared)")
        let again = try LessonCommand.run(["grade", "--prepare", "lesson.md"], in: directory.url)
        #expect(again.stdout.contains("(0 cells ran)"), "\(again)")
        let changed = Self.lesson.replacingOccurrences(of: "[1, 2, 3, 4]", with: "[1, 2, 3, 5]")
        _ = try directory.write(Data(changed.utf8), to: "lesson.md")
        let graded = try LessonCommand.run(["grade", "class/alice.md", "--against", "lesson.md"], in: directory.url)
        #expect(graded.stderr.contains("preparing the saved states"), "the old states are not used: \(graded)")
        #expect(graded.stdout.contains("failed") && graded.stdout.contains("largest is 10"), "\(graded)")
    }

    @Test("feedback pages, one a student, open in a browser: answers, checks, points; hidden checks counted, never shown",
          .enabled(if: HeadlessBrowser.isAvailable, "needs chromium (make test installs it)"))
    func feedbackPages() throws {
        let directory = try Self.classroom()
        defer { directory.remove() }
        let run = try LessonCommand.run(["grade", "class", "--against", "lesson.md", "--feedback", "feedback",
                                         "--answer-timeout", "2"], in: directory.url)
        #expect(run.status == 0, "\(run)")
        let pages = try FileManager.default.contentsOfDirectory(atPath: directory.url.appendingPathComponent("feedback").path)
        #expect(pages.count == 12, "every submission gets a page: \(pages.sorted())")
        let browser = try HeadlessBrowser()
        defer { browser.close() }
        try browser.navigate(to: directory.url.appendingPathComponent("feedback/bob.html").absoluteString)
        #expect(try browser.text(of: ".feedback-total") == "4 of 5 points")
        let body = try browser.evaluate("document.body.innerText") as? String ?? ""
        #expect(body.contains("let total = 11"), "the student's own code")
        #expect(body.contains("✗") && body.contains("total == 10") && body.contains("total is 11"), "\(body)")
        #expect(body.contains("Hidden checks: 1 of 1 passed."))
        #expect(!body.contains("total > 0") && !body.contains("SECRET"), "no hidden check, no solution")
        #expect(try browser.evaluate("document.querySelectorAll('section.feedback').length") as? Double == 2)
        try browser.navigate(to: directory.url.appendingPathComponent("feedback/eve.html").absoluteString)
        #expect((try browser.evaluate("document.body.innerText") as? String ?? "").contains("not UTF-8"))
    }

    @Test("a gradebook or feedback folder that cannot be written loses no grade: the table is printed, exit 2")
    func unwritableOutputs() throws {
        let directory = try Self.classroom()
        defer { directory.remove() }
        _ = try directory.write(Data("a file where a folder should be".utf8), to: "blocked")
        let run = try LessonCommand.run(["grade", "class", "--against", "lesson.md", "--gradebook", "blocked/grades.csv",
                                         "--feedback", "blocked/feedback", "--answer-timeout", "2"], in: directory.url)
        #expect(run.status == 2, "\(run)")
        #expect(run.stdout.contains("alice") && run.stdout.contains("12 submissions graded"), "the grades are there: \(run)")
        #expect(run.stderr.contains("cannot write the gradebook blocked/grades.csv"), "\(run)")
        #expect(run.stderr.contains("cannot write the feedback page"), "\(run)")
    }
}
