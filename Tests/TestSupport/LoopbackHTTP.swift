import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A deliberately small HTTP/1.1 client over a plain TCP socket to 127.0.0.1, for tests of
/// `lesson serve`: it sends exactly the bytes a test writes (unnormalised `..` paths,
/// oversized bodies) and reads Server-Sent Events line by line. Every read has a deadline.
public enum LoopbackHTTP {
    public struct Reply: CustomStringConvertible {
        public var status: Int
        /// Header names lower-cased.
        public var headers: [String: String]
        public var body: String
        public var description: String { "HTTP \(status) \(headers)\n\(body)" }
    }

    public enum Failure: Error, CustomStringConvertible {
        case connect(Int32)
        case timeout(String)
        case malformed(String)
        public var description: String {
            switch self {
            case .connect(let code): return "cannot connect to the server (errno \(code))"
            case .timeout(let what): return "timed out waiting for \(what)"
            case .malformed(let text): return "not an HTTP reply: \(text.prefix(200))"
            }
        }
    }

    /// Sends one request (with `Connection: close`) and reads the whole reply.
    public static func request(port: Int, method: String = "GET", path: String, headers: [String: String] = [:],
                               body: String = "", timeout: TimeInterval = 10) throws -> Reply {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" { head += "Content-Length: \(body.utf8.count)\r\n" }
        return try send(port: port, raw: Data((head + "\r\n" + body).utf8), timeout: timeout)
    }

    /// Sends `raw` as is and reads until the server closes the connection.
    public static func send(port: Int, raw: Data, timeout: TimeInterval = 10) throws -> Reply {
        let socket = try Connection(port: port)
        defer { socket.close() }
        socket.write(raw)
        var received = Data()
        let deadline = Date().addingTimeInterval(timeout)
        while let chunk = try socket.read(until: deadline) { received.append(chunk) }
        return try parse(received)
    }

    static func parse(_ data: Data) throws -> Reply {
        let bytes = [UInt8](data)
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let split = (0..<max(bytes.count - 3, 0)).first(where: { Array(bytes[$0..<$0 + 4]) == separator }) else {
            throw Failure.malformed(String(decoding: bytes, as: UTF8.self))
        }
        let lines = String(decoding: bytes[..<split], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw Failure.malformed(String(decoding: bytes, as: UTF8.self))
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(bytes[(split + 4)...])
        if headers["transfer-encoding"]?.lowercased() == "chunked" { body = dechunk(body) }
        return Reply(status: status, headers: headers, body: String(decoding: body, as: UTF8.self))
    }

    /// The payload of a chunked body: `<hex size>\r\n<bytes>\r\n` ... `0\r\n\r\n`.
    private static func dechunk(_ bytes: [UInt8]) -> [UInt8] {
        var body: [UInt8] = []
        var index = 0
        while index < bytes.count {
            guard let lineEnd = (index..<bytes.count).first(where: { bytes[$0] == 10 }) else { break }
            let sizeText = String(decoding: bytes[index..<lineEnd], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let size = Int(sizeText.split(separator: ";").first ?? "", radix: 16), size > 0 else { break }
            let start = lineEnd + 1
            let end = min(start + size, bytes.count)
            body += bytes[start..<end]
            index = end + 2
        }
        return body
    }

    /// A TCP connection to the loopback address.
    final class Connection {
        private var descriptor: Int32

        init(port: Int) throws {
            descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard descriptor >= 0 else { throw Failure.connect(errno) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let result = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard result == 0 else {
                let code = errno
                Glibc.close(descriptor)
                throw Failure.connect(code)
            }
        }

        func write(_ data: Data) {
            data.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count, let base = buffer.baseAddress {
                    let sent = Glibc.send(descriptor, base + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                    if sent <= 0 { return }
                    offset += sent
                }
            }
        }

        /// The next bytes, nil at the end of the stream (or when the server reset it).
        func read(until deadline: Date) throws -> Data? {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(max(deadline.timeIntervalSinceNow, 0) * 1000)
            guard poll(&poller, 1, milliseconds) > 0 else { throw Failure.timeout("the server's reply") }
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = recv(descriptor, &buffer, buffer.count, 0)
            return count > 0 ? Data(buffer[0..<count]) : nil
        }

        func close() {
            if descriptor >= 0 { Glibc.close(descriptor) }
            descriptor = -1
        }

        deinit { close() }
    }
}

/// Reads a `lesson serve` event stream (`GET /api/events`) one event at a time.
public final class EventStreamReader {
    private let connection: LoopbackHTTP.Connection
    private var buffer = ""
    private var headerDone = false

    /// - Parameter path: the stream to read: the class's, or a fork's (`/api/fork/events?key=…`).
    public init(port: Int, path: String = "/api/events") throws {
        connection = try LoopbackHTTP.Connection(port: port)
        connection.write(Data("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/event-stream\r\n\r\n".utf8))
    }

    /// The next event's JSON object; throws when none arrives within `timeout` or the stream ends.
    public func next(timeout: TimeInterval = 10) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let event = takeEvent() { return event }
            guard let chunk = try connection.read(until: deadline) else {
                throw LoopbackHTTP.Failure.malformed("the event stream ended")
            }
            buffer += String(decoding: chunk, as: UTF8.self)
        }
    }

    /// Reads events until one satisfies `match`; returns it (and everything before it in `seen`).
    public func next(timeout: TimeInterval = 30, where match: ([String: Any]) -> Bool) throws
        -> (event: [String: Any], seen: [[String: Any]]) {
        let deadline = Date().addingTimeInterval(timeout)
        var seen: [[String: Any]] = []
        while true {
            let event = try next(timeout: max(deadline.timeIntervalSinceNow, 0.01))
            if match(event) { return (event, seen) }
            seen.append(event)
        }
    }

    /// Closes the connection, as a closed browser tab does.
    public func close() {
        connection.close()
    }

    /// One `data:` line's JSON from the buffered text (chunked framing lines are skipped).
    private func takeEvent() -> [String: Any]? {
        // `\r\n` is one Character in Swift, so look for any line break, not for "\n".
        while let newline = buffer.firstIndex(where: \.isNewline) {
            let line = String(buffer[..<newline])
            buffer.removeSubrange(...newline)
            guard line.hasPrefix("data: ") else { continue }
            let json = Data(line.dropFirst(6).utf8)
            if let object = (try? JSONSerialization.jsonObject(with: json)) as? [String: Any] { return object }
        }
        return nil
    }
}
