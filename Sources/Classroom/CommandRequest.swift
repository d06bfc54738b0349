import Foundation
import Notebook

/// A presenter's command as it arrives, `POST /api/<action>` with a JSON body, read strictly:
/// the body is empty, `{}`, or exactly the command's one field holding a whole number that fits
/// an `Int`. Anything else (other fields, other types, `1e400`, `true`, arrays) is refused here,
/// so the room only ever sees a command with a number it can check against the lesson.
package enum CommandRequest {
    /// Why a request is not a command: an unknown action (404) or a body of the wrong shape (400).
    package struct Refusal: Error, Equatable, CustomStringConvertible {
        package let status: Int
        package let description: String
    }

    /// What a command's body must hold: nothing, or one number that becomes the command.
    private enum Shape {
        case bare(RoomCommand)
        case number(field: String, (Int) -> RoomCommand)
    }

    private static func shape(of action: String) -> Shape? {
        switch action {
        case "run": return .bare(.step(.run))
        case "skip": return .bare(.step(.skip))
        case "back": return .bare(.step(.back))
        case "reset": return .bare(.step(.reset))
        case "interrupt": return .bare(.interrupt)
        case "run-to": return .number(field: "cell") { .step(.runTo($0)) }
        case "run-again": return .number(field: "cell") { .step(.runAgain($0)) }
        case "update": return .bare(.step(.runStale))
        case "reveal": return .number(field: "cell", RoomCommand.reveal)
        case "slide": return .number(field: "slide", RoomCommand.slide)
        case "discard": return .number(field: "cell") { .edit($0, code: nil) }
        default: return nil
        }
    }

    /// The command `action` and `body` ask for, or the refusal to answer with (404 for an
    /// unknown action, 400 for a body of the wrong shape). The number is not range-checked
    /// here: the room knows the lesson.
    package static func parse(action: String, body: Data) -> Result<RoomCommand, Refusal> {
        if action == "edit" { return edit(body) }
        guard let shape = shape(of: action) else {
            return .failure(Refusal(status: 404, description: "Unknown command '\(action)'."))
        }
        let fields = numbers(in: body)
        switch shape {
        case .bare(let command):
            guard fields?.isEmpty == true else {
                return .failure(Refusal(status: 400, description: "\(action) takes no arguments: send {} or nothing."))
            }
            return .success(command)
        case .number(let field, let make):
            guard let fields, fields.count == 1, let number = fields[field] else {
                return .failure(Refusal(
                    status: 400, description: "\(action) needs a JSON body {\"\(field)\": n}, n a whole number (0-based)."))
            }
            return .success(make(number))
        }
    }

    /// `edit`: exactly `{"cell": n, "source": "code"}`, n a whole number, the code a string.
    private static func edit(_ body: Data) -> Result<RoomCommand, Refusal> {
        let refusal = Refusal(status: 400, description: "edit needs a JSON body {\"cell\": n, \"source\": \"code\"}, n a whole number (0-based).")
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
              Set(object.keys) == ["cell", "source"],
              let edit = try? JSONDecoder().decode(EditBody.self, from: body) else { return .failure(refusal) }
        return .success(.edit(edit.cell, code: edit.source))
    }

    /// The body as a JSON object of whole numbers (an empty body is `{}`); nil when it is not one.
    /// `JSONDecoder` refuses booleans, strings, fractions and numbers beyond `Int` for an `Int`,
    /// and nesting deeper than it allows, by throwing.
    private static func numbers(in body: Data) -> [String: Int]? {
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { return [:] }
        return try? JSONDecoder().decode([String: Int].self, from: body)
    }
}

/// The body of an `edit` command, as a page sends it: `{"cell": n, "source": "code"}`.
struct EditBody: Codable {
    let cell: Int
    let source: String
}
