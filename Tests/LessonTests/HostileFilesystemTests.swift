import Foundation
import TestSupport
import Testing

/// What a folder set up by someone else can do to `lesson`: a cache folder that is a symbolic
/// link, a report that cannot be written where asked.
@Suite("hostile folders: linked caches, unwritable reports")
struct HostileFilesystemTests {
    static let lesson = "# L\n\n```swift\nlet x = 1\n```\n"

    /// `.lesson-cache` pointing at someone's folder: clearing the cache must not delete what
    /// the link points to, and a run must not write its entries there.
    @Test("cache clear, prune and run refuse a .lesson-cache that is a symbolic link")
    func linkedCacheIsNotFollowed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(Data(Self.lesson.utf8), to: "class/lesson.md")
        let victim = try directory.write(Data("precious".utf8), to: "victim/lesson/thesis.txt")
        try FileManager.default.createSymbolicLink(
            at: directory.url.appendingPathComponent("class/.lesson-cache"),
            withDestinationURL: directory.url.appendingPathComponent("victim"))
        let classFolder = directory.url.appendingPathComponent("class")

        let clear = try LessonCommand.run(["cache", "clear", "lesson.md"], in: classFolder)
        #expect(clear.status != 0, "\(clear)")
        #expect(clear.stderr.contains("is a symbolic link; the cache does not follow links"), "\(clear)")
        #expect(FileManager.default.fileExists(atPath: victim.path), "the folder behind the link is intact")

        let run = try LessonCommand.run(["run", "lesson.md"], in: classFolder)
        #expect(run.status == 0, "a cache that cannot be used means running without it: \(run)")
        #expect(run.stderr.contains("symbolic link"), "\(run)")
        let written = try FileManager.default.contentsOfDirectory(
            atPath: directory.url.appendingPathComponent("victim/lesson").path)
        #expect(written == ["thesis.txt"], "no entry was written through the link")

        // Prune, given what looks like an old run's entry and a manifest behind the link.
        let planted = try directory.write(Data("old".utf8), to: "victim/lesson/\(String(repeating: "a", count: 64)).cell")
        try directory.write(Data("settings \(String(repeating: "b", count: 64))\n".utf8), to: "victim/lesson/last-run.manifest")
        let prune = try LessonCommand.run(["cache", "prune", "lesson.md"], in: classFolder)
        #expect(prune.status != 0 && prune.stderr.contains("is a symbolic link"), "\(prune)")
        #expect(FileManager.default.fileExists(atPath: planted.path), "nothing behind the link was pruned")
    }

    /// Clearing removes the entries the cache wrote, not other files someone put in its folder.
    @Test("cache clear removes its own entries only")
    func clearLeavesForeignFiles() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(Data(Self.lesson.utf8), to: "lesson.md")
        let run = try LessonCommand.run(["run", "lesson.md", "--cache-state-after", "0"], in: directory.url)
        #expect(run.status == 0, "\(run)")
        let foreign = try directory.write(Data("mine".utf8), to: ".lesson-cache/lesson/notes.txt")
        let clear = try LessonCommand.run(["cache", "clear", "lesson.md"], in: directory.url)
        #expect(clear.status == 0, "\(clear)")
        let left = try FileManager.default.contentsOfDirectory(
            atPath: directory.url.appendingPathComponent(".lesson-cache/lesson").path)
        #expect(left == ["notes.txt"], "\(left)")
        #expect(FileManager.default.fileExists(atPath: foreign.path))
    }

    /// A report that cannot be written where asked goes to a new private folder (not a name in
    /// the shared temporary folder that another user could have planted or could read), and
    /// the command says so with exit status 2. `/proc` accepts no new files, even from root.
    @Test("an unwritable report goes to a private folder and the exit status is 2",
          .enabled(if: getuid() == 0, "needs a folder that passes the writable check but refuses the write"))
    func unwritableReport() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        try directory.write(Data(Self.lesson.utf8), to: "lesson.md")
        let name = "lesson-\(UUID().uuidString).html"
        let run = try LessonCommand.run(["run", "lesson.md", "--no-cache", "-o", "/proc/\(name)"],
                                        environment: ["TMPDIR": temporary.url.path], in: directory.url)
        #expect(run.status == 2, "\(run)")
        #expect(!FileManager.default.fileExists(atPath: temporary.url.appendingPathComponent(name).path),
                "not at a name anyone could guess")
        let folders = try FileManager.default.contentsOfDirectory(atPath: temporary.url.path)
        let folder = try #require(folders.first { $0.hasPrefix("lesson-report-") }, "\(folders)")
        let saved = temporary.url.appendingPathComponent(folder).appendingPathComponent(name)
        #expect(run.stderr.contains("the report was saved to \(saved.path) instead"), "\(run)")
        #expect(try String(contentsOf: saved, encoding: .utf8).contains("<!DOCTYPE html>"))
        let mode = try FileManager.default.attributesOfItem(atPath: temporary.url.appendingPathComponent(folder).path)[
            .posixPermissions] as? Int
        #expect(mode == 0o700, "only the user can enter the folder")
    }
}
