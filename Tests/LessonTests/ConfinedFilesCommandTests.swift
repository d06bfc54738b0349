import Foundation
import TestSupport
import Testing

/// What cells may touch, through the real binary: a lesson in `class/lesson/`, an unrelated
/// folder `class/elsewhere/` beside it, and `lesson run` / `lesson grade` run from `class/`.
@Suite("cells touch only the lesson's folder, the report folder and the data")
struct ConfinedFilesCommandTests {
    /// A tiny model on the generated corpus, so the cells can save and load weights.
    static let model = """
        let corpus = generatedCorpus(sentences: 50, seed: 1)
        let model = PTBModel(ModelConfig(numSteps: 3, hiddenSizes: [4], embeddingSize: 4, batchSize: 2,
                                         vocabularySize: corpus.vocabulary.count))
        """

    static func lesson(_ cells: [String]) -> String {
        "# Files\n\n" + cells.map { "```swift\n\($0)\n```\n" }.joined(separator: "\n")
    }

    private static func classroom(_ lesson: String) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try directory.write(Data(lesson.utf8), to: "class/lesson/lesson.md")
        try directory.write(Data("keep".utf8), to: "class/elsewhere/keep.txt")
        try directory.write(Data("SECRET-BYTES-0123456789".utf8), to: "class/elsewhere/secret.txt")
        return directory
    }

    private static func exists(_ directory: TemporaryDirectory, _ path: String) -> Bool {
        FileManager.default.fileExists(atPath: directory.url.appendingPathComponent(path).path)
    }

    @Test("save and load escaping the lesson's folder are refused, located, with no byte shown")
    func escapesAreRefusedInARun() throws {
        let outside = try TemporaryDirectory()
        defer { outside.remove() }
        let directory = try Self.classroom(Self.lesson([
            Self.model,
            "//| error: allow\nsave(model, to: \"\(outside.url.path)/planted.safetensors\")",
            "//| error: allow\nsave(model, to: \"../elsewhere/planted.safetensors\")",
            "//| error: allow\nsave(model, to: \"~/planted.safetensors\")",
            "//| error: allow\nload(model, from: \"../elsewhere/secret.txt\")",
            "//| error: allow\nload(model, from: \"/etc/passwd\")",
            "//| error: allow\nptbRawData(dataDir: \"../elsewhere\")",
            "save(model, to: \"model.safetensors\")\nload(model, from: \"model.safetensors\")\nprint(\"saved and loaded\")",
        ]))
        defer { directory.remove() }
        let run = try LessonCommand.run(["run", "lesson/lesson.md", "--no-cache"],
                                        in: directory.url.appendingPathComponent("class"))
        #expect(run.status == 0, "\(run)")
        let html = try String(contentsOf: directory.url.appendingPathComponent("class/Output/lesson.html"),
                              encoding: .utf8)
        #expect(html.contains("it is an absolute path"))
        #expect(html.contains("it leads out of the lesson&#39;s folder") || html.contains("it leads out of the lesson's folder"))
        #expect(html.contains("`~` is not expanded"))
        #expect(html.contains("lesson/lesson.md:11:1: error: save(_:to:)"), "the refusal is located at the cell's line")
        #expect(!html.contains("SECRET") && !html.contains("0123456789") && !html.contains("root:"),
                "no byte of a refused file reaches the report")
        #expect(!Self.exists(outside, "planted.safetensors"))
        #expect(!Self.exists(directory, "class/elsewhere/planted.safetensors"))
        #expect(html.contains("saved and loaded"), "a relative path in the lesson's folder still works")
        #expect(Self.exists(directory, "class/lesson/model.safetensors"),
                "relative paths start at the lesson's folder, not the working directory")
    }

    /// The attack of issue 12: an answer graded with `lesson grade` wrote into an unrelated
    /// folder and still passed. Now the write is refused and the answer is an error; what the
    /// lesson itself writes goes to a private folder and is gone after grading.
    @Test("grade: an answer cannot write outside; the lesson's own writes vanish with the run")
    func gradingWritesNothing() throws {
        let lesson = """
            # Save

            ```swift
            \(Self.model)
            ```

            ```swift
            //| solution: true
            //| check: done
            save(model, to: "model.safetensors")
            let done = true
            ```

            ```swift
            load(model, from: "model.safetensors")
            print("loaded again")
            ```
            """
        let directory = try Self.classroom(lesson)
        defer { directory.remove() }
        let student = """
            ```swift
            //| exercise: 1
            save(model, to: "../elsewhere/planted.safetensors")
            save(model, to: "model.safetensors")
            let done = true
            ```
            """
        try directory.write(Data(student.utf8), to: "class/student.md")
        let classFolder = directory.url.appendingPathComponent("class")
        // The private folder is made in $TMPDIR: one of this test's own, to see it removed.
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let environment = ["TMPDIR": temporary.url.path]
        let graded = try LessonCommand.run(["grade", "student.md", "--against", "lesson/lesson.md", "-o", "graded.html"],
                                           environment: environment, in: classFolder)
        #expect(graded.status == 1, "\(graded)")
        #expect(graded.stdout.contains("error"), "\(graded)")
        #expect(graded.stdout.contains("student.md:3:1: error: save(_:to:)"), "\(graded)")
        #expect(graded.stdout.contains("here (grading, a student's copy) cells may write only inside the lesson's folder, into a scratch folder of their own"), "\(graded)")
        #expect(!Self.exists(directory, "class/elsewhere/planted.safetensors"))

        let honest = student.replacingOccurrences(of: "save(model, to: \"../elsewhere/planted.safetensors\")\n", with: "")
        try directory.write(Data(honest.utf8), to: "class/student.md")
        let passed = try LessonCommand.run(["grade", "student.md", "--against", "lesson/lesson.md", "-o", "graded.html"],
                                           environment: environment, in: classFolder)
        #expect(passed.status == 0, "\(passed)")
        let html = try String(contentsOf: classFolder.appendingPathComponent("graded.html"), encoding: .utf8)
        #expect(html.contains("loaded again"), "the lesson's later cell read what the answer wrote")
        #expect(!Self.exists(directory, "class/lesson/model.safetensors"), "grading leaves nothing in the lesson's folder")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: temporary.url.path)
        #expect(leftovers.isEmpty, "the private folder is removed: \(leftovers)")
    }
}
