import Foundation

enum RoomEvent {
    /// One event as JSON.
    static func encode(_ event: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: event, options: [.sortedKeys]),
              let text = String(data: data, encoding: .utf8) else { return "{}" }
        return text
    }

    /// One event as a Server-Sent Events message. JSON escapes newlines, so it is one `data:` line.
    static func frame(_ event: [String: Any]) -> String {
        "data: \(encode(event))\n\n"
    }
}
