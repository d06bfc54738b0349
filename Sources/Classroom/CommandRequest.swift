import Foundation
import Notebook

/// A presenter's command as it arrives, `POST /api/<action>` with a JSON body, read strictly:
/// the body is empty, `{}`, or exactly the command's one field holding a whole number that fits
/// an `Int`. Anything else (other fields, other types, `1e400`, `true`, arrays) is refused here,
/// so the room only ever sees a command with a number it can check against the lesson.
enum CommandRequest {
    /// Why a request is not a command: an unknown action (404) or a body of the wrong shape (400).
    struct Refusal: Error, Equatable, CustomStringConvertible {
        let status: Int
        let description: String
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
        default: return nil
        }
    }

    /// The command `action` and `body` ask for, or the refusal to answer with (404 for an
    /// unknown action, 400 for a body of the wrong shape). The number is not range-checked
    /// here: the room knows the lesson.
    static func parse(action: String, body: Data) -> Result<RoomCommand, Refusal> {
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

    /// The body as a JSON object of whole numbers (an empty body is `{}`); nil when it is not one.
    /// `JSONDecoder` refuses booleans, strings, fractions and numbers beyond `Int` for an `Int`,
    /// and nesting deeper than it allows, by throwing.
    private static func numbers(in body: Data) -> [String: Int]? {
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { return [:] }
        return try? JSONDecoder().decode([String: Int].self, from: body)
    }
}
