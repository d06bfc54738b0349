import ArgumentParser
import CProcess
import CellScript
import Classroom
import Foundation
import Limits
import ModelAPI
import Notebook
import Synchronization

/// `lesson worker`: the host of students' forks, started by `lesson serve` (not by people).
///
/// It loads the lesson and the presenter's saved session (`--snapshot`, standing before cell
/// `--position`), says it is ready on its control socket (standard input), then forks one
/// worker per `fork` record: each worker gets a socket of its own, passed back to the server
/// with the record that names it, and serves one student's room over it (`ForkWorker`).
/// Workers that end are reaped here and reported with their wait status. The host ends when
/// the server closes the control socket; its workers go on until their own sockets close.
///
/// The host stays single-threaded until it forks (no Dispatch, no tasks, no cell run): a fork
/// keeps only the thread that called it, and libdispatch refuses to serve a child whose parent
/// already ran its threads. Each worker starts its own threads after the fork.
struct Worker: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Host students' private copies of a session for `lesson serve` (started by the server).",
        shouldDisplay: false)

    @ArgumentParser.Argument(help: ArgumentHelp("The notebook (a Markdown file).", valueName: "notebook"))
    var notebook: String

    @OptionGroup var inputs: NotebookInputs

    @Option(help: "The saved session to start from (the cache's state format).")
    var snapshot: String

    @Option(help: "The cell (0-based) the saved session stands before.")
    var position: Int

    @Option(help: "The folder each worker makes its private scratch folder in.")
    var scratch: String

    @Option(name: .customLong("fork-memory"), help: "Memory each worker's cells may add to what the session holds.")
    var forkMemory: String = "1GB"

    @Option(name: .customLong("time-limit"), help: "Seconds a worker's cell may run (unless the cell sets its own timeout).")
    var timeLimit: Double = 60

    @Flag(help: "A student session: solutions' outputs stay hidden unless the student edited them.")
    var student = false

    func run() throws {
        let control: Int32 = 0
        let loaded: (setup: ForkSetup, budget: Int)
        do {
            guard let budget = MemorySize.bytes(forkMemory) else { throw ValidationError("--fork-memory \(forkMemory)") }
            loaded = (try ForkSetup(notebook: notebook, inputs: inputs, snapshot: snapshot, position: position,
                                    timeLimit: timeLimit, student: student), budget)
        } catch {
            Self.report(failure: "\(error)", on: control)
            throw ExitCode(2)
        }
        var ready = lesson_record(kind: HostRecord.ready.rawValue, id: 0, value: 0)
        guard lesson_send_record(control, &ready, -1) == 0 else { throw ExitCode(2) }
        serve(control: control, setup: loaded.setup, budget: loaded.budget)
    }

    /// Forks a worker for every request until the server closes the control socket.
    private func serve(control: Int32, setup: ForkSetup, budget: Int) {
        var watch = pollfd(fd: control, events: Int16(POLLIN), revents: 0)
        while true {
            reap(control: control)
            let ready = poll(&watch, 1, 200)
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { continue }
            var record = lesson_record()
            var descriptor: Int32 = -1
            guard lesson_receive_record(control, &record, &descriptor) == 1 else { return }
            if descriptor >= 0 { close(descriptor) }
            guard HostRecord(rawValue: record.kind) == .fork else { continue }
            startWorker(id: record.id, control: control, setup: setup, budget: budget)
        }
    }

    private func startWorker(id: Int32, control: Int32, setup: ForkSetup, budget: Int) {
        var pair: [Int32] = [-1, -1]
        guard lesson_socket_pair(&pair) == 0 else { return }
        // Buffered output would be written twice, once by each process.
        fflush(nil)
        let pid = lesson_fork()
        if pid == 0 {
            close(control)
            close(pair[1])
            ForkWorker(socket: pair[0], id: Int(id), setup: setup, scratchRoot: URL(fileURLWithPath: scratch),
                       budget: budget).serve()
        }
        close(pair[0])
        if pid > 0 {
            var record = lesson_record(kind: HostRecord.forked.rawValue, id: id, value: Int64(pid))
            _ = lesson_send_record(control, &record, pair[1])
        }
        close(pair[1])
    }

    /// Reports every worker that ended since the last look.
    private func reap(control: Int32) {
        while true {
            var status: Int32 = 0
            let pid = waitpid(-1, &status, WNOHANG)
            guard pid > 0 else { return }
            var record = lesson_record(kind: HostRecord.exited.rawValue, id: status, value: Int64(pid))
            _ = lesson_send_record(control, &record, -1)
        }
    }

    /// Tells the server why the session could not be loaded.
    static func report(failure: String, on control: Int32) {
        let bytes = Array(failure.utf8.prefix(16 << 10))
        var record = lesson_record(kind: HostRecord.failed.rawValue, id: 0, value: Int64(bytes.count))
        guard lesson_send_record(control, &record, -1) == 0 else { return }
        writeAll(control, Data(bytes))
    }
}

/// The lesson loaded in a worker host, at the presenter's cell, with the presenter's session.
struct ForkSetup {
    let document: NotebookDocument
    let executor: NotebookExecutor
    let stepper: NotebookStepper
    let library: ModelAPI
    let hiddenCells: Set<Int>

    init(notebook: String, inputs: NotebookInputs, snapshot: String, position: Int, timeLimit: Double,
         student: Bool) throws {
        let url = URL(fileURLWithPath: notebook)
        let (document, text) = try NotebookFile.load(notebook)
        self.document = document
        library = NotebookRunning.library(document, at: url, dataDirectory: inputs.dataDirectory, seed: inputs.seed,
                                          dataLog: DataLog())
        executor = NotebookExecutor(document: document, text: text, libraries: [library])
        executor.defaultTimeLimit = timeLimit
        stepper = NotebookStepper(document: document, executor: executor, params: try inputs.parsedParams())
        let state = try Data(contentsOf: URL(fileURLWithPath: snapshot))
        try stepper.start(at: position, state: state)
        hiddenCells = student ? Set(document.exercises.map { $0.cell.index - 1 }) : []
    }
}

/// One student's fork: a room of its own over its socket, in a process of its own.
struct ForkWorker {
    let socket: Int32
    let id: Int
    let setup: ForkSetup
    let scratchRoot: URL
    let budget: Int

    /// Serves the server's requests until the socket closes, then exits.
    func serve() -> Never {
        // Under memory pressure the kernel ends a worker before the server.
        try? "1000".write(toFile: "/proc/self/oom_score_adj", atomically: false, encoding: .utf8)
        let scratch = scratchRoot.appendingPathComponent("fork-\(id)", isDirectory: true)
        try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        let scope = setup.library.files
        setup.library.files = FileScope(lessonFolder: scope.lessonFolder, reportFolder: scope.reportFolder,
                                        readOnlyFolders: scope.readOnlyFolders, scratch: scratch)
        setup.executor.memoryBudget = MemoryBudget(limit: MemoryBudget.residentBytes + budget)
        let room = LessonRoom(stepper: setup.stepper, executor: setup.executor, slideCount: 1,
                              hiddenCells: setup.hiddenCells)
        let output = ReportWriter(socket: socket)
        // The command that runs cells now: its `done` goes out before the news that it finished.
        let runningCommand = Mutex<Int?>(nil)
        room.onCommandFinished = {
            if let id = runningCommand.withLock({ $0.take() }) { output.send(WorkerReport(done: id)) }
        }
        var subscriptions: [Int: Int] = [:]
        var reader = LineReader(descriptor: socket, limit: 1 << 20)
        let decoder = JSONDecoder()
        while let line = reader.next() {
            guard let request = try? decoder.decode(WorkerRequest.self, from: line) else { continue }
            switch request.kind {
            case .subscribe:
                guard let key = request.subscription else { continue }
                let subscription = room.subscribe()
                subscriptions[key] = subscription.id
                Task.detached {
                    for await item in subscription.events {
                        if case .event(_, let json) = item { output.send(WorkerReport(subscription: key, event: json)) }
                    }
                }
            case .unsubscribe:
                if let key = request.subscription, let id = subscriptions.removeValue(forKey: key) { room.unsubscribe(id) }
            case .check, .command:
                let action = request.action ?? ""
                let command: RoomCommand
                switch CommandRequest.parse(action: action, body: Data((request.body ?? "").utf8)) {
                case .success(let parsed): command = parsed
                case .failure(let refusal):
                    output.send(WorkerReport(reply: request.id, status: refusal.status, message: refusal.description))
                    continue
                }
                let runsCells = request.kind == .command && ForkManager.runningActions.contains(action)
                if runsCells { runningCommand.withLock { $0 = request.id } }
                let refusal = request.kind == .check ? room.refusal(for: command) : Self.perform(command, in: room)
                if let refusal {
                    if runsCells {
                        runningCommand.withLock { $0 = nil }
                        // Refused after its turn came: its core is free again at once.
                        output.send(WorkerReport(done: request.id))
                    }
                    output.send(WorkerReport(reply: request.id, status: LessonServer.status(of: refusal),
                                             message: refusal.description))
                    continue
                }
                output.send(WorkerReport(reply: request.id, status: 202))
            }
        }
        room.close()
        try? FileManager.default.removeItem(at: scratch)
        exit(0)
    }

    private static func perform(_ command: RoomCommand, in room: LessonRoom) -> StepRefusal? {
        do {
            try room.perform(command)
            return nil
        } catch {
            return error
        }
    }
}

/// Writes reports to the server one whole line at a time, from any thread.
private final class ReportWriter: Sendable {
    private let socket: Int32
    private let lock = NSLock()

    init(socket: Int32) {
        self.socket = socket
    }

    func send(_ report: WorkerReport) {
        lock.withLock { _ = writeAll(socket, report.line) }
    }
}
