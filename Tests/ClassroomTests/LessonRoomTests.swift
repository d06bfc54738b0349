@testable import Classroom
import Figures
import Foundation
import Notebook
import Testing

/// A clock the test moves by hand: scheduled actions run when it is advanced past them.
final class ManualClock: RoomClock, @unchecked Sendable {
    // @unchecked: every field is read and written with `lock` held.
    private let lock = NSLock()
    private var time: TimeInterval = 0
    private var pending: [(due: TimeInterval, action: @Sendable () -> Void)] = []

    var now: TimeInterval { lock.withLock { time } }
    var scheduled: Int { lock.withLock { pending.count } }

    func schedule(after seconds: TimeInterval, _ action: @escaping @Sendable () -> Void) {
        lock.withLock { pending.append((time + seconds, action)) }
    }

    func advance(by seconds: TimeInterval) {
        let due = lock.withLock { () -> [@Sendable () -> Void] in
            time += seconds
            let due = pending.filter { $0.due <= time }.map(\.action)
            pending.removeAll { $0.due <= time }
            return due
        }
        for action in due { action() }
    }
}

@Suite("the shared session of lesson serve")
struct LessonRoomTests {
    static func room(_ text: String, slides: Int = 3, clock: any RoomClock = ManualClock()) throws -> LessonRoom {
        let document = NotebookParser.parse(text: text, file: "lesson.md")
        let executor = NotebookExecutor(document: document, text: text)
        return LessonRoom(stepper: NotebookStepper(document: document, executor: executor), executor: executor,
                          slideCount: slides, clock: clock)
    }

    @Test("an edit back to the lesson's own code is no edit, for the pages as for the stepper")
    func editToTheLessonsCode() throws {
        let room = try Self.room("```swift\nlet a = 1\n```\n")
        defer { room.close() }
        try room.perform(.edit(0, code: "let a = 2"))
        room.waitUntilIdle()
        #expect(room.edits == [0: "let a = 2"])
        try room.perform(.edit(0, code: "let a = 1"))
        room.waitUntilIdle()
        #expect(room.edits.isEmpty)
        #expect(!room.stateJSON().contains("let a = 2"))
    }

    static func events(_ stream: AsyncStream<RoomFeedItem>) async -> [[String: Any]] {
        var all: [[String: Any]] = []
        for await item in stream {
            guard case .event(_, let json) = item else { continue }
            if let object = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] {
                all.append(object)
            }
        }
        return all
    }

    /// `room` refuses `command` with `description`, and the server answers it with `status`.
    static func expectRefusal(_ room: LessonRoom, _ command: RoomCommand, _ status: Int, _ description: String,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            try room.perform(command)
            Issue.record("\(command) was carried out", sourceLocation: sourceLocation)
        } catch {
            #expect(error.description == description, sourceLocation: sourceLocation)
            #expect(LessonServer.status(of: error) == status, sourceLocation: sourceLocation)
        }
    }

    @Test("a page that falls too far behind is dropped, its stream ends, and it can come back")
    func slowPageIsDropped() async throws {
        let room = try Self.room("```swift\n1\n```\n")
        let slow = room.subscribe()
        #expect(room.followerCount == 1)
        for step in 0..<5000 { try room.perform(.slide(step % 3)) }
        #expect(room.followerCount == 0, "dropped once its buffer was full")
        let received = await Self.events(slow.events)
        #expect(received.count == 4096, "what was buffered is still delivered, then the stream ends")
        #expect(received.first?["type"] as? String == "state")
        let numbers = received.dropFirst().compactMap { $0["seq"] as? Int }
        #expect(numbers == Array(1...4095))

        let again = room.subscribe()
        room.close()
        let fresh = await Self.events(again.events)
        #expect(fresh.count == 1 && fresh.first?["seq"] as? Int == 5000, "a fresh state, numbered where the room is")
    }

    @Test("closing the room ends every stream; subscribing after it gets an ended stream")
    func closing() async throws {
        let room = try Self.room("```swift\n1\n```\n")
        let page = room.subscribe()
        room.close()
        #expect(await Self.events(page.events).count == 1)
        #expect(await Self.events(room.subscribe().events).isEmpty)
        #expect(room.followerCount == 0)
    }

    @Test("commands are refused when they cannot be carried out")
    func refusals() throws {
        let room = try Self.room("```swift\nvar n = 1\n```\n")
        Self.expectRefusal(room, .step(.back), 409, "Already at the first cell.")
        Self.expectRefusal(room, .slide(3), 400, "There is no slide 3: slides are numbered 0 to 2.")
        Self.expectRefusal(room, .step(.runTo(1)), 400, "There is no cell 1: cells are numbered 0 to 0.")
        Self.expectRefusal(room, .reveal(0), 400, "Cell 0 is not a hidden solution.")
        Self.expectRefusal(room, .interrupt, 409, "No cell is running.")
        try room.perform(.step(.run))
        room.waitUntilIdle()
        Self.expectRefusal(room, .step(.run), 409, "The lesson is over: go back or reset.")
        #expect(room.stateJSON().contains("\"position\":1"))
    }

    @Test("numbers from the network are checked against the lesson and quoted as sent, the extremes too")
    func extremeNumbers() throws {
        let room = try Self.room("```swift\n1\n```\n\n```swift\n2\n```\n", slides: 2)
        for number in [Int.max, Int.min, -1, 2] {
            Self.expectRefusal(room, .slide(number), 400, "There is no slide \(number): slides are numbered 0 to 1.")
            Self.expectRefusal(room, .step(.runTo(number)), 400, "There is no cell \(number): cells are numbered 0 to 1.")
            Self.expectRefusal(room, .reveal(number), 400, "There is no cell \(number): cells are numbered 0 to 1.")
            Self.expectRefusal(room, .step(.runAgain(number)), 400, "There is no cell \(number): cells are numbered 0 to 1.")
        }
        let empty = try Self.room("Only prose.\n", slides: 0)
        Self.expectRefusal(empty, .step(.runTo(0)), 400, "There is no cell 0: this lesson has no cells.")
        Self.expectRefusal(empty, .slide(1), 400, "There is no slide 1: slides are numbered 0 to 0.")
        #expect(room.stateJSON().contains("\"position\":0"), "nothing moved")
    }

    @Test("a closed room refuses every command (the server is stopping)")
    func closedRoom() throws {
        let room = try Self.room("```swift\nvar n = 1\n```\n")
        room.close()
        let commands: [RoomCommand] = [.step(.run), .step(.skip), .step(.back), .step(.reset), .step(.runTo(0)), .interrupt, .slide(0), .reveal(0)]
        for command in commands {
            Self.expectRefusal(room, command, 503, "The lesson server is stopping.")
        }
        room.waitUntilIdle()
        #expect(room.stateJSON().contains("\"position\":0") && room.stateJSON().contains("\"status\":\"pending\""))
    }

    @Test("text a cell writes is gathered into one event, sent before the next event or when the clock says")
    func textIsGathered() async throws {
        let clock = ManualClock()
        let room = try Self.room("```swift\nprint(\"a\")\nprint(\"b\")\nprint(\"c\")\n```\n\n```swift\n2\n```\n", clock: clock)
        let page = room.subscribe()
        try room.perform(.step(.run))
        room.waitUntilIdle()
        #expect(clock.scheduled == 1, "one send scheduled for three prints")
        clock.advance(by: RoomEventHub.textDelay)
        #expect(clock.scheduled == 0)
        room.close()
        let received = await Self.events(page.events)
        let kinds = received.compactMap { $0["type"] as? String }
        #expect(kinds == ["state", "cell", "position", "text", "cell", "position"], "\(kinds)")
        #expect(received[3]["text"] as? String == "a\nb\nc\n" && received[3]["cell"] as? Int == 0)
        #expect(received.dropFirst().compactMap { $0["seq"] as? Int } == Array(1...5))
    }

    @Test("the hub gathers text per cell, sends it before the next event, and numbers every event")
    func gatheredTextIsSentOnTime() async throws {
        let hub = RoomEventHub()
        let page = hub.subscribe(first: .slide(0)) { _ in }
        #expect(hub.gather("one ", from: 2), "the first text asks for a send")
        #expect(!hub.gather("two", from: 2), "later text joins it")
        hub.flushText()
        hub.flushText()
        #expect(hub.gather("three", from: 3))
        hub.publish(.slide(1))
        hub.close()
        var items: [RoomFeedItem] = []
        for await item in page.events { items.append(item) }
        #expect(items == [
            .event(sequence: 0, json: RoomEvent.slide(0).json(sequence: 0)),
            .event(sequence: 1, json: RoomEvent.text(cell: 2, text: "one two").json(sequence: 1)),
            .event(sequence: 2, json: RoomEvent.text(cell: 3, text: "three").json(sequence: 2)),
            .event(sequence: 3, json: RoomEvent.slide(1).json(sequence: 3)),
        ])
    }

    @Test("progress goes out at most every 0.2 s and the chart every second, both at the end", arguments: [false, true])
    func progressIsThrottled(hidden: Bool) {
        var state = RoomState(states: [.pending], notice: nil, hiddenCells: hidden ? [0] : [])
        _ = state.cellStarted(0)
        func report(_ completed: Int) -> ProgressReport {
            ProgressReport(phase: "Epoch 1 train", completed: completed, total: 100, perplexity: 500 - Double(completed))
        }
        var sent: [(time: Double, kinds: [String])] = []
        for (step, time) in [0.0, 0.1, 0.19, 0.2, 0.5, 0.9, 1.0, 1.05, 1.3].enumerated() {
            let events = state.cellProgressed(0, report(step + 1), now: time)
            sent.append((time, events.map { event in
                if case .progress = event { return "progress" }
                if case .chart = event { return "chart" }
                return "other"
            }))
        }
        let finished = state.cellProgressed(0, report(100), now: 1.31)
        if hidden {
            #expect(sent.allSatisfy { $0.kinds.isEmpty } && finished.isEmpty, "a hidden solution shows no progress")
            return
        }
        #expect(sent.map(\.kinds) == [["progress", "chart"], [], [], ["progress"], ["progress"], ["progress"],
                                      ["chart"], [], ["progress"]])
        #expect(finished.count == 2, "the end is always sent")
        #expect(state.picture.progress?.fraction == 1)
    }

    @Test("a value not reached any more is withdrawn once; one never shown needs no news")
    func pendingInlineValues() {
        var state = RoomState(states: [.pending], notice: nil, hiddenCells: [])
        let value = InlineView(key: "3-0", text: "42", failed: false)
        let pending = InlineView(key: "3-0", text: "6 * 7", failed: false, pending: true)
        #expect(state.showInline([pending]).isEmpty)
        #expect(state.showInline([value]) == [.inline(value)])
        #expect(state.picture.inline == [value])
        #expect(state.showInline([pending]) == [.inline(pending)])
        #expect(state.picture.inline.isEmpty)
        #expect(state.showInline([pending]).isEmpty)
        #expect(RoomEvent.inline(pending).json(sequence: 4)
            == #"{"failed":false,"key":"3-0","pending":true,"seq":4,"text":"6 * 7","type":"inline"}"#)
    }

    @Test("events are JSON the page reads: typed, numbered, the state with every cell")
    func eventJSON() throws {
        let view = CellView(index: 1, status: "ok", prompt: "In [1]", state: "0.1 s", html: "<p>x</p>")
        #expect(RoomEvent.cell(view).json(sequence: 7)
            == #"{"cell":1,"html":"<p>x<\/p>","prompt":"In [1]","seq":7,"stale":[],"state":"0.1 s","status":"ok","type":"cell"}"#)
        let stale = CellView(index: 2, status: "ok", prompt: "In [2]", state: "", html: "", stale: ["x"])
        #expect(RoomEvent.cell(stale).json(sequence: 8).contains(#""stale":["x"]"#))
        #expect(RoomEvent.position(2, running: nil).json(sequence: 1) == #"{"position":2,"running":null,"seq":1,"type":"position"}"#)
        let picture = RoomPicture(position: 1, running: 1, slide: 0, notice: nil, cells: [view], revealed: [(0, "code")],
                                  progress: ProgressView(cell: 1, fraction: 0.5, phase: "train", text: "half"),
                                  chart: nil)
        let state = try #require(JSONSerialization.jsonObject(with: Data(RoomEvent.state(picture).json(sequence: 3).utf8))
            as? [String: Any])
        #expect(Set(state.keys) == ["type", "seq", "position", "running", "slide", "notice", "cells", "revealed", "live", "inline",
                                    "sources"])
        #expect(RoomEvent.source(SourceView(cell: 1, code: "x", html: "<pre>x</pre>", edited: true)).json(sequence: 4)
            == #"{"cell":1,"code":"x","edited":true,"html":"<pre>x<\/pre>","seq":4,"type":"source"}"#)
        #expect(RoomEvent.inline(InlineView(key: "3-0", text: "42", failed: false)).json(sequence: 2)
            == #"{"failed":false,"key":"3-0","seq":2,"text":"42","type":"inline"}"#)
        #expect(state["notice"] is NSNull && state["running"] as? Int == 1 && state["seq"] as? Int == 3)
        let cells = try #require(state["cells"] as? [[String: Any]])
        #expect(cells.count == 1 && cells[0]["type"] == nil && cells[0]["html"] as? String == "<p>x</p>")
        let revealed = try #require(state["revealed"] as? [[String: Any]])
        #expect(revealed.count == 1 && revealed[0]["cell"] as? Int == 0 && revealed[0]["html"] as? String == "code")
        let live = try #require(state["live"] as? [String: Any])
        let progress = try #require(live["progress"] as? [String: Any])
        #expect(progress["type"] as? String == "progress" && progress["fraction"] as? Double == 0.5 && live["chart"] == nil)
    }
}
