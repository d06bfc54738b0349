import CProcess
import Foundation

/// How to start a worker host: the `lesson` binary in its worker mode with the lesson's
/// options (`lesson worker NOTEBOOK ...`); the host adds `--snapshot FILE --position N`.
public struct WorkerLaunch: Sendable {
    public var executable: String
    public var arguments: [String]

    public init(executable: String, arguments: [String]) {
        self.executable = executable
        self.arguments = arguments
    }
}

/// A process that loaded the presenter's session once, from a saved state, and forks a worker
/// for each student who asks (fork(2): the copy costs only the pages a worker changes).
///
/// Its standard input is one end of a Unix socket pair; records (`HostRecord`) go both ways
/// on it, and each fork's own socket comes back attached to its `forked` record. A reader
/// thread takes the host's records: forks it answers, and workers that ended (`onExit`).
final class ForkHost: @unchecked Sendable {
    // @unchecked: `pending`, `ended`, `failure` and `isReady` are only touched with `arrived` held.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The session's version this host was made from (the room's, when it was saved).
    let version: Int
    /// Where the presenter stood: the first cell the forks run.
    let position: Int
    private let process: Process
    private let control: Int32
    private var pending: [Int32: (pid: Int32, socket: Int32)?] = [:]
    private let arrived = NSCondition()
    private var ended = false
    private var failure: String?
    private var isReady = false
    /// Called on the reader thread with a worker's pid and wait status when it ends.
    private let onExit: @Sendable (Int32, Int32) -> Void

    /// Starts the host on `snapshot` and waits until it loaded the session.
    /// - Throws: `Failure` with the host's own words when it could not start or load.
    init(launch: WorkerLaunch, snapshot: URL, position: Int, version: Int,
         onExit: @escaping @Sendable (Int32, Int32) -> Void) throws(Failure) {
        self.version = version
        self.position = position
        self.onExit = onExit
        var pair: [Int32] = [-1, -1]
        guard lesson_socket_pair(&pair) == 0 else {
            throw Failure(description: "cannot make a socket pair: \(String(cString: strerror(errno)))")
        }
        control = pair[0]
        process = Process()
        process.executableURL = URL(fileURLWithPath: launch.executable)
        process.arguments = launch.arguments + ["--snapshot", snapshot.path, "--position", String(position)]
        process.standardInput = FileHandle(fileDescriptor: pair[1], closeOnDealloc: false)
        do {
            try process.run()
        } catch {
            close(pair[0])
            close(pair[1])
            throw Failure(description: "cannot start \(launch.executable): \(error)")
        }
        close(pair[1])
        let thread = Thread { [self] in readRecords() }
        thread.name = "lesson.serve.host"
        thread.start()
        arrived.lock()
        while !isReady, !ended { arrived.wait() }
        let problem = failure
        let ok = isReady
        arrived.unlock()
        if !ok {
            throw Failure(description: problem ?? "the worker host ended before it loaded the session")
        }
    }

    /// Starts worker `id`; its pid and its socket (the caller closes it).
    func fork(id: Int32) throws(Failure) -> (pid: Int32, socket: Int32) {
        arrived.lock()
        defer { arrived.unlock() }
        guard !ended else { throw Failure(description: "the worker host has ended") }
        pending[id] = .some(nil)
        var record = lesson_record(kind: HostRecord.fork.rawValue, id: id, value: 0)
        guard lesson_send_record(control, &record, -1) == 0 else {
            pending[id] = nil
            throw Failure(description: "the worker host does not answer")
        }
        while !ended, case .some(.none) = pending[id] { arrived.wait() }
        guard let answer = pending.removeValue(forKey: id), let started = answer else {
            throw Failure(description: "the worker host ended while starting a worker")
        }
        return started
    }

    /// Asks the host to end (its workers go on until their sockets close).
    func stop() {
        arrived.lock()
        defer { arrived.unlock() }
        // After `ended` the reader closed the socket, and its number may belong to another file.
        if !ended { shutdown(control, Int32(SHUT_RDWR)) }
    }

    private func readRecords() {
        var record = lesson_record()
        var descriptor: Int32 = -1
        while lesson_receive_record(control, &record, &descriptor) == 1 {
            switch HostRecord(rawValue: record.kind) {
            case .ready:
                arrived.lock()
                isReady = true
                arrived.broadcast()
                arrived.unlock()
            case .forked:
                arrived.lock()
                if case .some(.none) = pending[record.id], descriptor >= 0 {
                    pending[record.id] = .some((pid: Int32(truncatingIfNeeded: record.value), socket: descriptor))
                    descriptor = -1
                }
                arrived.broadcast()
                arrived.unlock()
            case .exited:
                onExit(Int32(truncatingIfNeeded: record.value), record.id)
            case .failed:
                let length = Int(max(0, min(record.value, 64 << 10)))
                var bytes = [UInt8](repeating: 0, count: length)
                var got = 0
                while got < length {
                    let count = bytes.withUnsafeMutableBytes { raw -> Int in
                        guard let base = raw.baseAddress else { return 0 }
                        return read(control, base + got, length - got)
                    }
                    guard count > 0 else { break }
                    got += count
                }
                arrived.lock()
                failure = String(decoding: bytes[..<got], as: UTF8.self)
                arrived.unlock()
            case .fork, nil:
                break
            }
            if descriptor >= 0 { close(descriptor) }
            descriptor = -1
        }
        arrived.lock()
        ended = true
        close(control)
        arrived.broadcast()
        arrived.unlock()
        process.waitUntilExit()
    }
}
