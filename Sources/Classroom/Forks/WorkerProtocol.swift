import Foundation

/// The protocol between `lesson serve` and a student's worker process: one JSON object a line
/// each way over a Unix socket. The worker is a fork of a host process that loaded the
/// presenter's session (`ForkHost`); it runs a `LessonRoom` of its own.
///
/// Server to worker (`WorkerRequest`): a command for the room (`action` and `body` exactly as
/// a page sent them, read again by `CommandRequest`), a check of a command without carrying it
/// out, or a page subscribing to (or leaving) the room's events. Worker to server
/// (`WorkerReport`): an event for one subscription, the answer to a request, or that a command
/// that ran cells has finished (its core goes to the next in line).
package struct WorkerRequest: Codable, Sendable, Equatable {
    package enum Kind: String, Codable, Sendable {
        /// Carry out `action` with `body`; answered with a status.
        case command
        /// Say whether `action` would be refused now, without carrying it out.
        case check
        /// Send the room's events to subscription `subscription`, starting with its state.
        case subscribe
        case unsubscribe
    }

    package var id: Int
    package var kind: Kind
    package var action: String?
    package var body: String?
    package var subscription: Int?

    package init(id: Int, kind: Kind, action: String? = nil, body: String? = nil, subscription: Int? = nil) {
        self.id = id
        self.kind = kind
        self.action = action
        self.body = body
        self.subscription = subscription
    }
}

package struct WorkerReport: Codable, Sendable, Equatable {
    /// An event (its JSON, as pages read it) for this subscription.
    package var subscription: Int?
    package var event: String?
    /// The answer to request `reply`: an HTTP status and, when refused, why.
    package var reply: Int?
    package var status: Int?
    package var message: String?
    /// Command `done` (which ran cells) has finished.
    package var done: Int?

    package init(subscription: Int? = nil, event: String? = nil, reply: Int? = nil, status: Int? = nil,
                 message: String? = nil, done: Int? = nil) {
        self.subscription = subscription
        self.event = event
        self.reply = reply
        self.status = status
        self.message = message
        self.done = done
    }

    /// One line of the protocol.
    package var line: Data { protocolLine(self) }
}

extension WorkerRequest {
    /// One line of the protocol.
    package var line: Data { protocolLine(self) }
}

/// A message as one line of JSON (keys sorted, ending in a newline).
private func protocolLine(_ message: some Encodable) -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    var data = (try? encoder.encode(message)) ?? Data("{}".utf8)
    data.append(0x0A)
    return data
}

/// The records a worker host and the server exchange on the host's control socket
/// (`lesson_record`: kind, id, value; a descriptor may ride along).
package enum HostRecord: Int32 {
    /// Host to server: the session is loaded, forks can start.
    case ready = 1
    /// Host to server: fork `id` runs as process `value`; its socket rides along.
    case forked = 2
    /// Host to server: process `value` ended; `id` is its wait status.
    case exited = 3
    /// Host to server: the session could not be loaded; `value` bytes of UTF-8 follow, why.
    case failed = 4
    /// Server to host: start fork `id`.
    case fork = 10
}

/// Lines of at most `limit` bytes from a descriptor, read with `read(2)` on the calling thread.
/// Each byte is searched for a newline once, and a line handed out is not moved out of the
/// buffer byte by byte: a state event of megabytes, or a burst of short events, costs its length.
package struct LineReader {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    /// Where the next line starts in `buffer`.
    private var start = 0
    /// How many bytes from `start` have been searched for a newline already.
    private var scanned = 0
    private var chunk = [UInt8](repeating: 0, count: 64 << 10)
    private let limit: Int

    package init(descriptor: Int32, limit: Int) {
        self.descriptor = descriptor
        self.limit = limit
    }

    /// The next line without its newline; nil at the end of the stream, on an error, or when a
    /// line is longer than the limit (the peer is not speaking the protocol).
    package mutating func next() -> Data? {
        while true {
            if let newline = buffer[(start + scanned)...].firstIndex(of: 0x0A) {
                let line = Data(buffer[start..<newline])
                start = newline + 1
                scanned = 0
                return line
            }
            scanned = buffer.count - start
            guard scanned <= limit else { return nil }
            // What is left of a line moves to the front once per read, not once per line.
            if start > 0 {
                buffer.removeSubrange(..<start)
                start = 0
            }
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return nil }
            buffer.append(contentsOf: chunk[..<count])
        }
    }
}

/// Writes all of `data` to `descriptor`; false when the peer is gone.
@discardableResult
package func writeAll(_ descriptor: Int32, _ data: Data) -> Bool {
    data.withUnsafeBytes { raw -> Bool in
        guard let base = raw.baseAddress else { return true }
        var offset = 0
        while offset < raw.count {
            let written = send(descriptor, base + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }
}
