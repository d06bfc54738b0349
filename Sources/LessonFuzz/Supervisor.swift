import Foundation

/// Hands ranges of indices to worker processes and watches them: a worker that dies on an input
/// (a signal, a trap, an unexpected exit) or stops finishing inputs for `hangSeconds` (killed)
/// has that input saved as a crash or a hang, and a new worker goes on from the next index.
/// A crash never ends the run.
final class Supervisor {
    struct Settings {
        var start: Int
        var count: Int
        var jobs: Int
        var chunk: Int
        var limits: RunLimits
        /// Arguments every worker gets (seed, output folder, corpus, limits).
        var workerArguments: [String]
    }

    private let settings: Settings
    private let store: FindingStore
    private var next: Int
    private var slots: [WorkerProcess?]
    private(set) var tally = Tally()

    init(settings: Settings, store: FindingStore) {
        self.settings = settings
        self.store = store
        next = settings.start
        slots = Array(repeating: nil, count: max(settings.jobs, 1))
    }

    /// Runs every index; returns when all are done, or at once after Ctrl-C or SIGTERM (the
    /// workers are stopped, and the tally says how far the run got).
    func run() -> Tally {
        let end = settings.start + settings.count
        var lastReport = Date()
        let stop = StopRequest()
        while next < end || slots.contains(where: { $0 != nil }) {
            if stop.isRequested {
                for worker in slots.compactMap({ $0 }) { worker.kill(because: "stopped") }
                tally.interrupted = true
                Console.say("stopped by a signal; the summary covers the inputs done so far")
                break
            }
            for slot in slots.indices {
                if slots[slot] == nil, next < end {
                    let range = next..<min(next + settings.chunk, end)
                    next = range.upperBound
                    slots[slot] = spawn(slot: slot, range: range)
                }
                if let worker = slots[slot] { slots[slot] = watch(worker) }
            }
            if Date().timeIntervalSince(lastReport) >= 10 {
                lastReport = Date()
                Console.say(tally.progressLine(total: settings.count))
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return tally
    }

    private func spawn(slot: Int, range: Range<Int>) -> WorkerProcess? {
        guard !range.isEmpty else { return nil }
        let folder = store.root.appendingPathComponent("work/w\(slot)")
        do {
            return try WorkerProcess(slot: slot, folder: folder, range: range, arguments: settings.workerArguments)
        } catch {
            Console.say("cannot start a worker for \(range): \(error); skipping those inputs")
            return nil
        }
    }

    /// The worker still in the slot after looking at it: itself, its replacement, or nil when done.
    private func watch(_ worker: WorkerProcess) -> WorkerProcess? {
        collect(worker)
        if worker.isRunning {
            if worker.secondsSinceProgress > settings.limits.hangSeconds {
                worker.kill(because: "hang: no input finished for \(Int(settings.limits.hangSeconds)) s")
            } else if worker.residentBytes > settings.limits.killBytes {
                worker.kill(because: "crash: resident memory \(worker.residentBytes >> 20) MB, over the "
                            + "\(settings.limits.killBytes >> 20) MB the harness allows (budget \(settings.limits.memoryBytes >> 20) MB)")
            }
            return worker
        }
        Thread.sleep(forTimeInterval: 0.05)
        collect(worker)
        if worker.killedBecause == nil, worker.terminationReason == .exit, worker.terminationStatus == 0 { return nil }
        let index = currentIndex(worker)
        guard worker.range.contains(index) else {
            Console.say("worker \(worker.slot) died outside an input (status \(worker.terminationStatus)); skipping \(worker.range)")
            return nil
        }
        record(death: worker, index: index)
        return spawn(slot: worker.slot, range: (index + 1)..<worker.range.upperBound)
    }

    private func collect(_ worker: WorkerProcess) {
        let events = worker.drain()
        for finished in events.done { tally.finished(index: finished.index, milliseconds: finished.milliseconds) }
        for name in events.known { tally.known[name, default: 0] += 1 }
        for finding in events.findings {
            let kind = Finding.Kind(rawValue: finding.kind) ?? .invariant
            let message = FindingSummary.firstLine(in: URL(fileURLWithPath: finding.folder))
            tally.add(kind: kind, index: finding.index, folder: finding.folder, message: message)
        }
    }

    /// Saves the input a worker died on as a crash or a hang.
    private func record(death worker: WorkerProcess, index: Int) {
        let reason = worker.killedBecause
            ?? (worker.terminationReason == .uncaughtSignal ? "crash: signal \(worker.terminationStatus) (\(Self.signalName(worker.terminationStatus)))"
                : "crash: the worker exited with status \(worker.terminationStatus)")
        let kind: Finding.Kind = reason.hasPrefix("hang") ? .hang : .crash
        let tail = Self.tail(of: worker.folder.appendingPathComponent(WorkerFiles.stderr))
        let input = FuzzInput.load(from: worker.folder.appendingPathComponent(WorkerFiles.input))
        let message = reason + "\n" + FindingSummary.stackTop(tail)
        let folder = store.save(Finding(kind: kind, index: index, message: message), input: input, stderrTail: tail)
        tally.done += 1
        tally.add(kind: kind, index: index, folder: folder?.path ?? "-", message: message.replacingOccurrences(of: "\n", with: " | "))
    }

    private func currentIndex(_ worker: WorkerProcess) -> Int {
        let file = worker.folder.appendingPathComponent(WorkerFiles.current)
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// The last 12 KB of a file.
    static func tail(of file: URL) -> String {
        guard let data = try? Data(contentsOf: file) else { return "" }
        return String(decoding: data.suffix(12_288), as: UTF8.self)
    }

    static func signalName(_ signal: Int32) -> String {
        [4: "SIGILL, a Swift runtime trap", 5: "SIGTRAP, a Swift runtime trap", 6: "SIGABRT", 7: "SIGBUS",
         8: "SIGFPE", 9: "SIGKILL", 11: "SIGSEGV, often a stack overflow"][Int(signal)] ?? "signal"
    }
}

/// Ctrl-C or SIGTERM, noticed by the supervisor's loop instead of ending the process at once,
/// so the summary is still written.
final class StopRequest: @unchecked Sendable {
    // @unchecked: `sources` is filled in `init` and only kept alive after; `requested` is read
    // and written with `lock` held.
    private let lock = NSLock()
    private var requested = false
    private var sources: [DispatchSourceSignal] = []

    init() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [weak self] in self?.request() }
            source.resume()
            sources.append(source)
        }
    }

    var isRequested: Bool { lock.withLock { requested } }

    private func request() {
        lock.withLock { requested = true }
    }
}
