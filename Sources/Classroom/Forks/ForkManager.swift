import Foundation
import Notebook

/// Students' private copies of the class session ("Try it from here"), each in a worker
/// process of its own, and the fair sharing of the machine's cores between them.
///
/// - **Forks.** The presenter's session is saved once per version of the room (`LessonRoom.
///   saveForFork`) into a private folder; a host process loads it (`ForkHost`) and forks a
///   worker per student. A worker's crash, runaway loop or memory bomb ends that worker only.
/// - **Identity.** A fork belongs to the page that made it: the page holds its 128-bit secret,
///   and every request about a fork names it by that secret alone, so no page can read, run or
///   stop another's fork.
/// - **Cores.** At most `maxRunning` cells run at once: one core is the presenter's, whose
///   commands never wait; the forks' cells share the rest in a first-come queue (a fork has
///   at most one command in it), and each waiting page is told its place.
/// - **Limits.** At most `maxForks` forks; one unused for `idleSeconds` (no command, nothing
///   running) is closed by `sweep()` and its memory freed.
public final class ForkManager: @unchecked Sendable {
    // @unchecked: `forks`, `queue`, `running`, `host` and `retired` are only touched with
    // `lock` held; `hostLock` serialises making hosts and forks.
    public struct Settings: Sendable {
        public var launch: WorkerLaunch
        /// A private folder (mode 0700) for saved sessions and the workers' scratch folders.
        public var folder: URL
        public var maxForks: Int
        public var idleSeconds: Double
        /// Cells that may run at once, the presenter's included (at least 2 lets forks run
        /// beside the presenter; with 1, forks still get one).
        public var maxRunning: Int
        /// Forks one address (one student's machine) may hold at once; 0 for no limit.
        public var forksPerAddress: Int

        public init(launch: WorkerLaunch, folder: URL, maxForks: Int = 40, idleSeconds: Double = 20 * 60,
                    maxRunning: Int = ProcessInfo.processInfo.activeProcessorCount, forksPerAddress: Int = 3) {
            self.launch = launch
            self.folder = folder
            self.maxForks = maxForks
            self.forksPerAddress = forksPerAddress
            self.idleSeconds = idleSeconds
            self.maxRunning = maxRunning
        }
    }

    /// Why a fork request was not carried out, as the page should hear it.
    public struct Refusal: Error, Sendable, Equatable {
        public let status: Int
        public let message: String
    }

    private let room: LessonRoom
    private let settings: Settings
    private let clock: any RoomClock
    private let lock = NSLock()
    private let hostLock = NSLock()
    private var forks: [String: ForkSession] = [:]
    private var host: ForkHost?
    /// The host new forks come from (tests: which forks share one).
    var currentHostID: ObjectIdentifier? { hostLock.withLock { host.map(ObjectIdentifier.init) } }
    private var retired: [ForkHost] = []
    /// Forks whose command waits for a core, first come first served, with the command.
    private var queue: [(fork: String, action: String, body: String)] = []
    /// Forks running a command that ran cells.
    private var running: Set<String> = []
    private var nextID = 0
    private var closed = false

    public init(room: LessonRoom, settings: Settings, clock: any RoomClock = SystemRoomClock()) {
        self.room = room
        self.settings = settings
        self.clock = clock
        room.updateForks(ClassCount(connected: 0, forked: 0, running: 0, waiting: 0))
    }

    /// The forks' share of the cores: one is kept for the presenter.
    var forkSlots: Int { max(settings.maxRunning - 1, 1) }

    // MARK: Making and ending forks

    /// Makes a fork of the class session as it stands; blocks while a host starts (the first
    /// fork of each version of the session), so call it off the server's event loop.
    /// - Parameter owner: the address of the machine asking, counted against `forksPerAddress`;
    ///   nil for one whose forks are not counted (this machine).
    /// - Returns: the fork's secret and the cell it starts at.
    public func open(owner: String? = nil) throws(Refusal) -> (secret: String, start: Int) {
        let (isClosed, isFull) = lock.withLock { (closed, forks.count >= settings.maxForks) }
        if isClosed { throw Refusal(status: 503, message: StepRefusal.closed.description) }
        if isFull {
            throw Refusal(status: 503, message: "The class is full: \(settings.maxForks) copies of the session are open, "
                          + "the most this server allows (--max-forks). Follow the presenter, or try again when someone leaves.")
        }
        if let refusal = lock.withLock({ ownerRefusal(owner) }) { throw refusal }
        hostLock.lock()
        defer { hostLock.unlock() }
        let host = try currentHost()
        let id = lock.withLock { () -> Int in
            nextID += 1
            return nextID
        }
        let started: (pid: Int32, socket: Int32)
        do {
            started = try host.fork(id: Int32(truncatingIfNeeded: id))
        } catch {
            throw Refusal(status: 503, message: "Could not start your copy of the session: \(error.description)")
        }
        let secret = LessonServer.makeToken()
        let fork = ForkSession(id: id, secret: secret, pid: started.pid, start: host.position, owner: owner,
                               host: ObjectIdentifier(host), socket: started.socket, now: clock.now)
        fork.onDone = { [weak self] _ in self?.finished(secret) }
        fork.onEnd = { [weak self] in self?.ended(secret) }
        let admitted = lock.withLock { () -> Bool in
            guard !closed, forks.count < settings.maxForks, ownerRefusal(owner) == nil else { return false }
            forks[secret] = fork
            return true
        }
        fork.listen()
        // The class's code as it stands: the presenter's live edits come into the copy too.
        for (cell, code) in room.edits.sorted(by: { $0.key < $1.key }) {
            guard let body = try? JSONEncoder().encode(EditBody(cell: cell, source: code)) else { continue }
            fork.sendCommand(action: "edit", body: String(decoding: body, as: UTF8.self))
            fork.recordEdit(cell, code: code)
        }
        guard admitted else {
            fork.close(reason: "The class is full.")
            throw Refusal(status: 503, message: "The class is full: try again when someone leaves.")
        }
        announce()
        return (secret, host.position)
    }

    /// The host for the session as it stands now, made when the room has changed since the last.
    /// With `hostLock` held.
    private func currentHost() throws(Refusal) -> ForkHost {
        if let host, host.version == room.version { return host }
        let saved: (position: Int, version: Int, state: Data)
        do {
            saved = try room.saveForFork()
        } catch .busy {
            throw Refusal(status: 409, message: "The presenter's cell is running: try again when it has finished.")
        } catch {
            throw Refusal(status: LessonServer.status(of: error), message: error.description)
        }
        if let host, host.version == saved.version { return host }
        let file = settings.folder.appendingPathComponent("session-\(saved.version).state")
        do {
            try saved.state.write(to: file, options: .atomic)
        } catch {
            throw Refusal(status: 503, message: "Could not save the session for your copy: \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(at: file) }
        let made: ForkHost
        do {
            made = try ForkHost(launch: settings.launch, snapshot: file, position: saved.position, version: saved.version,
                                onExit: { [weak self] pid, status in self?.workerExited(pid: pid, status: status) })
        } catch {
            throw Refusal(status: 503, message: "Could not start a worker for your copy: \(error.description)")
        }
        lock.withLock {
            if let old = host { retired.append(old) }
            host = made
        }
        retireIdleHosts()
        return made
    }

    /// Stops hosts no fork came from any more (not the current one).
    private func retireIdleHosts() {
        let stopping = lock.withLock { () -> [ForkHost] in
            let used = Set(forks.values.map(\.host))
            let idle = retired.filter { !used.contains(ObjectIdentifier($0)) }
            retired.removeAll { !used.contains(ObjectIdentifier($0)) }
            return idle
        }
        for host in stopping { host.stop() }
    }

    /// Why `owner` may not have another fork: it holds `forksPerAddress` already. Under `lock`.
    private func ownerRefusal(_ owner: String?) -> Refusal? {
        guard let owner, settings.forksPerAddress > 0,
              forks.values.filter({ $0.owner == owner }).count >= settings.forksPerAddress else { return nil }
        let count = settings.forksPerAddress
        return Refusal(status: 429, message: "This machine has \(count) cop\(count == 1 ? "y" : "ies") of the session open "
                       + "already, the most one may have (--forks-per-address): close one (Follow the class) to start another.")
    }

    /// Closes the fork `secret` names (the page went back to following, or the server stops).
    public func close(_ secret: String, reason: String = "You left your copy of the session.") {
        guard let fork = fork(secret) else { return }
        fork.close(reason: reason)
    }

    /// Closes forks nobody used for `idleSeconds` (nothing running or waiting).
    public func sweep() {
        let now = clock.now
        let idle = lock.withLock {
            forks.filter { secret, fork in
                !running.contains(secret) && !queue.contains { $0.fork == secret } && now - fork.lastActive >= settings.idleSeconds
            }.map(\.value)
        }
        let minutes = Int((settings.idleSeconds / 60).rounded())
        for fork in idle {
            fork.close(reason: "Your copy of the session was closed after \(minutes) minute\(minutes == 1 ? "" : "s") "
                       + "without use, to free its memory. Start a new one from the class session.")
        }
        if !idle.isEmpty { retireIdleHosts() }
    }

    /// Sends a keep-alive to every fork's pages, so connections that died are noticed.
    public func heartbeat() {
        for fork in lock.withLock({ Array(forks.values) }) { fork.note("") }
    }

    /// Ends every fork and host (the server is stopping).
    public func shutdown() {
        let (all, hosts) = lock.withLock { () -> ([ForkSession], [ForkHost]) in
            closed = true
            return (Array(forks.values), retired + (host.map { [$0] } ?? []))
        }
        for fork in all { fork.close(reason: StepRefusal.closed.description) }
        for host in hosts { host.stop() }
    }

    // MARK: Using a fork

    private func fork(_ secret: String) -> ForkSession? {
        lock.withLock {
            // Compare in constant time against every key, so timing tells nothing of a secret.
            var found: ForkSession?
            for (key, fork) in forks where LessonServer.constantTimeEqual(key, secret) { found = fork }
            return found
        }
    }

    /// Whether `secret` names an open fork.
    public func owns(_ secret: String) -> Bool { fork(secret) != nil }

    /// The cell the fork started at.
    public func start(of secret: String) -> Int? { fork(secret)?.start }

    /// The edits the fork's student made, for downloading.
    public func edits(of secret: String) -> [Int: String]? { fork(secret)?.edits }

    /// A page's view of the fork: its events as JSON lines; nil when `secret` names no fork.
    public func subscribe(_ secret: String) -> AsyncStream<String>? {
        guard let fork = fork(secret) else { return nil }
        fork.lastActive = clock.now
        let (_, lines) = fork.subscribe()
        announce()
        if let place = lock.withLock({ queue.firstIndex { $0.fork == secret } }) {
            fork.note(Self.queueNote(place + 1))
        }
        return lines
    }

    /// The actions that run cells: they wait for a core.
    public static let runningActions: Set<String> = ["run", "run-to", "run-again", "update"]

    /// Carries out a page's command in its fork (`action` and `body` already read by
    /// `CommandRequest`). Commands that run cells wait for a core: the answer is then 202 at
    /// once and the page learns its place in line from notes.
    /// - Parameter parsed: the command `CommandRequest` read from `body`, when the caller read it
    ///   already (an edit's body can be half a megabyte); read again otherwise.
    public func command(_ secret: String, action: String, body: String, parsed: RoomCommand? = nil) async
        -> (status: Int, message: String) {
        guard let fork = fork(secret) else { return (404, Self.noFork) }
        fork.lastActive = clock.now
        if action == "interrupt", let removed = dequeue(secret) {
            fork.note(Self.queueNote(0))
            return (202, removed)
        }
        if Self.runningActions.contains(action) {
            let busy = lock.withLock { running.contains(secret) || queue.contains { $0.fork == secret } }
            if busy { return (409, StepRefusal.busy.description) }
            let check = await fork.request(.check, action: action, body: body)
            guard check.status == 202 else { return check }
            enqueue(secret, action: action, body: body)
            return (202, "")
        }
        let answer = await fork.request(.command, action: action, body: body)
        if answer.status == 202, action == "edit" || action == "discard" {
            let command = parsed ?? (try? CommandRequest.parse(action: action, body: Data(body.utf8)).get())
            if case .edit(let cell, let code)? = command { fork.recordEdit(cell, code: code) }
        }
        return answer
    }

    static let noFork = "This page has no copy of the session (it was closed, or the server restarted): start a new one."

    private func enqueue(_ secret: String, action: String, body: String) {
        lock.withLock { queue.append((secret, action, body)) }
        dispatch()
    }

    /// Removes the fork's waiting command; what to tell the page, nil when none waited.
    private func dequeue(_ secret: String) -> String? {
        let removed = lock.withLock { () -> Bool in
            guard let index = queue.firstIndex(where: { $0.fork == secret }) else { return false }
            queue.remove(at: index)
            return true
        }
        guard removed else { return nil }
        dispatch()
        return "Your cell left the queue without running."
    }

    /// Starts waiting commands while cores are free, and tells every waiting page its place.
    private func dispatch() {
        let (starting, places) = lock.withLock { () -> ([(ForkSession, String, String)], [(ForkSession, Int)]) in
            var starting: [(ForkSession, String, String)] = []
            while running.count < forkSlots, !queue.isEmpty {
                let next = queue.removeFirst()
                guard let fork = forks[next.fork] else { continue }
                running.insert(next.fork)
                starting.append((fork, next.action, next.body))
            }
            let places = queue.enumerated().compactMap { place, item in forks[item.fork].map { ($0, place + 1) } }
            return (starting, places)
        }
        for (fork, action, body) in starting {
            fork.note(Self.queueNote(0))
            fork.sendCommand(action: action, body: body)
        }
        for (fork, place) in places { fork.note(Self.queueNote(place)) }
        announce()
    }

    /// The fork's command finished: its core goes to the next in line.
    private func finished(_ secret: String) {
        lock.withLock { _ = running.remove(secret) }
        if let fork = fork(secret) { fork.lastActive = clock.now }
        dispatch()
    }

    /// The fork's worker ended (closed, crashed or killed): forget it.
    private func ended(_ secret: String) {
        let fork = lock.withLock { () -> ForkSession? in
            running.remove(secret)
            queue.removeAll { $0.fork == secret }
            return forks.removeValue(forKey: secret)
        }
        if let fork {
            try? FileManager.default.removeItem(at: settings.folder.appendingPathComponent("fork-\(fork.id)"))
        }
        dispatch()
        retireIdleHosts()
    }

    private func workerExited(pid: Int32, status: Int32) {
        let fork = lock.withLock { forks.values.first { $0.pid == pid } }
        fork?.exited(status: status)
    }

    /// How the forks stand: pages in forks, forks, cells running and waiting.
    public var count: ClassCount {
        lock.withLock {
            ClassCount(connected: forks.values.reduce(0) { $0 + $1.pageCount }, forked: forks.count,
                       running: running.count, waiting: queue.count)
        }
    }

    private func announce() {
        room.updateForks(count)
    }

    /// The note that tells a page its place in the queue (0: not waiting).
    static func queueNote(_ place: Int) -> String {
        ForkSession.note(["type": "queue", "place": place])
    }
}
