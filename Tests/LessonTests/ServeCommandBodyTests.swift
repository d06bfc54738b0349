import Foundation
import TestSupport
import Testing

/// The presenter's commands carry numbers from the network. None of them may stop the server:
/// each is checked against the lesson, and a body of any other shape is refused.
@Suite("lesson serve refuses odd commands and keeps serving", .serialized)
struct ServeCommandBodyTests {
    static let lesson = """
        # Numbers

        ```swift
        let base = 20
        ```

        ## Exercise

        ```swift
        //| solution: true
        //| check: answer == 40
        let answer = base * 2
        ```
        """

    /// Asserts the server still runs and still obeys a good command.
    static func expectAlive(_ served: ServedLesson, after what: String) throws {
        #expect(served.process.isRunning, "the server died after \(what)")
        #expect(try served.get("/api/whoami").status == 200, "after \(what)")
    }

    @Test("numbers outside the lesson are refused (400), the largest and smallest too")
    func outOfRange() throws {
        let served = try ServedLesson(Self.lesson, arguments: ["--student"])
        defer { served.stop() }
        let (largest, smallest) = (Int.max, Int.min)
        let commands = [("slide", "slide", largest), ("slide", "slide", smallest), ("slide", "slide", 2),
                        ("slide", "slide", -1), ("run-to", "cell", largest), ("run-to", "cell", smallest),
                        ("run-to", "cell", 2), ("run-to", "cell", -1), ("reveal", "cell", largest),
                        ("reveal", "cell", smallest), ("reveal", "cell", 2), ("reveal", "cell", 0)]
        for (action, field, number) in commands {
            let body = "{\"\(field)\": \(number)}"
            let reply = try served.post(action, body: body)
            #expect(reply.status == 400, "\(action) \(body) -> \(reply)")
            #expect(reply.body.contains("\(number)"), "the message names the number: \(reply.body)")
            try Self.expectAlive(served, after: "\(action) \(body)")
        }
        #expect(try served.post("slide", body: "{\"slide\": 1}").status == 202)
        #expect(try served.post("reveal", body: "{\"cell\": 1}").status == 202)
    }

    /// Bodies that are not `{"field": whole number}`; each must be refused with 400.
    static let oddBodies: [String] = {
        let deepArray = String(repeating: "[", count: 2000) + String(repeating: "]", count: 2000)
        let deepValue = "{\"slide\": " + String(repeating: "[", count: 1900) + String(repeating: "]", count: 1900) + "}"
        return ["{\"slide\": 1.5}", "{\"slide\": true}", "{\"slide\": false}", "{\"slide\": \"1\"}", "{\"slide\": 1e400}",
                "{\"slide\": -1e400}", "{\"slide\": 99999999999999999999}", "{\"slide\": -99999999999999999999}",
                "{\"slide\": 9223372036854775808}", "{\"slide\": null}", "{\"slide\": [1]}", "{\"slide\": {\"n\": 1}}",
                "{\"slide\": 1, \"extra\": 2}", "{\"slide\": 1, \"cell\": 1}", "{\"cell\": 1}", "{\"Slide\": 1}", "{}",
                "[1]", "1", "\"slide\"", "null", "true", "{", "{\"slide\": 1", "{\"slide\": 1}}", "{\"slide\": 01}",
                "{\"slide\": NaN}", "{\"slide\": Infinity}", "{\"slide\": 0x1}", deepArray, deepValue]
    }()

    @Test("bodies of other shapes and types are refused (400)")
    func oddShapes() throws {
        let served = try ServedLesson(Self.lesson)
        defer { served.stop() }
        for body in Self.oddBodies {
            let reply = try served.post("slide", body: body)
            #expect(reply.status == 400, "slide \(body.prefix(80)) -> \(reply)")
            try Self.expectAlive(served, after: "slide \(body.prefix(80))")
        }
        for (action, body) in [("run", "{\"cell\": 0}"), ("skip", "[]"), ("reset", "{\"x\": null}"), ("back", "1"),
                               ("interrupt", "{\"cell\": 9223372036854775807}"), ("run-to", "{\"cell\": 0.5}"),
                               ("reveal", "{\"cell\": \"0\"}"), ("run-to", "{}"), ("reveal", "")] {
            let reply = try served.post(action, body: body)
            #expect(reply.status == 400, "\(action) \(body) -> \(reply)")
            try Self.expectAlive(served, after: "\(action) \(body)")
        }
        let badBytes = Data("{\"slide\": ".utf8) + Data([0xFF, 0xFE]) + Data("}".utf8)
        let notUTF8 = Data("POST /api/slide HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Lesson-Token: \(served.token)\r\n".utf8)
            + Data("Content-Length: \(badBytes.count)\r\nConnection: close\r\n\r\n".utf8) + badBytes
        #expect(try LoopbackHTTP.send(port: served.port, raw: notUTF8).status == 400)
        try Self.expectAlive(served, after: "a body that is not UTF-8")
        #expect(try served.post("slide", body: " {\"slide\" : 1 } ").status == 202, "a good command still works")
        #expect(try served.post("run", body: "").status == 202, "an empty body is no arguments")
    }

    @Test("odd request heads are refused and the server goes on")
    func oddHeads() throws {
        let served = try ServedLesson(Self.lesson)
        defer { served.stop() }
        for length in ["99999999999999999999999", "-5", "1e3", "0x10"] {
            let raw = "POST /api/run HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Lesson-Token: \(served.token)\r\n"
                + "Content-Length: \(length)\r\nConnection: close\r\n\r\n{}"
            // The server may answer 4xx or just close the connection; it must not die.
            if let reply = try? LoopbackHTTP.send(port: served.port, raw: Data(raw.utf8)) {
                #expect((400..<500).contains(reply.status), "Content-Length: \(length) -> \(reply)")
            }
            try Self.expectAlive(served, after: "Content-Length: \(length)")
        }
        for action in ["%00", "..%2F..%2Fetc", "run%20", String(repeating: "r", count: 1500)] {
            #expect(try served.post(action).status == 404, "\(action)")
        }
        try Self.expectAlive(served, after: "unknown commands")
    }
}
