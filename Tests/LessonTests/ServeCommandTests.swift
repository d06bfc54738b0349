import Foundation
import TestSupport
import Testing

/// `lesson serve` started as a user starts it (the binary, a free loopback port), driven over
/// HTTP the way the page drives it.
final class ServedLesson {
    let directory: TemporaryDirectory
    let process = Process()
    let port: Int
    let token: String
    private let output = OutputCapture()
    /// Standard error, read as it comes (`errors.wait(for:)` waits for a warning).
    let errors = OutputCapture()

    /// Writes `lesson` to `lesson.md` in a fresh folder, lets `prepare` add files beside it
    /// (the server decides what it serves when it starts), and serves it.
    init(_ lesson: String, arguments: [String] = [], environment: [String: String] = [:],
         prepare: (TemporaryDirectory) throws -> Void = { _ in }) throws {
        directory = try TemporaryDirectory()
        try directory.write(Data(lesson.utf8), to: "lesson.md")
        try prepare(directory)
        process.executableURL = try LessonCommand.executable()
        process.arguments = ["serve", "lesson.md", "--port", "0", "--no-cache"] + arguments
        process.currentDirectoryURL = directory.url
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardOutput = output.pipe
        process.standardError = errors.pipe
        try process.run()
        output.start()
        errors.start()
        // Until the whole start-up block is printed (it ends with how to stop), or the server
        // exits without printing it.
        let printed = output.wait(for: "Ctrl-C stops the server.")
        guard let (port, token) = Self.address(in: printed) else {
            process.terminate()
            throw LoopbackHTTP.Failure.timeout("`lesson serve` to print its address: \(printed)")
        }
        self.port = port
        self.token = token
    }

    var stdout: String { output.text }

    /// The port and token in `Presenter (runs cells): http://HOST:PORT/?token=TOKEN`.
    static func address(in text: String) -> (Int, String)? {
        guard let line = text.split(separator: "\n").first(where: { $0.contains("?token=") }),
              let start = line.range(of: "http://"), let query = line.range(of: "/?token=") else { return nil }
        let hostAndPort = line[start.upperBound..<query.lowerBound]
        guard let colon = hostAndPort.lastIndex(of: ":"), let port = Int(hostAndPort[hostAndPort.index(after: colon)...])
        else { return nil }
        return (port, String(line[query.upperBound...]).trimmingCharacters(in: .whitespaces))
    }

    func get(_ path: String, headers: [String: String] = [:]) throws -> LoopbackHTTP.Reply {
        try LoopbackHTTP.request(port: port, path: path, headers: headers)
    }

    /// A command as the presenter's page sends it (or, with `asPresenter: false`, a follower's).
    func post(_ action: String, body: String = "{}", asPresenter: Bool = true) throws -> LoopbackHTTP.Reply {
        var headers = ["Content-Type": "application/json"]
        if asPresenter { headers["X-Lesson-Token"] = token }
        return try LoopbackHTTP.request(port: port, method: "POST", path: "/api/\(action)", headers: headers, body: body)
    }

    func events() throws -> EventStreamReader {
        try EventStreamReader(port: port)
    }

    /// Ctrl-C, as the teacher stops it; returns the exit status (nil if it had to be killed).
    @discardableResult
    func stop() -> Int32? {
        guard process.isRunning else { return process.terminationStatus }
        process.interrupt()
        // A server that ignores Ctrl-C is killed (and the caller told so) rather than hanging the tests.
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 30, execute: watchdog)
        process.waitUntilExit()
        watchdog.cancel()
        // The process is gone, but the reader threads may not have read its last lines yet.
        output.waitForEnd()
        errors.waitForEnd()
        return process.terminationReason == .uncaughtSignal ? nil : process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        directory.remove()
    }
}

enum RoomJSON {
    static func text(_ event: [String: Any]) -> String {
        (try? JSONSerialization.data(withJSONObject: event)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}

extension Dictionary where Key == String, Value == Any {
    func string(_ key: String) -> String { self[key] as? String ?? "" }
    func int(_ key: String) -> Int? { self[key] as? Int }
}

@Suite("lesson serve over HTTP", .serialized)
struct ServeCommandTests {
    static let simple = """
        # Served

        Some prose with <b>markup</b> to escape.

        ```swift
        print("hello from cell one <script>alert(1)</script>")
        40 + 2
        ```

        ## Second slide

        ```swift
        let words = ["a", "b"]
        words.count
        ```
        """

    static func isCell(_ type: String, _ cell: Int, status: String? = nil) -> ([String: Any]) -> Bool {
        { event in
            event.string("type") == type && event.int("cell") == cell
                && (status == nil || event.string("status") == status)
        }
    }

    @Test("the page is offline, escaped, and tells presenter from follower")
    func pageAndRoles() throws {
        let served = try ServedLesson(Self.simple)
        defer { served.stop() }
        let page = try served.get("/")
        #expect(page.status == 200)
        #expect(page.headers["content-type"]?.hasPrefix("text/html") == true)
        #expect(page.headers["content-security-policy"]?.contains("default-src 'none'") == true)
        // The inlined editor (CodeMirror) names its site in comments only; the rest names none.
        let scripts = page.body.components(separatedBy: "<script>")
        let withoutEditor = scripts.filter { !$0.contains("CodeMirror, copyright") }.joined(separator: "<script>")
        #expect(!withoutEditor.contains("http://") && !withoutEditor.contains("https://"), "nothing loads from the network")
        #expect(page.body.range(of: #"(src|href)\s*=\s*["']?https?:"#, options: .regularExpression) == nil)
        #expect(!page.body.contains("<b>markup"), "raw HTML in prose is dropped")
        #expect(page.body.contains("markup"))
        #expect(page.body.contains("data-slide=\"1\""), "## starts a slide")
        #expect(try served.get("/api/whoami").body.contains("\"presenter\":false"))
        #expect(try served.get("/api/whoami", headers: ["X-Lesson-Token": served.token]).body.contains("\"presenter\":true"))
        // One character off (never the same character: a token may well start with "0").
        let wrong = (served.token.first == "0" ? "1" : "0") + served.token.dropFirst()
        #expect(try served.get("/api/whoami", headers: ["X-Lesson-Token": wrong]).body.contains("\"presenter\":false"))
    }

    @Test("Run streams the cell's output to every page; followers may not run cells")
    func runStreamsOutput() throws {
        let served = try ServedLesson(Self.simple)
        defer { served.stop() }
        let presenter = try served.events()
        let follower = try served.events()
        let first = try follower.next()
        #expect(first.string("type") == "state")
        #expect((first["cells"] as? [[String: Any]])?.count == 2)
        _ = try presenter.next()

        let refused = try served.post("run", asPresenter: false)
        #expect(refused.status == 403, "\(refused)")
        #expect(refused.body.contains("Only the presenter"))
        #expect(try served.post("run").status == 202)

        for reader in [presenter, follower] {
            let (text, before) = try reader.next { $0.string("type") == "text" }
            #expect(text.string("text") == "hello from cell one <script>alert(1)</script>\n", "text arrives as text")
            let (done, between) = try reader.next(where: Self.isCell("cell", 0, status: "ran"))
            // Numbered one by one after the state's number: a page that sees a gap starts over.
            let numbers = (before + [text] + between + [done]).compactMap { $0.int("seq") }
            let start = (numbers.first ?? 1) - 1
            #expect(numbers == Array((start + 1)...(start + numbers.count)), "\(numbers)")
            #expect(done.string("prompt") == "In [1]")
            let html = done.string("html")
            #expect(html.contains("Out [1]:") && html.contains(">42<"), "\(html)")
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !html.contains("<script>"), "\(html)")
        }
        // A page opened now sees the same, all at once.
        let late = try served.events()
        let state = try late.next()
        let cells = state["cells"] as? [[String: Any]] ?? []
        #expect(cells.first?.string("status") == "ran")
        #expect(state.int("position") == 1)
        #expect(try served.get("/api/state").body.contains("\"position\":1"))
    }

    @Test("Back and Reset restore the session; Run to here runs the cells before it")
    func backResetRunTo() throws {
        let lesson = "```swift\nvar n = 1\n```\n\n```swift\nn += 10\nn\n```\n\n```swift\nn\n```\n"
        let served = try ServedLesson(lesson)
        defer { served.stop() }
        let reader = try served.events()
        _ = try reader.next()
        #expect(try served.post("run-to", body: "{\"cell\": 1}").status == 202)
        let (second, _) = try reader.next(where: Self.isCell("cell", 1, status: "ran"))
        #expect(second.string("html").contains(">11<"))
        _ = try reader.next { $0.string("type") == "position" && $0.int("position") == 2 && $0["running"] is NSNull }
        #expect(try served.post("back").status == 202)
        _ = try reader.next(where: Self.isCell("cell", 1, status: "pending"))
        #expect(try served.post("run").status == 202)
        let (again, _) = try reader.next(where: Self.isCell("cell", 1, status: "ran"))
        #expect(again.string("html").contains(">11<"), "the session went back: 11, not 21")
        _ = try reader.next { $0.string("type") == "position" && $0["running"] is NSNull }
        #expect(try served.post("reset").status == 202)
        _ = try reader.next { $0.string("type") == "position" && $0.int("position") == 0 && $0["running"] is NSNull }
        #expect(try served.post("back").status == 409, "already at the first cell")
        #expect(try served.post("run-to", body: "{\"cell\": 9}").status == 400)
        #expect(try served.post("run-to", body: "{}").status == 400)
        #expect(try served.post("explode").status == 404)
    }

    @Test("a busy session refuses commands, Stop interrupts the cell, and the session goes on")
    func busyAndInterrupt() throws {
        let lesson = "```swift\nprint(\"spinning\")\nvar i = 0\nwhile true { i += 1 }\n```\n\n```swift\n40 + 2\n```\n"
        let served = try ServedLesson(lesson)
        defer { served.stop() }
        let reader = try served.events()
        _ = try reader.next()
        #expect(try served.post("interrupt").status == 409, "nothing to stop yet")
        #expect(try served.post("run").status == 202)
        _ = try reader.next { $0.string("type") == "text" }
        let busy = try served.post("run")
        #expect(busy.status == 409 && busy.body.contains("A cell is running"), "\(busy)")
        #expect(try served.post("interrupt", asPresenter: false).status == 403)
        #expect(try served.post("interrupt").status == 202)
        let (stopped, _) = try reader.next(where: Self.isCell("cell", 0, status: "failed"))
        #expect(stopped.string("html").contains("interrupted"), "\(stopped)")
        _ = try reader.next { $0.string("type") == "position" && $0["running"] is NSNull }
        #expect(try served.post("run").status == 202)
        let (next, _) = try reader.next(where: Self.isCell("cell", 1, status: "ran"))
        #expect(next.string("html").contains(">42<"))
    }

    @Test("a cell that prints in a tight loop sends its text in a few events, all of it, in order")
    func chattyCell() throws {
        let lesson = "```swift\nfor i in 0..<20000 { print(\"line\", i) }\n```\n\n```swift\n1\n```\n"
        let served = try ServedLesson(lesson)
        defer { served.stop() }
        let reader = try served.events()
        _ = try reader.next()
        #expect(try served.post("run").status == 202)
        let (_, seen) = try reader.next(timeout: 60, where: Self.isCell("cell", 0, status: "ran"))
        let texts = seen.filter { $0.string("type") == "text" }.map { $0.string("text") }
        let expected = (0..<20000).map { "line \($0)\n" }.joined()
        #expect(texts.joined() == expected)
        #expect(texts.count < 2000, "\(texts.count) text events for 20000 lines")
    }

    static let training = """
        ```swift
        let corpus = generatedCorpus(sentences: 12000, seed: 3)
        let (trainData, validData, testData, vocabulary, wordToId) = corpus
        let config = ModelConfig(numSteps: 10, hiddenSizes: [48], embeddingSize: 32,
                                 maxEpoch: 10, batchSize: 10, vocabularySize: vocabulary.count)
        let model = PTBModel(config)
        ```

        ```swift
        let history = train(model, data: corpus, epochs: 10)
        print("test perplexity:", history.testPerplexity)
        ```

        ```swift
        1 + 1
        ```
        """

    @Test("training streams its progress and a live chart, and goes on when every page closes")
    func trainingSurvivesClosedPages() throws {
        let served = try ServedLesson(Self.training)
        defer { served.stop() }
        let reader = try served.events()
        _ = try reader.next()
        #expect(try served.post("run-to", body: "{\"cell\": 1}").status == 202)
        let (progress, _) = try reader.next(timeout: 60) { $0.string("type") == "progress" && $0.int("cell") == 1 }
        #expect(progress.string("text").contains("ppl"), "\(progress)")
        #expect((progress["fraction"] as? Double).map { $0 >= 0 && $0 <= 1 } == true)
        let (chart, _) = try reader.next(timeout: 60) { $0.string("type") == "chart" }
        #expect(chart.string("html").contains("<svg") && chart.string("html").contains("Perplexity while training"))
        reader.close()
        // No page is open now; the cell trains on. A page opened later catches up.
        let later = try served.events()
        let state = try later.next()
        let cells = state["cells"] as? [[String: Any]] ?? []
        #expect(cells.count == 3)
        let status = cells.count > 1 ? cells[1].string("status") : ""
        #expect(status == "running", "ten epochs outlast the test: \(state)" as Comment)
        if status == "running" {
            // It joins with the progress and the chart so far, not a blank until the next update.
            let live = state["live"] as? [String: Any] ?? [:]
            #expect((live["progress"] as? [String: Any])?.string("text").contains("ppl") == true, "\(live)" as Comment)
            #expect((live["chart"] as? [String: Any])?.string("html").contains("<svg") == true)
        }
        let (done, _) = status == "ran" ? (cells[1], []) : try later.next(timeout: 120, where: Self.isCell("cell", 1, status: "ran"))
        #expect(done.string("html").contains("test perplexity:"), "\(done)" as Comment)
        // The closed page was forgotten when writing to it failed; the later one is still there.
        let who = try served.get("/api/whoami")
        #expect(who.status == 200 && who.body.contains("\"followers\":1"), "\(who)")
    }

    @Test("oversized requests and foreign hosts are refused")
    func limits() throws {
        let served = try ServedLesson(Self.simple)
        defer { served.stop() }
        let big = try served.post("run-to", body: "{\"cell\": 0, \"pad\": \"" + String(repeating: "x", count: 10_000) + "\"}")
        #expect(big.status == 413, "\(big)")
        let long = try served.get("/" + String(repeating: "a", count: 3000))
        #expect(long.status == 414, "\(long)")
        let foreign = try LoopbackHTTP.send(port: served.port, raw: Data(
            "GET / HTTP/1.1\r\nHost: attacker.example:\(served.port)\r\nConnection: close\r\n\r\n".utf8))
        #expect(foreign.status == 403, "\(foreign)")
        // After all that, the server still answers.
        #expect(try served.get("/api/whoami").status == 200)
        #expect(try served.post("run").status == 202)
    }

    @Test("--student shows exercises, never their solutions' code or outputs")
    func studentSession() throws {
        let lesson = """
            ```swift
            let base = 20
            ```

            ```swift
            //| label: double it
            //| solution: true
            //| check: answer == 40
            let secretSolutionCode = base * 2
            print("SECRET-OUTPUT")
            let answer = secretSolutionCode
            ```

            ```swift
            answer + 2
            ```
            """
        let student = try ServedLesson(lesson, arguments: ["--student"])
        defer { student.stop() }
        let page = try student.get("/").body
        #expect(page.contains("Exercise 1") && page.contains("answer == 40"), "the exercise is shown")
        #expect(!page.contains("secretSolutionCode"), "its code is not")
        let reader = try student.events()
        _ = try reader.next()
        #expect(try student.post("run-to", body: "{\"cell\": 2}").status == 202)
        let (last, seen) = try reader.next(where: Self.isCell("cell", 2, status: "ran"))
        #expect(last.string("html").contains(">42<"), "later cells use the solution's result")
        let solution = seen.last { $0.string("type") == "cell" && $0.int("cell") == 1 && $0.string("status") == "ran" }
        #expect(solution?.string("html").contains("answer == 40") == true, "its checks show")
        let everything = seen.map { RoomJSON.text($0) }.joined() + (try student.get("/api/state").body)
        #expect(!everything.contains("SECRET-OUTPUT") && !everything.contains("secretSolutionCode"))

        // After the class has tried, the presenter shows the solution to everyone.
        #expect(try student.post("reveal", body: "{\"cell\": 1}", asPresenter: false).status == 403)
        #expect(try student.post("reveal", body: "{\"cell\": 0}").status == 400, "not a solution")
        #expect(try student.post("reveal", body: "{\"cell\": 1}").status == 202)
        let (shown, _) = try reader.next { $0.string("type") == "reveal" }
        #expect(shown.int("cell") == 1 && shown.string("html").contains("secretSolutionCode"))
        let (outputs, _) = try reader.next(where: Self.isCell("cell", 1, status: "ran"))
        #expect(outputs.string("html").contains("SECRET-OUTPUT"), "its outputs too")
        let late = try student.events().next()
        #expect((late["revealed"] as? [[String: Any]])?.first?.string("html").contains("secretSolutionCode") == true,
                "a page that joins later sees it revealed")
        #expect(try student.post("reveal", body: "{\"cell\": 1}").status == 400, "already shown")

        let teacher = try ServedLesson(lesson)
        defer { teacher.stop() }
        #expect(try teacher.get("/").body.contains("<details class=\"solution\">"), "the instructor's page has it, collapsed")
    }

    @Test("--host 0.0.0.0 lets the class follow at this machine's addresses, and says so")
    func wholeNetwork() throws {
        let served = try ServedLesson(Self.simple, arguments: ["--host", "0.0.0.0"])
        defer { served.stop() }
        let followers = served.stdout.split(separator: "\n").first { $0.contains("Followers (read-only):") } ?? ""
        #expect(followers.contains("http://127.0.0.1:\(served.port)/"), "\(served.stdout)")
        let stderr = served.errors.wait(for: "anyone who can reach this machine can follow")
        #expect(stderr.contains("anyone who can reach this machine can follow"), "\(stderr)")
        // Reached by another name (a classmate's browser uses this machine's address): answered.
        let remote = try LoopbackHTTP.send(port: served.port, raw: Data(
            "GET /api/whoami HTTP/1.1\r\nHost: 192.0.2.77:\(served.port)\r\nConnection: close\r\n\r\n".utf8))
        #expect(remote.status == 200 && remote.body.contains("\"presenter\":false"), "\(remote)")
    }

    @Test("a port in use is a clear error, not a trap")
    func portInUse() throws {
        let served = try ServedLesson(Self.simple)
        defer { served.stop() }
        let second = try LessonCommand.run(["serve", "lesson.md", "--port", "\(served.port)"], in: served.directory.url)
        #expect(second.exited && second.status == 2, "\(second)")
        #expect(second.stderr.contains("127.0.0.1:\(served.port) is already in use"), "\(second)")
        let missing = try LessonCommand.run(["serve", "missing.md", "--port", "0"], in: served.directory.url)
        #expect(missing.exited && missing.status == 2 && missing.stderr.contains("missing.md"), "\(missing)")
    }

    @Test("Ctrl-C stops the server even with pages open")
    func stopsOnInterrupt() throws {
        let served = try ServedLesson(Self.simple)
        let reader = try served.events()
        _ = try reader.next()
        let status = served.stop()
        #expect(status == 0, "\(served.stdout)")
        #expect(served.stdout.contains("Stopped."))
    }
}
