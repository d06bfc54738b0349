#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The Chrome DevTools Protocol over a browser's pipes: JSON objects, each ended by a NUL byte.
///
/// Commands carry increasing ids; a reply carries its command's id. Everything else the
/// browser sends is an event (a `method` and `params`), kept in `events` until a caller
/// takes it, so an event that arrives while we wait for a reply is not lost.
/// Every wait has a deadline: reads and writes poll rather than block.
final class DevToolsPipe {
    private let process: BrowserProcess
    private var nextID = 1
    private var received = Data()
    private var events: [[String: Any]] = []

    init(process: BrowserProcess) {
        self.process = process
    }

    /// Sends `method` with `params` (to the page `session` when given) and returns the reply's
    /// `result`.
    /// - Throws: `HeadlessBrowser.Failure.timeout` when no reply comes within `timeout`,
    ///   `.protocolError` when the browser answers with an error, `.exited` when it is gone.
    @discardableResult
    func send(_ method: String, _ params: [String: Any] = [:], session: String? = nil,
              timeout: TimeInterval) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        let id = nextID
        nextID += 1
        var message: [String: Any] = ["id": id, "method": method, "params": params]
        if let session { message["sessionId"] = session }
        var bytes = try JSONSerialization.data(withJSONObject: message)
        bytes.append(0)
        try writeFrame(bytes, deadline: deadline, waitingFor: method)
        while true {
            let reply = try readMessage(deadline: deadline, waitingFor: "the reply to \(method)")
            guard let replyID = reply["id"] as? Int else {
                events.append(reply)
                continue
            }
            guard replyID == id else { continue }
            if let error = reply["error"] as? [String: Any] {
                let text = error["message"] as? String ?? "\(error)"
                let data = error["data"] as? String
                throw HeadlessBrowser.Failure.protocolError(method: method, message: data.map { "\(text): \($0)" } ?? text)
            }
            return reply["result"] as? [String: Any] ?? [:]
        }
    }

    /// Forgets the events received so far, so a later `waitForEvent` sees only newer ones.
    func discardEvents() {
        events.removeAll()
    }

    /// Waits for the event `method` (from `session` when given) and returns its `params`.
    /// - Throws: `HeadlessBrowser.Failure.timeout` or `.exited`.
    @discardableResult
    func waitForEvent(_ method: String, session: String? = nil, timeout: TimeInterval) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        func matches(_ event: [String: Any]) -> Bool {
            event["method"] as? String == method && (session == nil || event["sessionId"] as? String == session)
        }
        while true {
            if let index = events.firstIndex(where: matches) {
                let event = events.remove(at: index)
                return event["params"] as? [String: Any] ?? [:]
            }
            let message = try readMessage(deadline: deadline, waitingFor: "the event \(method)")
            if message["id"] == nil { events.append(message) }
        }
    }

    // MARK: Framing

    private func readMessage(deadline: Date, waitingFor what: String) throws -> [String: Any] {
        while true {
            if let end = received.firstIndex(of: 0) {
                let frame = received[received.startIndex..<end]
                received = Data(received[(end + 1)...])
                guard let object = try? JSONSerialization.jsonObject(with: frame) as? [String: Any] else {
                    throw HeadlessBrowser.Failure.protocolError(
                        method: what, message: "not a JSON object: \(String(decoding: frame.prefix(200), as: UTF8.self))")
                }
                return object
            }
            try waitUntilReady(process.replyFD, for: Int16(POLLIN), deadline: deadline, waitingFor: what)
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = read(process.replyFD, &chunk, chunk.count)
            if count > 0 {
                received.append(contentsOf: chunk[0..<count])
            } else if count == 0 {
                throw exitedFailure(waitingFor: what)
            } else if errno != EAGAIN && errno != EINTR {
                throw HeadlessBrowser.Failure.protocolError(method: what, message: "read: \(errnoText())")
            }
        }
    }

    private func writeFrame(_ bytes: Data, deadline: Date, waitingFor method: String) throws {
        try withSIGPIPEBlocked {
            var offset = 0
            while offset < bytes.count {
                try waitUntilReady(process.commandFD, for: Int16(POLLOUT), deadline: deadline, waitingFor: "sending \(method)")
                let count = bytes[offset...].withUnsafeBytes { write(process.commandFD, $0.baseAddress, $0.count) }
                if count > 0 {
                    offset += count
                } else if errno == EPIPE {
                    throw exitedFailure(waitingFor: "sending \(method)")
                } else if errno != EAGAIN && errno != EINTR {
                    throw HeadlessBrowser.Failure.protocolError(method: method, message: "write: \(errnoText())")
                }
            }
        }
    }

    private func waitUntilReady(_ fd: Int32, for events: Int16, deadline: Date, waitingFor what: String) throws {
        while true {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else {
                throw HeadlessBrowser.Failure.timeout(waitingFor: what, stderrTail: process.stderrTail())
            }
            var poller = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&poller, 1, Int32(min(remaining * 1000, 1000).rounded(.up)))
            if ready > 0 { return }
            if ready < 0 && errno != EINTR {
                throw HeadlessBrowser.Failure.protocolError(method: what, message: "poll: \(errnoText())")
            }
            // Between polls, notice a browser that died without closing its pipe (a helper
            // process it started may still hold the write end).
            if let status = process.reapIfExited() {
                throw HeadlessBrowser.Failure.exited(
                    status: BrowserProcess.describe(status: status), waitingFor: what, stderrTail: process.stderrTail())
            }
        }
    }

    private func exitedFailure(waitingFor what: String) -> HeadlessBrowser.Failure {
        _ = process.waitForExit(timeout: 1)
        let status = process.reapIfExited().map(BrowserProcess.describe(status:)) ?? "closed its pipe"
        return .exited(status: status, waitingFor: what, stderrTail: process.stderrTail())
    }
}

/// Runs `body` with SIGPIPE blocked on this thread, so writing to a browser that has exited
/// fails with EPIPE instead of killing the test process; a SIGPIPE raised meanwhile is
/// consumed before the old mask returns.
private func withSIGPIPEBlocked<T>(_ body: () throws -> T) rethrows -> T {
    var pipeSignal = sigset_t()
    sigemptyset(&pipeSignal)
    sigaddset(&pipeSignal, SIGPIPE)
    var previous = sigset_t()
    pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
    var pendingBefore = sigset_t()
    sigpending(&pendingBefore)
    let wasPending = sigismember(&pendingBefore, SIGPIPE) == 1
    defer {
        var pendingAfter = sigset_t()
        sigpending(&pendingAfter)
        if !wasPending && sigismember(&pendingAfter, SIGPIPE) == 1 {
            var immediately = timespec(tv_sec: 0, tv_nsec: 0)
            _ = sigtimedwait(&pipeSignal, nil, &immediately)
        }
        pthread_sigmask(SIG_SETMASK, &previous, nil)
    }
    return try body()
}
