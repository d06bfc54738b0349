import Foundation
import TestSupport
import Testing

/// Students' private copies of the class session (`POST /api/fork`): real worker processes
/// forked from a host that loaded the presenter's saved session, driven over HTTP as the page
/// drives them, attacked as a bored student would.
@Suite("lesson serve: students' forks", .serialized)
struct ServeForkTests {
    static let lesson = """
        # Forks

        ```swift
        let base = 40
        print("the class ran the first cell")
        ```

        ```swift
        let answer = base + 2
        answer
        ```

        ```swift
        answer * 10
        ```
        """

    /// A student's page: its fork's secret and the cell it starts at.
    struct Fork {
        let secret: String
        let start: Int
        let served: ServedLesson

        func post(_ action: String, body: String = "{}", secret override: String? = nil) throws -> LoopbackHTTP.Reply {
            try LoopbackHTTP.request(port: served.port, method: "POST", path: "/api/fork/\(action)",
                                     headers: ["Content-Type": "application/json", "X-Lesson-Fork": override ?? secret],
                                     body: body)
        }

        /// The fork's events, after its first (the state): events a command causes come after.
        func events() throws -> EventStreamReader {
            let reader = try EventStreamReader(port: served.port, path: "/api/fork/events?key=\(secret)")
            let state = try reader.next()
            #expect(state["type"] as? String == "state", "\(state)")
            return reader
        }
    }

    static func fork(_ served: ServedLesson) throws -> Fork {
        let reply = try LoopbackHTTP.request(port: served.port, method: "POST", path: "/api/fork",
                                             headers: ["Content-Type": "application/json"], body: "{}", timeout: 60)
        try #require(reply.status == 200, "\(reply)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any])
        let secret = try #require(object["secret"] as? String)
        let start = try #require(object["start"] as? Int)
        return Fork(secret: secret, start: start, served: served)
    }

    /// The class after its presenter ran the first cell (every fork starts at cell 1).
    static func classAfterFirstCell(_ text: String = lesson, arguments: [String] = []) throws -> ServedLesson {
        let served = try ServedLesson(text, arguments: arguments)
        let events = try Self.classEvents(served)
        defer { events.close() }
        try Self.accepted(served.post("run"))
        _ = try events.next { $0["type"] as? String == "position" && $0["running"] is NSNull && $0["position"] as? Int == 1 }
        return served
    }

    /// The class's events, after the state (a command sent now is seen happening).
    static func classEvents(_ served: ServedLesson) throws -> EventStreamReader {
        let reader = try served.events()
        let state = try reader.next()
        #expect(state["type"] as? String == "state", "\(state)")
        return reader
    }

    /// Expects a command to be taken (202), saying what came back when not.
    static func accepted(_ reply: LoopbackHTTP.Reply, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reply.status == 202, "\(reply)", sourceLocation: sourceLocation)
    }

    /// Waits for cell `cell`'s finished view on `events`, and for its command to end; the
    /// cell's outputs' HTML.
    static func output(of cell: Int, _ events: EventStreamReader) throws -> String {
        let (event, _) = try events.next { event in
            event["type"] as? String == "cell" && event["cell"] as? Int == cell
                && !["running", "pending"].contains(event["status"] as? String ?? "")
        }
        // And the command is over (a page's buttons come back then): the next one is not refused.
        _ = try events.next { $0["type"] as? String == "position" && $0["running"] is NSNull }
        return event["html"] as? String ?? ""
    }

    @Test("a fork starts from the presenter's session; its edits and runs touch no one else")
    func forkIsPrivate() throws {
        let served = try Self.classAfterFirstCell()
        defer { served.stop() }
        let a = try Self.fork(served)
        let b = try Self.fork(served)
        #expect(a.start == 1 && b.start == 1)
        #expect(a.secret != b.secret && a.secret.count == 32)

        let aEvents = try a.events()
        let bEvents = try b.events()
        defer { aEvents.close(); bEvents.close() }
        let state = try #require(try JSONSerialization.jsonObject(with: Data(
            try LoopbackHTTP.request(port: served.port, path: "/api/state").body.utf8)) as? [String: Any])
        #expect(state["position"] as? Int == 1, "the class stands at the second cell: \(state)")

        // A edits the second cell and runs it: `base` comes from the presenter's session.
        try Self.accepted(a.post("edit", body: #"{"cell": 1, "source": "let answer = base + 100\nanswer"}"#))
        try Self.accepted(a.post("run"))
        #expect(try Self.output(of: 1, aEvents).contains("140"))

        // B runs the lesson's own code, in its own session.
        let bRun = try b.post("run")
        #expect(bRun.status == 202, "\(bRun)")
        #expect(try Self.output(of: 1, bEvents).contains("42"))
        try Self.accepted(b.post("run"))
        #expect(try Self.output(of: 2, bEvents).contains("420"))

        // The presenter's session did not move, and runs the lesson's code.
        let classEvents = try served.events()
        defer { classEvents.close() }
        let picture = try classEvents.next()
        #expect(picture["type"] as? String == "state" && picture["position"] as? Int == 1)
        try Self.accepted(served.post("run"))
        #expect(try Self.output(of: 1, classEvents).contains("42"))

        // A downloads their copy: the lesson with their code in the second cell, nothing else changed.
        let download = try LoopbackHTTP.request(port: served.port, path: "/api/fork/download?key=\(a.secret)")
        #expect(download.status == 200)
        #expect(download.headers["content-disposition"]?.contains("lesson-my-copy.md") == true)
        #expect(download.body == Self.lesson.replacingOccurrences(of: "let answer = base + 2", with: "let answer = base + 100"))
    }

    @Test("no page can read, run, stop or download another page's fork; followers cannot edit the class")
    func isolation() throws {
        let served = try Self.classAfterFirstCell()
        defer { served.stop() }
        let a = try Self.fork(served)
        let guesses = ["", "0", String(a.secret.dropLast()), a.secret.uppercased(), a.secret + "0", "../" + a.secret]
        for guess in guesses {
            #expect(try a.post("run", secret: guess).status == 404, "run with \(guess)")
            #expect(try a.post("interrupt", secret: guess).status == 404)
            #expect(try a.post("close", secret: guess).status == 404)
            let key = guess.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            #expect(try served.get("/api/fork/events?key=\(key)").status == 404)
            #expect(try served.get("/api/fork/download?key=\(key)").status == 404)
        }
        // A fork is not the presenter: no slides, no solutions, no writing the lesson file.
        #expect(try a.post("slide", body: #"{"slide": 0}"#).status == 403)
        #expect(try a.post("reveal", body: #"{"cell": 0}"#).status == 403)
        let save = try LoopbackHTTP.request(port: served.port, method: "POST", path: "/api/save-cell",
                                            headers: ["X-Lesson-Fork": a.secret], body: #"{"cell": 1}"#)
        #expect(save.status == 403)
        // A follower cannot edit the class session, and the presenter does not fork.
        #expect(try served.post("edit", body: #"{"cell": 1, "source": "1"}"#, asPresenter: false).status == 403)
        let presenterFork = try LoopbackHTTP.request(port: served.port, method: "POST", path: "/api/fork",
                                                     headers: ["X-Lesson-Token": served.token], body: "{}")
        #expect(presenterFork.status == 409)
        // Bodies of the wrong shape are refused before they reach the worker.
        for body in [#"{"cell": 1}"#, #"{"cell": "1", "source": "x"}"#, #"{"cell": 1, "source": 5}"#,
                     #"{"cell": 1, "source": "x", "extra": 1}"#, "[]", "nonsense"] {
            #expect(try a.post("edit", body: body).status == 400, "\(body)")
        }
        #expect(try a.post("edit", body: #"{"cell": 99, "source": "1"}"#).status == 400)
        #expect(try a.post("back").status == 409, "a fork cannot go back before where it started")
        let huge = String(repeating: "x", count: 600_000)
        #expect(try a.post("edit", body: #"{"cell": 1, "source": "\#(huge)"}"#).status == 413)
        // Closing is the owner's: after it the secret opens nothing.
        let events = try a.events()
        defer { events.close() }
        try Self.accepted(a.post("close"))
        _ = try events.next { $0["type"] as? String == "ended" }
        #expect(try served.get("/api/fork/events?key=\(a.secret)").status == 404)
        #expect(try a.post("run").status == 404)
    }

    @Test("a memory bomb or a runaway loop in one fork stops there; a killed worker ends only its fork")
    func hostileForks() throws {
        let served = try Self.classAfterFirstCell(arguments: ["--fork-memory", "300MB", "--fork-time-limit", "2"])
        defer { served.stop() }
        let a = try Self.fork(served)
        let b = try Self.fork(served)
        let aEvents = try a.events()
        let bEvents = try b.events()
        defer { aEvents.close(); bEvents.close() }

        let bomb = #"var grow: [[Int]] = []\nfor i in 0..<1000 { grow.append(Array(repeating: i, count: 1_000_000)) }"#
        try Self.accepted(a.post("edit", body: #"{"cell": 1, "source": "\#(bomb)"}"#))
        try Self.accepted(a.post("run"))
        let refused = try Self.output(of: 1, aEvents)
        #expect(refused.contains("would need") && refused.contains("more"), "\(refused)")

        try Self.accepted(a.post("edit", body: #"{"cell": 2, "source": "while true { }"}"#))
        try Self.accepted(a.post("run"))
        #expect(try Self.output(of: 2, aEvents).contains("ran past its time limit of 2"), "the fork's time limit")

        // B and the presenter go on as if nothing happened.
        try Self.accepted(b.post("run"))
        #expect(try Self.output(of: 1, bEvents).contains("42"))

        // The kernel's out-of-memory killer (or a crash) ends A's worker: A's page is told why.
        // Fork workers are the host's children; A's started first.
        let workers = Self.workerPIDs(of: served).filter(Self.isForkWorker).sorted()
        #expect(workers.count == 2, "\(workers)")
        let aPID = try #require(workers.first)
        kill(aPID, SIGKILL)
        let (ended, _) = try aEvents.next { $0["type"] as? String == "ended" }
        #expect((ended["text"] as? String ?? "").contains("stopped unexpectedly"), "\(ended)")
        #expect((ended["text"] as? String ?? "").contains("signal 9"), "\(ended)")
        #expect(try a.post("run").status == 404)
        try Self.accepted(b.post("run"))
        #expect(try Self.output(of: 2, bEvents).contains("420"))
        #expect(try served.post("run").status == 202, "the presenter's session is untouched")
    }

    @Test("cells share the cores: a fork's cell waits its turn, learns its place, and may leave the line")
    func fairQueue() throws {
        // Two cells at once: one for the presenter, one for all the forks.
        let served = try Self.classAfterFirstCell(arguments: ["--max-running", "2"])
        defer { served.stop() }
        let a = try Self.fork(served)
        let b = try Self.fork(served)
        let c = try Self.fork(served)
        let aEvents = try a.events()
        let bEvents = try b.events()
        let cEvents = try c.events()
        defer { aEvents.close(); bEvents.close(); cEvents.close() }

        try Self.accepted(a.post("edit", body: #"{"cell": 1, "source": "while true { }"}"#))
        try Self.accepted(a.post("run"))
        _ = try aEvents.next { $0["type"] as? String == "position" && $0["running"] as? Int == 1 }
        try Self.accepted(b.post("run"))
        let (bPlace, _) = try bEvents.next { $0["type"] as? String == "queue" && ($0["place"] as? Int ?? 0) > 0 }
        #expect(bPlace["place"] as? Int == 1)
        try Self.accepted(c.post("run"))
        let (cPlace, _) = try cEvents.next { $0["type"] as? String == "queue" && ($0["place"] as? Int ?? 0) > 0 }
        #expect(cPlace["place"] as? Int == 2)
        #expect(try c.post("run").status == 409, "one command in line per fork")

        // The presenter never waits for the forks.
        let classEvents = try Self.classEvents(served)
        defer { classEvents.close() }
        try Self.accepted(served.post("run"))
        #expect(try Self.output(of: 1, classEvents).contains("42"))

        // C leaves the line; B moves up; A stops its loop and B runs.
        try Self.accepted(c.post("interrupt"))
        _ = try bEvents.next { $0["type"] as? String == "queue" && $0["place"] as? Int == 1 }
        try Self.accepted(a.post("interrupt"))
        #expect(try Self.output(of: 1, bEvents).contains("42"))
        #expect(try Self.output(of: 1, aEvents).contains("interrupted"))
        let whoami = try served.get("/api/whoami", headers: ["X-Lesson-Token": served.token])
        #expect(whoami.body.contains("\"forked\":3"), "\(whoami)")
    }

    @Test("the presenter's edit reaches every page, and is written into the lesson file, only that cell's lines")
    func presenterWritesBack() throws {
        let served = try Self.classAfterFirstCell()
        defer { served.stop() }
        let follower = try Self.classEvents(served)
        defer { follower.close() }
        try Self.accepted(served.post("edit", body: #"{"cell": 2, "source": "answer * 1000"}"#))
        let (source, _) = try follower.next { $0["type"] as? String == "source" }
        #expect(source["cell"] as? Int == 2 && source["edited"] as? Bool == true)
        #expect((source["html"] as? String ?? "").contains("1000"))
        try Self.accepted(served.post("run-to", body: #"{"cell": 2}"#))
        #expect(try Self.output(of: 2, follower).contains("42000"))

        try Self.accepted(served.post("save-cell", body: #"{"cell": 2}"#))
        let file = try String(contentsOf: served.directory.url.appendingPathComponent("lesson.md"), encoding: .utf8)
        #expect(file == Self.lesson.replacingOccurrences(of: "answer * 10\n", with: "answer * 1000\n"))
        #expect(try served.post("save-cell", body: #"{"cell": 1}"#).status == 409, "cell 1 has no edit")

        // Code that would end the cell early is refused, and the file is left alone.
        try Self.accepted(served.post("edit", body: #"{"cell": 1, "source": "1\n```\n# injected"}"#))
        let injected = try served.post("save-cell", body: #"{"cell": 1}"#)
        #expect(injected.status == 400 && injected.body.contains("would end the cell"), "\(injected)")
        // A file changed on disk since the server read it is never overwritten.
        try served.directory.write(Data((file + "\nA teacher's note.\n").utf8), to: "lesson.md")
        try Self.accepted(served.post("edit", body: #"{"cell": 1, "source": "let answer = 1"}"#))
        let stale = try served.post("save-cell", body: #"{"cell": 1}"#)
        #expect(stale.status == 409 && stale.body.contains("changed on disk"), "\(stale)")
        let after = try String(contentsOf: served.directory.url.appendingPathComponent("lesson.md"), encoding: .utf8)
        #expect(after.hasSuffix("A teacher's note.\n"))
    }

    @Test("in a student class a fork never receives a solution; the student's answer runs with the exercise's checks")
    func studentFork() throws {
        let exercise = """
            # Exercise

            ```swift
            let base = 40
            ```

            ```swift
            //| label: the answer
            //| solution: true
            //| check: answer == 42
            let answer = base + 2 // SECRET SOLUTION
            ```
            """
        let served = try Self.classAfterFirstCell(exercise, arguments: ["--student"])
        defer { served.stop() }
        let fork = try Self.fork(served)
        let reader = try EventStreamReader(port: served.port, path: "/api/fork/events?key=\(fork.secret)")
        let state = try reader.next()
        reader.close()
        let stateText = String(decoding: try JSONSerialization.data(withJSONObject: state), as: UTF8.self)
        #expect(state["type"] as? String == "state" && !stateText.contains("SECRET"), "the fork's state")
        let events = try fork.events()
        defer { events.close() }
        try Self.accepted(fork.post("edit", body: #"{"cell": 1, "source": "let answer = 41"}"#))
        try Self.accepted(fork.post("discard", body: #"{"cell": 1}"#))
        let (discarded, _) = try events.next { $0["type"] as? String == "source" && $0["edited"] as? Bool == false }
        #expect(discarded["code"] as? String == "" && !(discarded["html"] as? String ?? "").contains("SECRET"), "\(discarded)")
        let download = try LoopbackHTTP.request(port: served.port, path: "/api/fork/download?key=\(fork.secret)")
        #expect(!download.body.contains("SECRET") && download.body.contains("Exercise 1: write your code here"))

        // Running the lesson's own solution shows only its checks.
        try Self.accepted(fork.post("run"))
        let hidden = try Self.output(of: 1, events)
        #expect(hidden.contains("answer == 42") && !hidden.contains("SECRET"), "\(hidden)")

        // The student's own answer shows its value and the checks' verdicts.
        try Self.accepted(fork.post("edit", body: #"{"cell": 1, "source": "let answer = 6 * 7\nanswer"}"#))
        try Self.accepted(fork.post("run-again", body: #"{"cell": 1}"#))
        let answered = try Self.output(of: 1, events)
        #expect(answered.contains(">42<") && answered.contains("check-passed"), "\(answered)")
        try Self.accepted(fork.post("edit", body: #"{"cell": 1, "source": "let answer = 41"}"#))
        try Self.accepted(fork.post("run-again", body: #"{"cell": 1}"#))
        #expect(try Self.output(of: 1, events).contains("check-failed"))
        let download2 = try LoopbackHTTP.request(port: served.port, path: "/api/fork/download?key=\(fork.secret)")
        #expect(download2.body.contains("let answer = 41") && !download2.body.contains("SECRET"), "\(download2.body)")
    }

    @Test("a fork's files go to a scratch folder of its own, which goes when the fork does")
    func scratchFolder() throws {
        let text = """
            # Files

            ```swift
            let corpus = generatedCorpus(sentences: 50, seed: 1)
            let model = PTBModel(ModelConfig(numSteps: 3, hiddenSizes: [4], embeddingSize: 4, batchSize: 2,
                                             vocabularySize: corpus.vocabulary.count))
            ```

            ```swift
            1
            ```
            """
        let served = try Self.classAfterFirstCell(text)
        defer { served.stop() }
        let fork = try Self.fork(served)
        let events = try fork.events()
        defer { events.close() }
        let save = #"save(model, to: \"mine.safetensors\")\nload(model, from: \"mine.safetensors\")\n\"saved\""#
        try Self.accepted(fork.post("edit", body: #"{"cell": 1, "source": "\#(save)"}"#))
        try Self.accepted(fork.post("run"))
        #expect(try Self.output(of: 1, events).contains("saved"), "written and read back in the scratch folder")
        #expect(!FileManager.default.fileExists(atPath: served.directory.url.appendingPathComponent("mine.safetensors").path),
                "nothing lands in the lesson's folder")
        let scratch = try #require(Self.scratchFiles(named: "mine.safetensors", of: served).first)

        let escape = #"save(model, to: \"../escaped.safetensors\")"#
        try Self.accepted(fork.post("edit", body: #"{"cell": 1, "source": "\#(escape)"}"#))
        try Self.accepted(fork.post("run-again", body: #"{"cell": 1}"#))
        let refused = try Self.output(of: 1, events)
        #expect(refused.contains("cells may write only inside the lesson"), "\(refused)")

        try Self.accepted(fork.post("close"))
        _ = try events.next { $0["type"] as? String == "ended" }
        #expect(!FileManager.default.fileExists(atPath: scratch.path), "the scratch folder went with the fork")
    }

    /// Files called `name` in the scratch folders of the server's forks.
    static func scratchFiles(named name: String, of served: ServedLesson) -> [URL] {
        let arguments = workerPIDs(of: served).map(commandLine(of:)).joined(separator: " ").split(separator: " ")
        guard let flag = arguments.firstIndex(of: "--scratch"), flag + 1 < arguments.count else { return [] }
        let root = URL(fileURLWithPath: String(arguments[flag + 1]))
        let folders = (try? FileManager.default.contentsOfDirectory(at: root, includingPropertiesForKeys: nil)) ?? []
        return folders.map { $0.appendingPathComponent(name) }.filter { FileManager.default.fileExists(atPath: $0.path) }
    }

    @Test("a fork starts with the presenter's live edits, and downloads with them")
    func forkTakesPresenterEdits() throws {
        let served = try Self.classAfterFirstCell()
        defer { served.stop() }
        try Self.accepted(served.post("edit", body: #"{"cell": 2, "source": "answer * 1000"}"#))
        let fork = try Self.fork(served)
        let reader = try EventStreamReader(port: served.port, path: "/api/fork/events?key=\(fork.secret)")
        defer { reader.close() }
        let (source, _) = try reader.next { $0["type"] as? String == "source" || $0["type"] as? String == "state"
            && (($0["sources"] as? [[String: Any]])?.isEmpty == false) }
        let shown = (source["sources"] as? [[String: Any]])?.first ?? source
        #expect(shown["cell"] as? Int == 2 && shown["code"] as? String == "answer * 1000", "\(source)")
        try Self.accepted(fork.post("run-to", body: #"{"cell": 2}"#))
        #expect(try Self.output(of: 2, reader).contains("42000"))
        let download = try LoopbackHTTP.request(port: served.port, path: "/api/fork/download?key=\(fork.secret)")
        #expect(download.body.contains("answer * 1000\n```"), "\(download.body)")
    }

    @Test("one machine may hold only so many live pages and copies: past them 429, and another limit is untouched")
    func perAddressLimits() throws {
        let served = try ServedLesson(Self.lesson, arguments: ["--forks-per-address", "2", "--pages-per-address", "3",
                                                               "--limit-loopback"])
        defer { served.stop() }
        let pages = try (0..<3).map { _ in try Self.classEvents(served) }
        defer { for page in pages { page.close() } }
        let fourth = try served.get("/api/events")
        #expect(fourth.status == 429 && fourth.body.contains("live pages of this lesson open already"), "\(fourth)")
        let first = try Self.fork(served)
        _ = try Self.fork(served)
        let third = try LoopbackHTTP.request(port: served.port, method: "POST", path: "/api/fork", body: "{}", timeout: 60)
        #expect(third.status == 429 && third.body.contains("--forks-per-address"), "\(third)")
        // A copy's own event stream is a live page too.
        let stream = try served.get("/api/fork/events?key=\(first.secret)")
        #expect(stream.status == 429, "\(stream)")
        // The copies still answer their commands.
        try Self.accepted(first.post("edit", body: #"{"cell": 1, "source": "base"}"#))
    }

    @Test("a full class is told so; --max-forks 0 offers no forks")
    func capacity() throws {
        let served = try Self.classAfterFirstCell(arguments: ["--max-forks", "1"])
        defer { served.stop() }
        _ = try Self.fork(served)
        let full = try LoopbackHTTP.request(port: served.port, method: "POST", path: "/api/fork", body: "{}")
        #expect(full.status == 503 && full.body.contains("The class is full"), "\(full)")

        let none = try ServedLesson(Self.lesson, arguments: ["--max-forks", "0"])
        defer { none.stop() }
        #expect(try LoopbackHTTP.request(port: none.port, method: "POST", path: "/api/fork", body: "{}").status == 404)
        #expect(try none.get("/api/whoami").body.contains("\"forks\":false"))
    }

    // MARK: Helpers

    /// The pids of the server's `lesson worker` processes (the host and its forks).
    static func workerPIDs(of served: ServedLesson) -> [Int32] {
        descendants(of: served.process.processIdentifier).filter { commandLine(of: $0).contains("worker") }
    }

    /// A fork worker is a child of a host, which is itself a worker.
    static func isForkWorker(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 1, let parent = Int32(fields[1]) else { return false }
        return commandLine(of: parent).contains("worker")
    }

    static func commandLine(of pid: Int32) -> String {
        (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8))?.replacingOccurrences(of: "\0", with: " ") ?? ""
    }

    static func descendants(of root: Int32) -> [Int32] {
        var parents: [Int32: [Int32]] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 1, let parent = Int32(fields[1]) else { continue }
            parents[parent, default: []].append(pid)
        }
        var found: [Int32] = []
        var next = [root]
        while let pid = next.popLast() {
            for child in parents[pid] ?? [] {
                found.append(child)
                next.append(child)
            }
        }
        return found
    }
}
