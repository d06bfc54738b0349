import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Notebook
import ServiceLifecycle

/// `lesson serve`'s web server: the lesson's page, its events, and the presenter's commands.
///
/// - `GET /` the page; `GET /api/events` the room's events (Server-Sent Events);
///   `GET /api/state` the whole state as JSON; `GET /api/whoami` whether the request
///   carries the presenter's token.
/// - `POST /api/run|skip|back|reset|interrupt`, `POST /api/run-to {"cell": n}` (0-based),
///   `POST /api/reveal {"cell": n}` (a hidden solution), `POST /api/slide {"slide": n}`: the
///   presenter's commands, which need the token in the `X-Lesson-Token` header; everyone else
///   gets 403. Bodies are read strictly (`CommandRequest`), numbers checked by the room.
/// - `POST /api/edit {"cell": n, "source": "code"}`, `POST /api/discard {"cell": n}`: the
///   presenter's live edits (every page sees the code); `POST /api/save-cell {"cell": n}` writes
///   the edit into the lesson file (`ServedNotebook`).
/// - Students' forks (`ForkManager`): `POST /api/fork` makes one for the page that asks and
///   answers its secret; `GET /api/fork/events?key=SECRET` its events;
///   `POST /api/fork/<action>` (the secret in `X-Lesson-Fork`) the same commands as the
///   presenter's, edits and `close` included, but no slides or solutions;
///   `GET /api/fork/download?key=SECRET` the lesson with the fork's edits. A secret that names
///   no fork gets 404, whatever it is.
/// - `GET /<path>` a file the lesson's prose links (`LessonFiles`); 404 for anything else.
///
/// Request bodies over `maxBodyBytes` get 413, addresses over `maxURIBytes` 414. When bound to
/// a loopback address, requests must name a loopback host (`LoopbackHost`), so a page elsewhere
/// cannot reach the server through a DNS name that points here.
public final class LessonServer: Sendable {
    public struct Settings: Sendable {
        public var host: String
        /// 0 picks a free port (reported to `onStarted`).
        public var port: Int
        /// The presenter's secret; whoever sends it may run cells.
        public var token: String
        public var maxBodyBytes: Int
        /// The body of an edit (a cell's code as JSON) may be this large.
        public var maxEditBodyBytes: Int
        public var maxURIBytes: Int
        /// Seconds between keep-alive comments on event streams, which also notice closed pages.
        public var heartbeatSeconds: Double
        /// Event streams one address may hold open at once (0: no limit).
        public var streamsPerAddress: Int
        /// Whether requests from this machine (a loopback address) count against the per-address
        /// limits (`streamsPerAddress`, the forks' `forksPerAddress`). They do not by default:
        /// the presenter's machine, and a class simulated on one machine, are one address.
        public var limitsLoopback: Bool

        public init(host: String = "127.0.0.1", port: Int = 8000, token: String,
                    maxBodyBytes: Int = 4096, maxEditBodyBytes: Int = 512 << 10, maxURIBytes: Int = 2048,
                    heartbeatSeconds: Double = 15, streamsPerAddress: Int = 16, limitsLoopback: Bool = false) {
            self.streamsPerAddress = streamsPerAddress
            self.limitsLoopback = limitsLoopback
            self.host = host
            self.port = port
            self.token = token
            self.maxBodyBytes = maxBodyBytes
            self.maxEditBodyBytes = maxEditBodyBytes
            self.maxURIBytes = maxURIBytes
            self.heartbeatSeconds = heartbeatSeconds
        }

        /// The body limit for a request to `path`: edits carry a cell's code.
        func bodyLimit(path: String) -> Int {
            path.hasSuffix("/edit") ? maxEditBodyBytes : maxBodyBytes
        }
    }

    public let room: LessonRoom
    private let page: String
    private let settings: Settings
    private let files: LessonFiles
    /// Students' forks; nil when the server offers none.
    public let forks: ForkManager?
    /// The lesson file, for writing edits back and downloading forks; nil for neither.
    private let notebook: ServedNotebook?
    /// The event streams each address holds.
    private let streams: StreamQuota

    /// - Parameters:
    ///   - files: the files the page may load besides itself.
    ///   - forks: students' private copies of the session ("Try it from here").
    ///   - notebook: the lesson file, for the presenter's write-back and forks' downloads.
    public init(room: LessonRoom, page: String, files: LessonFiles, settings: Settings, forks: ForkManager? = nil,
                notebook: ServedNotebook? = nil) {
        self.room = room
        self.page = page
        self.files = files
        self.settings = settings
        streams = StreamQuota(perAddress: settings.streamsPerAddress)
        self.forks = forks
        self.notebook = notebook
    }

    /// A presenter token: 128 random bits as hex.
    public static func makeToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(format: "%08x", UInt32.random(in: .min ... .max, using: &generator)) }.joined()
    }

    /// Serves until SIGINT or SIGTERM, then closes the room (ending every event stream and
    /// stopping a running cell) and returns.
    /// - Parameter onStarted: called with the port once the server listens.
    public func run(onStarted: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        var logger = Logger(label: "lesson.serve")
        logger.logLevel = .error
        let configured = settings.port
        let app = Application(
            router: makeRouter(),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "lesson"),
            services: [RoomService(room: room, forks: forks, heartbeatSeconds: settings.heartbeatSeconds)],
            onServerRunning: { channel in onStarted(channel.localAddress?.port ?? configured) },
            logger: logger)
        let signals = ShutdownSignals(room: room, forks: forks)
        defer { signals.cancel() }
        defer { room.close() }
        defer { forks?.shutdown() }
        do {
            try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        } catch let error as IOError {
            throw Failure(error, host: settings.host, port: settings.port)
        }
    }

    /// Why the server could not listen, in words a teacher can act on.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String

        init(_ error: IOError, host: String, port: Int) {
            let address = "\(host):\(port)"
            switch error.errnoCode {
            case EADDRINUSE:
                description = "\(address) is already in use (another lesson serve?); --port 0 picks a free port"
            case EACCES:
                description = "not allowed to listen on \(address) (ports below 1024 need privileges); try --port 8000"
            case EADDRNOTAVAIL:
                description = "\(host) is not an address of this machine; try --host 127.0.0.1"
            default:
                description = "cannot listen on \(address): \(error)"
            }
        }
    }

    // MARK: Routes

    private func makeRouter() -> Router<ServerRequestContext> {
        let router = Router(context: ServerRequestContext.self)
        router.add(middleware: Guard(settings: settings))
        router.get("/") { _, _ in self.pageResponse() }
        router.get("/api/whoami") { request, _ in
            let count = self.room.classCount
            return Self.json(SessionInfo(presenter: self.isPresenter(request), followers: self.room.followerCount,
                                         connected: count.connected, forked: count.forked, running: count.running,
                                         forks: self.forks != nil))
        }
        router.post("/api/fork") { request, context in try await self.openFork(request, context: context) }
        router.get("/api/fork/events") { request, context in self.forkEvents(request, context: context) }
        router.get("/api/fork/download") { request, _ in self.forkDownload(request) }
        router.post("/api/fork/:action") { request, context in try await self.forkCommand(request, context: context) }
        router.post("/api/save-cell") { request, _ in try await self.saveCell(request) }
        router.get("/api/state") { _, _ in Self.json(text: self.room.stateJSON()) }
        router.get("/api/events") { _, context in self.eventStream(context: context) }
        router.post("/api/:action") { request, context in
            try await self.command(request, context: context)
        }
        router.get("/**") { request, _ in self.file(request) }
        return router
    }

    private func pageResponse() -> Response {
        var headers = Self.securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        // Inline style and script only; images from this server or data: URLs; nothing remote.
        headers[.contentSecurityPolicy] = "default-src 'none'; script-src 'unsafe-inline'; "
            + "style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: page)))
    }

    /// The address a request's limits count against; nil when they do not count it.
    private func counted(_ context: ServerRequestContext) -> String? {
        guard let address = context.remoteAddress else { return nil }
        return !settings.limitsLoopback && LoopbackHost.isLoopback(address: address) ? nil : address
    }

    /// 429 for an address holding as many event streams as it may.
    private func tooManyStreams() -> Response {
        Self.refusal(429, "This machine has \(streams.perAddress) live pages of this lesson open already, the most one "
                     + "may have: close some tabs.")
    }

    private func eventStream(context: ServerRequestContext) -> Response {
        guard let ticket = streams.take(counted(context)) else { return tooManyStreams() }
        let room = self.room
        let subscription = room.subscribe()
        var headers = Self.securityHeaders
        headers[.contentType] = "text/event-stream; charset=utf-8"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            // A closed page makes a write throw (a keep-alive at the latest): forget it then.
            defer {
                room.unsubscribe(subscription.id)
                withExtendedLifetime(ticket) {}
            }
            // Pages retry a lost stream after a second (the default is three).
            try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
            // Ends when the room closes (`ShutdownSignals`), so the server's shutdown, which
            // waits for every response, can finish.
            for await item in subscription.events {
                try await writer.write(ByteBuffer(string: Self.frame(item)))
            }
            try await writer.finish(nil)
        })
    }

    private func command(_ request: Request, context: ServerRequestContext) async throws -> Response {
        guard isPresenter(request) else {
            return Self.refusal(403, "Only the presenter can run cells: this page follows the presenter's session.")
        }
        let action = context.parameters.get("action") ?? ""
        guard let body = await Self.body(of: request, limit: settings.bodyLimit(path: request.uri.path)) else {
            return Self.refusal(413, "The request body is larger than \(settings.bodyLimit(path: request.uri.path)) bytes.")
        }
        let command: RoomCommand
        switch CommandRequest.parse(action: action, body: body) {
        case .success(let parsed): command = parsed
        case .failure(let refusal): return Self.refusal(refusal.status, refusal.description)
        }
        do {
            try room.perform(command)
        } catch {
            return Self.refusal(Self.status(of: error), error.description)
        }
        return Response(status: .accepted, headers: Self.securityHeaders)
    }

    /// The body of `request`, at most `limit` bytes; nil when it is longer.
    static func body(of request: Request, limit: Int) async -> Data? {
        var request = request
        guard let buffer = try? await request.collectBody(upTo: limit) else { return nil }
        return Data(buffer.readableBytesView)
    }

    // MARK: Forks

    /// The fork a request names, by the secret in its `X-Lesson-Fork` header or `key` query.
    private func forkSecret(_ request: Request) -> String? {
        if let name = HTTPField.Name(Self.forkHeader), let given = request.headers[name] { return given }
        return request.uri.queryParameters.get("key")
    }

    /// The header a forked page sends its fork's secret in.
    public static let forkHeader = "X-Lesson-Fork"

    /// `POST /api/fork`: a private copy of the session as it stands, for this page only.
    private func openFork(_ request: Request, context: ServerRequestContext) async throws -> Response {
        guard let forks else { return Self.refusal(404, "This server offers no private copies (started with --max-forks 0).") }
        if isPresenter(request) {
            return Self.refusal(409, "The presenter drives the class session; copies are for students.")
        }
        let owner = counted(context)
        let opened = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                do throws(ForkManager.Refusal) {
                    continuation.resume(returning: Result<(secret: String, start: Int), ForkManager.Refusal>.success(
                        try forks.open(owner: owner)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        switch opened {
        case .success(let fork): return Self.json(ForkInfo(secret: fork.secret, start: fork.start))
        case .failure(let refusal): return Self.refusal(refusal.status, refusal.message)
        }
    }

    /// What `POST /api/fork` answers: the fork's secret and the cell it starts at.
    struct ForkInfo: Encodable {
        let secret: String
        let start: Int
    }

    /// `GET /api/fork/events?key=…`: the fork's events, as the class's are sent.
    private func forkEvents(_ request: Request, context: ServerRequestContext) -> Response {
        guard let forks, let secret = forkSecret(request), forks.owns(secret) else {
            return Self.refusal(404, ForkManager.noFork)
        }
        guard let ticket = streams.take(counted(context)) else { return tooManyStreams() }
        guard let lines = forks.subscribe(secret) else { return Self.refusal(404, ForkManager.noFork) }
        var headers = Self.securityHeaders
        headers[.contentType] = "text/event-stream; charset=utf-8"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            defer { withExtendedLifetime(ticket) {} }
            try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
            // An empty line is a keep-alive, which also notices a page that went away.
            for await line in lines {
                try await writer.write(ByteBuffer(string: line.isEmpty ? ": keep-alive\n\n" : "data: \(line)\n\n"))
            }
            try await writer.finish(nil)
        })
    }

    /// `POST /api/fork/<action>`: a command in the fork the `X-Lesson-Fork` header names.
    private func forkCommand(_ request: Request, context: ServerRequestContext) async throws -> Response {
        guard let forks, let secret = forkSecret(request), forks.owns(secret) else {
            return Self.refusal(404, ForkManager.noFork)
        }
        let action = context.parameters.get("action") ?? ""
        if action == "close" {
            forks.close(secret)
            return Response(status: .accepted, headers: Self.securityHeaders)
        }
        guard let body = await Self.body(of: request, limit: settings.bodyLimit(path: request.uri.path)) else {
            return Self.refusal(413, "The request body is larger than \(settings.bodyLimit(path: request.uri.path)) bytes.")
        }
        let parsed: RoomCommand
        switch CommandRequest.parse(action: action, body: body) {
        case .success(.slide), .success(.reveal):
            return Self.refusal(403, "Only the presenter shows slides and solutions.")
        case .success(let command): parsed = command
        case .failure(let refusal): return Self.refusal(refusal.status, refusal.description)
        }
        let answer = await forks.command(secret, action: action, body: String(decoding: body, as: UTF8.self),
                                         parsed: parsed)
        guard answer.status == 202 else { return Self.refusal(answer.status, answer.message) }
        return Response(status: .accepted, headers: Self.securityHeaders)
    }

    /// `GET /api/fork/download?key=…`: the lesson with the fork's edits, as Markdown.
    private func forkDownload(_ request: Request) -> Response {
        guard let secret = forkSecret(request), let edits = forks?.edits(of: secret), let notebook else {
            return Self.refusal(404, ForkManager.noFork)
        }
        do {
            let text = try notebook.download(edits: edits)
            var headers = Self.securityHeaders
            headers[.contentType] = "text/markdown; charset=utf-8"
            headers[.contentDisposition] = "attachment; filename=\"\(notebook.downloadName)\""
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        } catch {
            return Self.refusal(error.status, error.description)
        }
    }

    /// `POST /api/save-cell {"cell": n}`: the presenter's edit of cell n written into the lesson file.
    private func saveCell(_ request: Request) async throws -> Response {
        guard isPresenter(request) else { return Self.refusal(403, "Only the presenter can change the lesson file.") }
        guard let notebook else { return Self.refusal(404, "This server does not write the lesson file.") }
        guard let body = await Self.body(of: request, limit: settings.maxBodyBytes),
              let fields = try? JSONDecoder().decode([String: Int].self, from: body), fields.count == 1,
              let cell = fields["cell"] else {
            return Self.refusal(400, "save-cell needs a JSON body {\"cell\": n}, n a whole number (0-based).")
        }
        guard let code = room.edits[cell] else {
            return Self.refusal(409, "Cell \(cell) has no edit to save.")
        }
        do {
            try notebook.writeBack(cell: cell, code: code)
        } catch {
            return Self.refusal(error.status, error.description)
        }
        return Response(status: .accepted, headers: Self.securityHeaders)
    }

    /// The HTTP status that says why the room refused a command.
    public static func status(of refusal: StepRefusal) -> Int {
        switch refusal.kind {
        case .badRequest: return 400
        case .conflict: return 409
        case .unavailable: return 503
        }
    }

    /// One item of a page's feed as a Server-Sent Events message: an event is one `data:`
    /// line (JSON escapes newlines), a keep-alive a comment.
    static func frame(_ item: RoomFeedItem) -> String {
        switch item {
        case .event(_, let json): return "data: \(json)\n\n"
        case .keepAlive: return ": keep-alive\n\n"
        }
    }

    /// A file the prose links; anything else is 404, in the same words whether or not it
    /// exists, so a request learns nothing about the folder.
    private func file(_ request: Request) -> Response {
        guard let url = files.file(forRequestPath: request.uri.path), let data = LessonFiles.contents(of: url) else {
            return Self.refusal(404, "No such file.")
        }
        var headers = Self.securityHeaders
        headers[.contentType] = LessonFiles.contentType(of: url)
        headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    // MARK: Helpers

    private func isPresenter(_ request: Request) -> Bool {
        guard let name = HTTPField.Name(Self.tokenHeader), let given = request.headers[name] else { return false }
        return Self.constantTimeEqual(given, settings.token)
    }

    /// The header the presenter's page sends its token in.
    public static let tokenHeader = "X-Lesson-Token"

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for (p, q) in zip(x, y) { difference |= p ^ q }
        return difference == 0
    }

    /// On every answer: never cached, never sniffed, no referrer sent on.
    static let securityHeaders: HTTPFields = {
        var fields: HTTPFields = [.cacheControl: "no-store", .xContentTypeOptions: "nosniff"]
        if let referrer = HTTPField.Name("Referrer-Policy") { fields[referrer] = "no-referrer" }
        return fields
    }()

    /// What `/api/session` answers: whether the asker is the presenter, and how many follow.
    struct SessionInfo: Encodable {
        let presenter: Bool
        let followers: Int
        /// Pages open (following or in a fork), forks, fork cells running.
        let connected: Int
        let forked: Int
        let running: Int
        /// Whether students may fork.
        let forks: Bool
    }

    static func json(_ value: some Encodable) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return json(text: (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}")
    }

    static func json(text: String) -> Response {
        var headers = securityHeaders
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func refusal(_ status: Int, _ message: String) -> Response {
        var headers = securityHeaders
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: HTTPResponse.Status(code: status), headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(string: message + "\n")))
    }
}

/// Refuses what no route should see: overlong addresses, bodies declared too large, a second
/// Host, and (on a loopback address) requests for a host that is not loopback.
private struct Guard: RouterMiddleware {
    typealias Context = ServerRequestContext
    let settings: LessonServer.Settings

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.description.utf8.count > settings.maxURIBytes {
            return LessonServer.refusal(414, "The address is longer than \(settings.maxURIBytes) bytes.")
        }
        let limit = settings.bodyLimit(path: request.uri.path)
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            return LessonServer.refusal(413, "The request body is larger than \(limit) bytes.")
        }
        // The first Host became the authority; one more is a request that names two hosts.
        if let host = HTTPField.Name("Host"), request.headers[host] != nil {
            return LessonServer.refusal(400, "A request names one host.")
        }
        if listensOnLoopback(context), !LoopbackHost.namesLoopback(authority: request.head.authority) {
            return LessonServer.refusal(403, "This server answers only requests addressed to this machine.")
        }
        return try await next(request, context)
    }

    /// Whether the socket the request came through listens on loopback only. The bound address
    /// decides, not `--host` as typed (`localhost`, or a machine name that resolves to
    /// 127.0.1.1, bind to loopback too); `--host` decides only if the address is unknown.
    private func listensOnLoopback(_ context: Context) -> Bool {
        LoopbackHost.isLoopback(address: context.listenerAddress ?? settings.host)
    }
}

/// A request's context, which also knows the address the server listens on (for `Guard`).
struct ServerRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The listening socket's address (`127.0.0.1`, `0.0.0.0`, `::1`); nil when unknown.
    let listenerAddress: String?
    /// The address the request came from; nil when unknown.
    let remoteAddress: String?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        // Connections are children of the listening channel; its address is what `--host` became.
        listenerAddress = source.channel.parent?.localAddress?.ipAddress
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }
}

/// Sends keep-alives while the server runs, and closes the room when it shuts down, so open
/// event streams end and the server can stop.
private struct RoomService: Service {
    let room: LessonRoom
    let forks: ForkManager?
    let heartbeatSeconds: Double

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while true {
                try await Task.sleep(nanoseconds: UInt64(heartbeatSeconds * 1e9))
                room.heartbeat()
                forks?.heartbeat()
                forks?.sweep()
            }
        }
        forks?.shutdown()
        room.close()
    }
}

/// Ctrl-C and SIGTERM, besides starting the server's graceful shutdown, close the room: that
/// ends the open event streams (the shutdown waits for them) and stops a running cell. A second
/// signal exits at once, should anything still hold the shutdown up.
private final class ShutdownSignals: @unchecked Sendable {
    // @unchecked: `sources` is filled in `init` and only cancelled after; `received` is read
    // and written with `lock` held.
    private var sources: [any DispatchSourceSignal] = []
    private let lock = NSLock()
    private var received = 0

    init(room: LessonRoom, forks: ForkManager?) {
        for number in [SIGINT, SIGTERM] {
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                let count = lock.withLock { () -> Int in
                    received += 1
                    return received
                }
                if count > 1 { exit(130) }
                // Ending the forks ends their pages' streams, which the shutdown waits for.
                forks?.shutdown()
                room.close()
            }
            source.resume()
            sources.append(source)
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
    }
}
