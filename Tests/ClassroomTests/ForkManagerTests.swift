@testable import Classroom
import CellScript
import Foundation
import ModelAPI
import Notebook
import TestSupport
import Testing

/// The `lesson` binary `swift build` made beside these tests.
enum LessonBinary {
    static var url: URL? {
        let build = TestPaths.packageRoot().appendingPathComponent(".build")
        return ["debug", "release"].map { build.appendingPathComponent($0).appendingPathComponent("lesson") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}

/// The fork manager against real worker processes (the built `lesson worker`), with time
/// driven by hand.
@Suite("students' forks: idle closing", .serialized, .timeLimit(.minutes(2)),
       .enabled(if: LessonBinary.url != nil, "needs the built lesson binary"))
struct ForkManagerTests {
    static var binary: URL? { LessonBinary.url }

    static let lesson = """
        ```swift
        let base = 40
        ```

        ```swift
        base + 2
        ```
        """

    /// A class whose presenter ran the first cell, and a manager whose forks come from it.
    static func classroom(clock: ManualClock, folder: URL, maxForks: Int = 4, forksPerAddress: Int = 3) throws
        -> (LessonRoom, ForkManager) {
        let file = folder.appendingPathComponent("lesson.md")
        try Data(lesson.utf8).write(to: file)
        let document = NotebookParser.parse(text: lesson, file: file.path)
        let library = ModelAPI(files: FileScope(lessonFolder: folder))
        let executor = NotebookExecutor(document: document, text: lesson, libraries: [library])
        let room = LessonRoom(stepper: NotebookStepper(document: document, executor: executor), executor: executor,
                              slideCount: 1, clock: clock)
        try room.perform(.step(.run))
        room.waitUntilIdle()
        let binary = try #require(binary)
        let launch = WorkerLaunch(executable: binary.path, arguments: ["worker", file.path, "--scratch", folder.path])
        let manager = ForkManager(room: room, settings: .init(launch: launch, folder: folder, maxForks: maxForks,
                                                              idleSeconds: 60, maxRunning: 2,
                                                              forksPerAddress: forksPerAddress), clock: clock)
        return (room, manager)
    }

    /// The next note or event of a fork's page.
    static func next(_ lines: AsyncStream<String>.AsyncIterator) async -> (String?, AsyncStream<String>.AsyncIterator) {
        var iterator = lines
        let line = await iterator.next()
        return (line, iterator)
    }

    @Test("one address holds at most forksPerAddress forks; other addresses, and uncounted ones, are not held back")
    func forksPerAddress() throws {
        let folder = try TemporaryDirectory()
        let (room, manager) = try Self.classroom(clock: ManualClock(), folder: folder.url, maxForks: 6, forksPerAddress: 2)
        defer { manager.shutdown(); room.close() }
        _ = try manager.open(owner: "10.0.0.7")
        _ = try manager.open(owner: "10.0.0.7")
        #expect(throws: ForkManager.Refusal.self) { try manager.open(owner: "10.0.0.7") }
        do {
            _ = try manager.open(owner: "10.0.0.7")
        } catch {
            #expect(error.status == 429 && error.message.contains("--forks-per-address"), "\(error)")
        }
        _ = try manager.open(owner: "10.0.0.8")
        _ = try manager.open(owner: nil)
        _ = try manager.open(owner: nil)
        #expect(room.classCount.forked == 5)
    }

    @Test("a presenter's edit keeps the host forks come from (it changes no value); a finished command makes a new one")
    func editsKeepTheHost() throws {
        let folder = try TemporaryDirectory()
        let (room, manager) = try Self.classroom(clock: ManualClock(), folder: folder.url)
        defer { manager.shutdown(); room.close() }
        _ = try manager.open()
        let first = try #require(manager.currentHostID)
        try room.perform(.edit(1, code: "base * 2"))
        room.waitUntilIdle()
        _ = try manager.open()
        #expect(manager.currentHostID == first)
        #expect(room.edits == [1: "base * 2"], "the edit still goes to every new fork")
        try room.perform(.step(.run))
        room.waitUntilIdle()
        _ = try manager.open()
        #expect(manager.currentHostID != first)
    }

    @Test("a fork unused for the idle time is closed and its page told why; one used lately, or running, stays")
    func idleForksClose() async throws {
        let folder = try TemporaryDirectory()
        let clock = ManualClock()
        let (room, manager) = try Self.classroom(clock: clock, folder: folder.url)
        defer { manager.shutdown(); room.close() }
        let idle = try manager.open()
        let recent = try manager.open()
        let running = try manager.open()
        #expect(idle.start == 1 && recent.start == 1)
        let idlePage = try #require(manager.subscribe(idle.secret))
        let recentPage = try #require(manager.subscribe(recent.secret))
        #expect(room.classCount.forked == 3)

        clock.advance(by: 30)
        #expect(await manager.command(recent.secret, action: "edit", body: #"{"cell": 1, "source": "base"}"#).status == 202)
        #expect(await manager.command(running.secret, action: "edit", body: #"{"cell": 1, "source": "while true { }"}"#).status == 202)
        #expect(await manager.command(running.secret, action: "run", body: "{}").status == 202)
        clock.advance(by: 31)
        manager.sweep()

        #expect(await Self.ended(idlePage)?.contains("without use") == true)
        #expect(!manager.owns(idle.secret))
        #expect(manager.owns(recent.secret), "used 31 s ago: it stays")
        #expect(manager.owns(running.secret))
        #expect(room.classCount.forked == 2)
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("fork-1").path),
                "its scratch folder is gone")

        // An hour later: the recent one is idle now; the running one is kept however long its cell takes.
        clock.advance(by: 3600)
        manager.sweep()
        #expect(await Self.ended(recentPage)?.contains("without use") == true)
        #expect(manager.owns(running.secret))
        #expect(await manager.command(running.secret, action: "interrupt", body: "{}").status == 202)
    }

    /// The text of the `ended` note a fork's page gets.
    static func ended(_ page: AsyncStream<String>) async -> String? {
        for await line in page where line.contains("\"ended\"") { return line }
        return nil
    }
}
