import Foundation
import Glibc

/// One student's fork as the server sees it: the worker process's socket, its pages'
/// subscriptions, and the requests waiting for an answer.
///
/// A reader thread takes the worker's reports: events go to the subscription they name,
/// answers to the request waiting for them, `done` to `onDone`. When the worker's socket
/// ends (it exited, crashed or was killed), every waiting request is answered 503 and every
/// page gets an `ended` note saying why.
final class ForkSession: @unchecked Sendable {
    // @unchecked: every var is only touched with `lock` held, except `socketOpen` (`descriptorLock`)
    // and `exitNote` (`exitArrived`).
    let id: Int
    /// The page's secret: whoever sends it owns this fork.
    let secret: String
    let pid: Int32
    /// The cell the fork started at.
    let start: Int
    /// The address of the machine that asked for it, when its forks are counted (`forksPerAddress`).
    let owner: String?
    /// The fork's host (to tell its exit status apart from other hosts' workers).
    let host: ObjectIdentifier
    private let socket: Int32
    private let lock = NSLock()
    private var nextRequest = 0
    private var nextSubscription = 0
    private var waiting: [Int: CheckedContinuation<(status: Int, message: String), Never>] = [:]
    private var subscribers: [Int: AsyncStream<String>.Continuation] = [:]
    private var endReason: String?
    /// Why the worker ended, when its host said (its exit status); guarded by `exitArrived`.
    private var exitNote: String?
    /// The last time a page used the fork (the manager's clock).
    var lastActive: TimeInterval {
        get { lock.withLock { storedLastActive } }
        set { lock.withLock { storedLastActive = newValue } }
    }
    private var storedLastActive: TimeInterval
    /// The code of each cell the student edited, for downloading the fork.
    private var storedEdits: [Int: String] = [:]
    /// False once the reader closed the socket (its number may then belong to another file);
    /// guarded by `descriptorLock`, which is never held across a write. `writing` keeps
    /// requests from interleaving and the socket open while one is written; it is not `lock`,
    /// so a write that waits for the worker never holds up the reader (which needs `lock`).
    private var socketOpen = true
    private let writing = NSLock()
    private let descriptorLock = NSLock()

    /// Called on the reader thread when a command that ran cells finished (its request id).
    var onDone: (@Sendable (Int) -> Void)?
    /// Called once on the reader thread when the worker's socket ended.
    var onEnd: (@Sendable () -> Void)?

    init(id: Int, secret: String, pid: Int32, start: Int, owner: String?, host: ObjectIdentifier, socket: Int32,
         now: TimeInterval) {
        self.id = id
        self.secret = secret
        self.pid = pid
        self.start = start
        self.owner = owner
        self.host = host
        self.socket = socket
        storedLastActive = now
    }

    /// Starts reading the worker's reports (once the hooks are set).
    func listen() {
        let thread = Thread { [self] in readReports() }
        thread.name = "lesson.serve.fork-\(id)"
        thread.start()
    }

    var isEnded: Bool { lock.withLock { endReason != nil } }
    var pageCount: Int { lock.withLock { subscribers.count } }
    var edits: [Int: String] { lock.withLock { storedEdits } }

    func recordEdit(_ cell: Int, code: String?) {
        lock.withLock { storedEdits[cell] = code }
    }

    /// Sends `kind` of request and waits for its answer: an HTTP status and, when refused, why.
    func request(_ kind: WorkerRequest.Kind, action: String, body: String) async -> (status: Int, message: String) {
        await withCheckedContinuation { continuation in
            let id: Int? = lock.withLock {
                guard endReason == nil else { return nil }
                nextRequest += 1
                waiting[nextRequest] = continuation
                return nextRequest
            }
            guard let id else {
                continuation.resume(returning: (503, lock.withLock { endReason } ?? Self.endedMessage))
                return
            }
            send(WorkerRequest(id: id, kind: kind, action: action, body: body))
        }
    }

    /// Sends a command without waiting (the queue's turn came); its id, for `onDone`.
    @discardableResult
    func sendCommand(action: String, body: String) -> Int {
        let id = lock.withLock { () -> Int in
            nextRequest += 1
            return nextRequest
        }
        send(WorkerRequest(id: id, kind: .command, action: action, body: body))
        return id
    }

    /// A page's view of the fork: its room's events (JSON lines, the state first) and the
    /// server's notes about it (its place in the queue, its end).
    func subscribe() -> (id: Int, lines: AsyncStream<String>) {
        let (lines, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(4096))
        let (id, reason) = lock.withLock { () -> (Int, String?) in
            nextSubscription += 1
            if endReason == nil { subscribers[nextSubscription] = continuation }
            return (nextSubscription, endReason)
        }
        if let reason {
            continuation.yield(Self.endedNote(reason))
            continuation.finish()
            return (id, lines)
        }
        continuation.onTermination = { [weak self] _ in self?.unsubscribe(id) }
        send(WorkerRequest(id: 0, kind: .subscribe, subscription: id))
        return (id, lines)
    }

    func unsubscribe(_ subscription: Int) {
        let removed = lock.withLock { subscribers.removeValue(forKey: subscription) != nil }
        if removed { send(WorkerRequest(id: 0, kind: .unsubscribe, subscription: subscription)) }
    }

    /// A note from the server to every page of the fork (not numbered: pages take it as it comes).
    func note(_ json: String) {
        let pages = lock.withLock { Array(subscribers.values) }
        for page in pages { page.yield(json) }
    }

    /// The host said the worker process ended, with `status` from waitpid.
    func exited(status: Int32) {
        exitArrived.lock()
        exitNote = Self.describe(status: status)
        exitArrived.broadcast()
        exitArrived.unlock()
    }

    /// Signalled when the host reports the worker's exit status.
    private let exitArrived = NSCondition()

    /// Ends the fork: the worker sees its socket close and exits.
    func close(reason: String) {
        lock.withLock { if endReason == nil { endReason = reason } }
        // Without `writing`: shutting the socket down also wakes a write that waits.
        descriptorLock.withLock {
            if socketOpen { shutdown(socket, Int32(SHUT_RDWR)) }
        }
    }

    // MARK: Reading the worker

    /// Writes with `writing` held, so requests never interleave and never reach a closed socket.
    private func send(_ request: WorkerRequest) {
        writing.withLock {
            if descriptorLock.withLock({ socketOpen }) { writeAll(socket, request.line) }
        }
    }

    private func readReports() {
        var reader = LineReader(descriptor: socket, limit: 64 << 20)
        let decoder = JSONDecoder()
        while let line = reader.next() {
            guard let report = try? decoder.decode(WorkerReport.self, from: line) else { continue }
            if let subscription = report.subscription, let event = report.event {
                let page = lock.withLock { subscribers[subscription] }
                page?.yield(event)
            }
            if let reply = report.reply {
                let continuation = lock.withLock { waiting.removeValue(forKey: reply) }
                continuation?.resume(returning: (report.status ?? 500, report.message ?? ""))
            }
            if let done = report.done { onDone?(done) }
        }
        // A worker that ended on its own: its host reaps it a moment after its socket closes;
        // wait a little for the status, so the page can say what happened (a kill, a crash).
        if lock.withLock({ endReason == nil }) {
            exitArrived.lock()
            let deadline = Date().addingTimeInterval(2)
            while exitNote == nil, exitArrived.wait(until: deadline) {}
            exitArrived.unlock()
        }
        let (reason, pending, pages) = lock.withLock { () -> (String, [CheckedContinuation<(status: Int, message: String), Never>], [AsyncStream<String>.Continuation]) in
            if endReason == nil {
                let note = exitArrived.withLock { exitNote }
                endReason = "Your copy of the session stopped unexpectedly" + (note.map { " (\($0))" } ?? "")
                    + ". Follow the class again, or start a new copy."
            }
            let pending = Array(waiting.values)
            waiting.removeAll()
            let pages = Array(subscribers.values)
            subscribers.removeAll()
            return (endReason ?? Self.endedMessage, pending, pages)
        }
        // The peer is gone, so a write in progress fails at once and lets go of `writing`.
        writing.withLock {
            descriptorLock.withLock {
                socketOpen = false
                Glibc.close(socket)
            }
        }
        // The manager forgets the fork first, so a page told it ended finds it gone.
        onEnd?()
        for continuation in pending { continuation.resume(returning: (503, reason)) }
        for page in pages {
            page.yield(Self.endedNote(reason))
            page.finish()
        }
    }

    static let endedMessage = "Your copy of the session has ended."

    /// The note that tells a fork's pages it ended, and why.
    static func endedNote(_ reason: String) -> String {
        note(["type": "ended", "text": reason])
    }

    static func note(_ fields: [String: any Sendable]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// A wait status in words: "killed by signal 9", "exit status 3".
    static func describe(status: Int32) -> String {
        let signal = status & 0x7f
        if signal == 0 { return "exit status \((status >> 8) & 0xff)" }
        let name = [4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 9: "SIGKILL", 11: "SIGSEGV", 15: "SIGTERM"][Int(signal)]
        return "killed by signal \(signal)" + (name.map { " (\($0)\(signal == 9 ? ", e.g. out of memory" : ""))" } ?? "")
    }
}
