import Foundation

/// One running worker as the supervisor sees it: the child process, its protocol lines read on
/// a thread of their own, when it last finished an input, and the range it still has to do.
final class WorkerProcess: @unchecked Sendable {
    // @unchecked: the fields the reading thread changes (`done`, `findings`, `known`,
    // `lastProgress`) are read and written with `lock` held; `killedBecause` only by the
    // supervisor's thread; the rest are set in `init`.
    let slot: Int
    let folder: URL
    let range: Range<Int>
    private let process = Process()
    private let lock = NSLock()
    private var lastProgress = Date()
    /// Inputs finished: index and milliseconds taken.
    private var done: [(index: Int, milliseconds: Int)] = []
    private var findings: [(index: Int, kind: String, folder: String)] = []
    private var known: [String] = []
    /// Why the supervisor killed it, when it did.
    var killedBecause: String?

    init(slot: Int, folder: URL, range: Range<Int>, arguments: [String]) throws {
        self.slot = slot
        self.folder = folder
        self.range = range
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let stderrPath = folder.appendingPathComponent(WorkerFiles.stderr).path
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        process.arguments = arguments + ["--worker", "--from", String(range.lowerBound), "--to", String(range.upperBound),
                                         "--worker-dir", folder.path]
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=yes,interactive=no,color=no,threads=crashed,limit=40,top=12"
        process.environment = environment
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let reader = Thread { [weak self] in self?.read(pipe.fileHandleForReading) }
        reader.start()
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    var terminationReason: Process.TerminationReason { process.terminationReason }
    var terminationStatus: Int32 { process.terminationStatus }

    /// Seconds since the worker last finished an input (or started).
    var secondsSinceProgress: TimeInterval {
        lock.withLock { Date().timeIntervalSince(lastProgress) }
    }

    /// The indices finished and findings reported since the last call.
    func drain() -> (done: [(index: Int, milliseconds: Int)], findings: [(index: Int, kind: String, folder: String)], known: [String]) {
        lock.withLock {
            defer { done = []; findings = []; known = [] }
            return (done, findings, known)
        }
    }

    func kill(because reason: String) {
        killedBecause = reason
        Foundation.kill(process.processIdentifier, SIGKILL)
    }

    /// The worker's resident memory in bytes, from /proc (0 when unreadable).
    var residentBytes: Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    private func read(_ handle: FileHandle) {
        var pending = ""
        while true {
            let data = handle.availableData
            if data.isEmpty { return }
            pending += String(decoding: data, as: UTF8.self)
            while let newline = pending.firstIndex(of: "\n") {
                receive(line: String(pending[..<newline]))
                pending = String(pending[pending.index(after: newline)...])
            }
        }
    }

    private func receive(line: String) {
        let parts = line.split(separator: " ", maxSplits: line.hasPrefix("known") ? 2 : 3).map(String.init)
        lock.withLock {
            if parts.count >= 2, parts[0] == "done", let index = Int(parts[1]) {
                done.append((index, parts.count >= 3 ? Int(parts[2]) ?? 0 : 0))
                lastProgress = Date()
            } else if parts.count >= 3, parts[0] == "known" {
                known.append(parts.dropFirst(2).joined(separator: " "))
            } else if parts.count == 4, parts[0] == "finding", let index = Int(parts[1]) {
                findings.append((index, parts[2], parts[3]))
            }
        }
    }
}
