@testable import Classroom
import Foundation
import Notebook
import Testing

@Suite("the presenter's commands as they arrive")
struct CommandRequestTests {
    static func parse(_ action: String, _ body: String) -> Result<RoomCommand, CommandRequest.Refusal> {
        CommandRequest.parse(action: action, body: Data(body.utf8))
    }

    @Test("well-formed commands, with the numbers as sent (the room checks their range)")
    func wellFormed() throws {
        #expect(try Self.parse("run", "").get() == .step(.run))
        #expect(try Self.parse("skip", "{}").get() == .step(.skip))
        #expect(try Self.parse("back", " { } \n").get() == .step(.back))
        #expect(try Self.parse("reset", "\r\n").get() == .step(.reset))
        #expect(try Self.parse("interrupt", "{}").get() == .interrupt)
        #expect(try Self.parse("run-to", "{\"cell\": 3}").get() == .step(.runTo(3)))
        #expect(try Self.parse("reveal", "{\"cell\":0}").get() == .reveal(0))
        #expect(try Self.parse("slide", "{\"slide\": 9223372036854775807}").get() == .slide(Int.max))
        #expect(try Self.parse("slide", "{\"slide\": -9223372036854775808}").get() == .slide(Int.min))
        #expect(try Self.parse("slide", "{\"sl\\u0069de\": 2}").get() == .slide(2), "JSON escapes are JSON")
    }

    @Test("an unknown command is 404")
    func unknown() {
        for action in ["explode", "", "RUN", "run ", "run-to/1", "%00"] {
            #expect(throws: CommandRequest.Refusal(status: 404, description: "Unknown command '\(action)'.")) {
                try Self.parse(action, "{}").get()
            }
        }
    }

    @Test("a body of any other shape is 400", arguments: [
        "{\"slide\": 1.5}", "{\"slide\": true}", "{\"slide\": false}", "{\"slide\": \"1\"}", "{\"slide\": 1e400}",
        "{\"slide\": -1e400}", "{\"slide\": 99999999999999999999}", "{\"slide\": 9223372036854775808}",
        "{\"slide\": -9223372036854775809}", "{\"slide\": null}", "{\"slide\": [1]}", "{\"slide\": {\"n\": 1}}",
        "{\"slide\": 1, \"extra\": 2}", "{\"slide\": 1, \"cell\": 1}", "{\"cell\": 1}", "{\"Slide\": 1}", "{}", "",
        "[1]", "1", "\"slide\"", "null", "true", "{", "{\"slide\": 1", "{\"slide\": 1}}", "{\"slide\": 01}",
        "{\"slide\": NaN}", "{\"slide\": Infinity}", "{\"slide\": 0x1}", "{\"slide\": +1}", "{slide: 1}",
        String(repeating: "[", count: 3000) + String(repeating: "]", count: 3000),
        "{\"slide\": " + String(repeating: "[", count: 2000) + String(repeating: "]", count: 2000) + "}",
    ])
    func oddSlideBodies(_ body: String) {
        let refusal = CommandRequest.Refusal(status: 400, description: "slide needs a JSON body {\"slide\": n}, n a whole number (0-based).")
        #expect(throws: refusal) { try Self.parse("slide", body).get() }
    }

    @Test("commands without arguments refuse any")
    func bareCommands() {
        for (action, body) in [("run", "{\"cell\": 0}"), ("skip", "[]"), ("reset", "{\"x\": null}"), ("back", "1"),
                               ("interrupt", "{\"cell\": 9223372036854775807}"), ("run", "{\"x\": 1.5}")] {
            #expect(throws: CommandRequest.Refusal(status: 400, description: "\(action) takes no arguments: send {} or nothing.")) {
                try Self.parse(action, body).get()
            }
        }
    }

    @Test("a body that is not UTF-8 is 400")
    func notUTF8() {
        let body = Data("{\"cell\": ".utf8) + Data([0xFF, 0xFE]) + Data("}".utf8)
        #expect(throws: CommandRequest.Refusal.self) { try CommandRequest.parse(action: "run-to", body: body).get() }
    }
}

@Suite("edit requests")
struct EditRequestTests {
    @Test("edit takes exactly a cell and its code; discard takes a cell")
    func edits() {
        let edit = CommandRequest.parse(action: "edit", body: Data(#"{"cell": 2, "source": "let x = 1\nx"}"#.utf8))
        #expect(edit == .success(.edit(2, code: "let x = 1\nx")))
        #expect(CommandRequest.parse(action: "discard", body: Data(#"{"cell": 2}"#.utf8)) == .success(.edit(2, code: nil)))
        for body in [#"{"cell": 2}"#, #"{"source": "x"}"#, #"{"cell": 2, "source": "x", "more": 1}"#,
                     #"{"cell": 2.5, "source": "x"}"#, #"{"cell": 2, "source": null}"#, #"{"cell": 2, "source": ["x"]}"#,
                     "[2, \"x\"]", "", "{"] {
            guard case .failure(let refusal) = CommandRequest.parse(action: "edit", body: Data(body.utf8)) else {
                Issue.record("accepted \(body)")
                continue
            }
            #expect(refusal.status == 400)
        }
    }
}
