@testable import Classroom
import Foundation
import Notebook
import Testing

@Suite("the shared session of lesson serve")
struct LessonRoomTests {
    static func room(_ text: String, slides: Int = 3) throws -> LessonRoom {
        let document = NotebookParser.parse(text: text, file: "lesson.md")
        let executor = NotebookExecutor(document: document, text: text)
        return LessonRoom(stepper: NotebookStepper(document: document, executor: executor), executor: executor,
                          slideCount: slides)
    }

    static func events(_ stream: AsyncStream<String>) async -> [[String: Any]] {
        var all: [[String: Any]] = []
        for await frame in stream {
            let json = frame.dropFirst("data: ".count)
            if let object = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] {
                all.append(object)
            }
        }
        return all
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
        #expect(throws: LessonRoom.Refusal(status: 409, description: "Already at the first cell.")) {
            try room.perform(.back)
        }
        #expect(throws: LessonRoom.Refusal(status: 400, description: "There is no slide 3: slides are numbered 0 to 2.")) {
            try room.perform(.slide(3))
        }
        #expect(throws: LessonRoom.Refusal(status: 400, description: "There is no cell 1: cells are numbered 0 to 0.")) {
            try room.perform(.runTo(1))
        }
        #expect(throws: LessonRoom.Refusal(status: 400, description: "Cell 0 is not a hidden solution.")) {
            try room.perform(.reveal(0))
        }
        #expect(throws: LessonRoom.Refusal(status: 409, description: "No cell is running.")) {
            try room.perform(.interrupt)
        }
        try room.perform(.run)
        room.waitUntilIdle()
        #expect(throws: LessonRoom.Refusal(status: 409, description: "The lesson is over: go back or reset.")) {
            try room.perform(.run)
        }
        #expect(room.stateJSON().contains("\"position\":1"))
    }

    @Test("numbers from the network are checked against the lesson and quoted as sent, the extremes too")
    func extremeNumbers() throws {
        let room = try Self.room("```swift\n1\n```\n\n```swift\n2\n```\n", slides: 2)
        for number in [Int.max, Int.min, -1, 2] {
            #expect(throws: LessonRoom.Refusal(status: 400, description: "There is no slide \(number): slides are numbered 0 to 1.")) {
                try room.perform(.slide(number))
            }
            #expect(throws: LessonRoom.Refusal(status: 400, description: "There is no cell \(number): cells are numbered 0 to 1.")) {
                try room.perform(.runTo(number))
            }
            #expect(throws: LessonRoom.Refusal(status: 400, description: "There is no cell \(number): cells are numbered 0 to 1.")) {
                try room.perform(.reveal(number))
            }
        }
        let empty = try Self.room("Only prose.\n", slides: 0)
        #expect(throws: LessonRoom.Refusal(status: 400, description: "There is no cell 0: this lesson has no cells.")) {
            try empty.perform(.runTo(0))
        }
        #expect(throws: LessonRoom.Refusal(status: 400, description: "There is no slide 1: slides are numbered 0 to 0.")) {
            try empty.perform(.slide(1))
        }
        #expect(room.stateJSON().contains("\"position\":0"), "nothing moved")
    }

    @Test("a closed room refuses every command (the server is stopping)")
    func closedRoom() throws {
        let room = try Self.room("```swift\nvar n = 1\n```\n")
        room.close()
        let commands: [LessonRoom.Command] = [.run, .skip, .back, .reset, .runTo(0), .interrupt, .slide(0), .reveal(0)]
        for command in commands {
            #expect(throws: LessonRoom.Refusal(status: 503, description: "The lesson server is stopping."), "\(command)") {
                try room.perform(command)
            }
        }
        room.waitUntilIdle()
        #expect(room.stateJSON().contains("\"position\":0") && room.stateJSON().contains("\"status\":\"pending\""))
    }
}
