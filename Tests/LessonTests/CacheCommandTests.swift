import Foundation
import TestSupport
import Testing

/// The cell cache through the command line: reuse, `--no-cache`, `lesson cache info|clear`.
@Suite("lesson run with the cell cache")
struct CacheCommandTests {
    static let lesson = """
        # Cached

        ```swift
        let ids = (0..<600).map { $0 % 7 }
        let model = PTBModel(ModelConfig(numSteps: 5, hiddenSizes: [8], embeddingSize: 4, batchSize: 4,
                                         vocabularySize: 7))
        let history = train(model, data: (train: ids, valid: ids, test: ids), epochs: 1, verbose: false)
        print("trained")
        ```

        ```swift
        perplexity(model, ids)
        ```
        """

    @Test("a second run comes from the cache, says so, and gives the same numbers")
    func reuse() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try directory.write(Data(Self.lesson.utf8), to: "lesson.md")
        let first = try LessonCommand.run(["run", "lesson.md", "--cache-state-after", "0"], in: directory.url)
        #expect(first.status == 0, "\(first)")
        #expect(!first.stdout.contains("from the cache"))
        let second = try LessonCommand.run(["run", "lesson.md", "--cache-state-after", "0"], in: directory.url)
        #expect(second.status == 0, "\(second)")
        #expect(second.stdout.contains("(from the cache; ran "), "\(second)")
        let value = { (text: String) in text.split(separator: "\n").first { $0.hasPrefix("Out [2]:") } }
        #expect(value(second.stdout) != nil && value(second.stdout) == value(first.stdout))
        let report = try String(contentsOf: directory.url.appendingPathComponent("Output/lesson.html"), encoding: .utf8)
        #expect(report.contains("from the cache"))
        let ignore = directory.url.appendingPathComponent(".lesson-cache/.gitignore")
        #expect(FileManager.default.fileExists(atPath: ignore.path))

        let edited = Self.lesson.replacingOccurrences(of: "perplexity(model, ids)", with: "perplexity(model, ids) * 1")
        _ = try directory.write(Data(edited.utf8), to: "lesson.md")
        let third = try LessonCommand.run(["run", "lesson.md", "--cache-state-after", "0"], in: directory.url)
        #expect(third.stdout.contains("── In [1] · cell 1/2 ──\n(from the cache"), "\(third)")
        #expect(!third.stdout.contains("── In [2] · cell 2/2 ──\n(from the cache"), "\(third)")
        #expect(value(third.stdout) == value(first.stdout), "the restored model gives the same perplexity")

        let fresh = try LessonCommand.run(["run", "lesson.md", "--no-cache"], in: directory.url)
        #expect(!fresh.stdout.contains("from the cache"), "\(fresh)")
    }

    @Test("cache info lists the entries; cache clear empties the folder")
    func infoAndClear() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try directory.write(Data(Self.lesson.utf8), to: "lesson.md")
        _ = try LessonCommand.run(["run", "lesson.md", "--cache-state-after", "0"], in: directory.url)
        let info = try LessonCommand.run(["cache", "info", "lesson.md"], in: directory.url)
        #expect(info.status == 0, "\(info)")
        #expect(info.stdout.contains(": 2 entries and "), "\(info)")
        let clear = try LessonCommand.run(["cache", "clear", "lesson.md"], in: directory.url)
        #expect(clear.stdout.hasPrefix("Removed 2 cached cells"), "\(clear)")
        let after = try LessonCommand.run(["cache", "info", "lesson.md"], in: directory.url)
        #expect(after.stdout.contains(": 0 entries and 0 array blobs (0 bytes), 0 bytes in all"), "\(after)")
    }

    @Test("cache prune keeps what the last complete run used and removes the rest; without a run it removes nothing")
    func prune() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try directory.write(Data(Self.lesson.utf8), to: "lesson.md")
        let nothing = try LessonCommand.run(["cache", "prune", "lesson.md"], in: directory.url)
        #expect(nothing.status == 0 && nothing.stdout.hasPrefix("Nothing pruned"), "\(nothing)")

        _ = try LessonCommand.run(["run", "lesson.md", "--cache-state-after", "0"], in: directory.url)
        // An edit to the second cell that changes the session (a new name) leaves the first
        // run's second entry, and its saved state, behind.
        let edited = Self.lesson.replacingOccurrences(of: "perplexity(model, ids)", with: "let doubled = perplexity(model, ids) * 2")
        _ = try directory.write(Data(edited.utf8), to: "lesson.md")
        _ = try LessonCommand.run(["run", "lesson.md", "--cache-state-after", "0"], in: directory.url)
        let folder = directory.url.appendingPathComponent(".lesson-cache/lesson")
        let stranger = folder.appendingPathComponent("notes.txt")
        try Data("mine".utf8).write(to: stranger)
        let leftover = folder.appendingPathComponent(".\(String(repeating: "a", count: 64)).interrupted.tmp")
        try Data("partial".utf8).write(to: leftover)
        let before = try LessonCommand.run(["cache", "info", "lesson.md"], in: directory.url)
        #expect(before.stdout.contains(": 3 entries and "), "\(before)")

        let pruned = try LessonCommand.run(["cache", "prune", "lesson.md"], in: directory.url)
        #expect(pruned.status == 0, "\(pruned)")
        #expect(pruned.stdout.hasPrefix("Removed 1 cached cell ("), "\(pruned)")
        #expect(pruned.stdout.contains("2 left"), "\(pruned)")
        #expect(FileManager.default.fileExists(atPath: stranger.path), "files the cache did not write stay")
        #expect(!FileManager.default.fileExists(atPath: leftover.path), "an interrupted write's file goes")
        let again = try LessonCommand.run(["run", "lesson.md", "--cache-state-after", "0"], in: directory.url)
        #expect(again.stdout.contains("2 from the cache"), "the last run is still served whole: \(again)")
    }

    @Test("lesson step takes cells from the cache that lesson run filled")
    func stepFromTheCache() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try directory.write(Data(Self.lesson.utf8), to: "lesson.md")
        _ = try LessonCommand.run(["run", "lesson.md", "--cache-state-after", "0"], in: directory.url)
        let stepped = try LessonCommand.run(["step", "lesson.md"], in: directory.url, stdin: "n\nn\n")
        #expect(stepped.status == 0, "\(stepped)")
        #expect(stepped.stdout.contains("(from the cache; ran "), "\(stepped)")
        #expect(stepped.stdout.components(separatedBy: "(from the cache; ran ").count == 3, "both cells: \(stepped)")
        let fresh = try LessonCommand.run(["step", "lesson.md", "--no-cache"], in: directory.url, stdin: "n\n")
        #expect(fresh.stdout.contains("trained\n"), "\(fresh)")
    }
}

