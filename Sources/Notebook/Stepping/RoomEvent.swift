import Foundation

/// What a page shows of one cell. The outputs come already drawn (`html`): the server draws
/// them, this layer only carries them.
public struct CellView: Equatable, Sendable {
    public var index: Int
    /// `pending`, `running`, `skipped`, or a finished cell's report status class.
    public var status: String
    public var prompt: String
    /// A few words after the prompt: the duration, "from the cache", "running…".
    public var state: String
    /// The outputs, drawn.
    public var html: String
    /// When the cell's outputs no longer hold (a cell before it ran again and changed what it
    /// reads): the changed names as readers know them, sorted; empty otherwise.
    public var stale: [String]

    public init(index: Int, status: String, prompt: String, state: String, html: String, stale: [String] = []) {
        self.index = index
        self.status = status
        self.prompt = prompt
        self.state = state
        self.html = html
        self.stale = stale
    }
}

/// An inline expression's value (`{swift} expr`) as pages show it in the prose.
public struct InlineView: Equatable, Sendable {
    /// `blockLine-ordinal`, the `data-inline` attribute of its place on the page.
    public var key: String
    /// The value, the error, or (pending) the expression's code.
    public var text: String
    public var failed: Bool
    /// Not reached any more (the reader went back before the cells above it): the page shows
    /// the code again, as before it had a value.
    public var pending: Bool

    public init(key: String, text: String, failed: Bool, pending: Bool = false) {
        self.key = key
        self.text = text
        self.failed = failed
        self.pending = pending
    }

    /// The views of expressions not reached, showing their code.
    public static func pending(_ expressions: [InlineExpression]) -> [InlineView] {
        expressions.map { InlineView(key: $0.key.attribute, text: $0.code, failed: false, pending: true) }
    }

    /// The views of `values`, in document order.
    public static func views(_ values: [InlineKey: InlineResult]) -> [InlineView] {
        values.sorted { ($0.key.blockLine, $0.key.ordinal) < ($1.key.blockLine, $1.key.ordinal) }.map { key, result in
            switch result {
            case .text(let text): InlineView(key: key.attribute, text: text, failed: false)
            case .failed(let message, _): InlineView(key: key.attribute, text: message, failed: true)
            }
        }
    }
}

extension InlineKey {
    /// How the page names the place: `12-0`.
    public var attribute: String { "\(blockLine)-\(ordinal)" }
}

/// A running cell's latest progress (a training epoch), as pages show it.
public struct ProgressView: Equatable, Sendable {
    public var cell: Int
    public var fraction: Double
    public var phase: String
    /// The progress line as the terminal shows it.
    public var text: String

    public init(cell: Int, fraction: Double, phase: String, text: String) {
        self.cell = cell
        self.fraction = fraction
        self.phase = phase
        self.text = text
    }
}

/// A cell's code as pages show it after an edit (or going back to the lesson's own).
public struct SourceView: Equatable, Sendable {
    public var cell: Int
    /// The code as typed, for an editor.
    public var code: String
    /// The code highlighted, as the page shows it.
    public var html: String
    /// False when the cell has the lesson's own code again.
    public var edited: Bool

    public init(cell: Int, code: String, html: String, edited: Bool) {
        self.cell = cell
        self.code = code
        self.html = html
        self.edited = edited
    }
}

/// How many pages a class has, for the presenter: every page connected (following or in a
/// fork), the forks open, and the cells running in forks now or waiting to.
public struct ClassCount: Equatable, Sendable {
    public var connected: Int
    public var forked: Int
    public var running: Int
    public var waiting: Int

    public init(connected: Int, forked: Int, running: Int, waiting: Int) {
        self.connected = connected
        self.forked = forked
        self.running = running
        self.waiting = waiting
    }
}

/// Everything a page needs to show the room as it is: the first event of every subscription.
public struct RoomPicture: Equatable, Sendable {
    public var position: Int
    /// The cell running now (0-based), if any.
    public var running: Int?
    public var slide: Int
    /// Problems with the lesson or the cache, for the presenter.
    public var notice: String?
    public var cells: [CellView]
    /// Solutions the presenter revealed: cell and highlighted source, by cell.
    public var revealed: [(cell: Int, html: String)]
    /// The running cell's latest progress and live chart.
    public var progress: ProgressView?
    public var chart: (cell: Int, html: String)?
    /// The inline values shown so far.
    public var inline: [InlineView] = []
    /// Cells whose code was edited (the presenter's live edits), by cell.
    public var sources: [SourceView] = []

    public init(position: Int, running: Int?, slide: Int, notice: String?, cells: [CellView],
                revealed: [(cell: Int, html: String)], progress: ProgressView?, chart: (cell: Int, html: String)?) {
        self.position = position
        self.running = running
        self.slide = slide
        self.notice = notice
        self.cells = cells
        self.revealed = revealed
        self.progress = progress
        self.chart = chart
    }

    public static func == (lhs: RoomPicture, rhs: RoomPicture) -> Bool {
        lhs.position == rhs.position && lhs.running == rhs.running && lhs.slide == rhs.slide
            && lhs.notice == rhs.notice && lhs.cells == rhs.cells && lhs.progress == rhs.progress
            && lhs.revealed.map(\.cell) == rhs.revealed.map(\.cell) && lhs.revealed.map(\.html) == rhs.revealed.map(\.html)
            && lhs.chart?.cell == rhs.chart?.cell && lhs.chart?.html == rhs.chart?.html && lhs.sources == rhs.sources
    }
}

/// What happens in a room, in order; every page that follows it gets each event, numbered.
public enum RoomEvent: Equatable, Sendable {
    /// The whole room (first event of a subscription).
    case state(RoomPicture)
    /// A cell's view changed (it started, finished, was skipped or went back to pending).
    case cell(CellView)
    /// Text the running cell wrote since the last text event.
    case text(cell: Int, text: String)
    /// A figure the running cell drew.
    case figure(cell: Int, html: String)
    case progress(ProgressView)
    /// The running cell's live training chart, redrawn.
    case chart(cell: Int, html: String)
    /// A hidden solution's source, now shown.
    case reveal(cell: Int, html: String)
    case slide(Int)
    case notice(String)
    /// Where the room stands, and which cell runs.
    case position(Int, running: Int?)
    /// An inline expression's value, evaluated when the lesson reached its prose.
    case inline(InlineView)
    /// A cell's code was edited (or went back to the lesson's).
    case source(SourceView)
    /// The class's pages and forks changed (the presenter's page shows them).
    case classCount(ClassCount)

    /// The event as one line of JSON, numbered `sequence` (the protocol pages read).
    public func json(sequence: Int) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(Numbered(event: self, sequence: sequence)) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    private struct Numbered: Encodable {
        let event: RoomEvent
        let sequence: Int

        func encode(to encoder: any Encoder) throws {
            var fields = encoder.container(keyedBy: Key.self)
            try fields.encode(sequence, forKey: "seq")
            try event.encodeFields(into: &fields)
        }
    }

    fileprivate func encodeFields(into fields: inout KeyedEncodingContainer<Key>, typed: Bool = true) throws {
        if typed { try fields.encode(typeName, forKey: "type") }
        switch self {
        case .state(let picture):
            try fields.encode(picture.position, forKey: "position")
            try fields.encode(picture.running, forKey: "running")
            try fields.encode(picture.slide, forKey: "slide")
            try fields.encode(picture.notice, forKey: "notice")
            var cells = fields.nestedUnkeyedContainer(forKey: "cells")
            for view in picture.cells { try cells.encode(Fields(RoomEvent.cell(view), typed: false)) }
            var revealed = fields.nestedUnkeyedContainer(forKey: "revealed")
            for (cell, html) in picture.revealed { try revealed.encode(Fields(.reveal(cell: cell, html: html), typed: false)) }
            var live = fields.nestedContainer(keyedBy: Key.self, forKey: "live")
            if let progress = picture.progress { try live.encode(Fields(.progress(progress), typed: true), forKey: "progress") }
            if let chart = picture.chart { try live.encode(Fields(.chart(cell: chart.cell, html: chart.html), typed: true), forKey: "chart") }
            var inline = fields.nestedUnkeyedContainer(forKey: "inline")
            for view in picture.inline { try inline.encode(Fields(.inline(view), typed: false)) }
            var sources = fields.nestedUnkeyedContainer(forKey: "sources")
            for view in picture.sources { try sources.encode(Fields(.source(view), typed: false)) }
        case .cell(let view):
            try fields.encode(view.index, forKey: "cell")
            try fields.encode(view.status, forKey: "status")
            try fields.encode(view.prompt, forKey: "prompt")
            try fields.encode(view.state, forKey: "state")
            try fields.encode(view.html, forKey: "html")
            try fields.encode(view.stale, forKey: "stale")
        case .text(let cell, let text):
            try fields.encode(cell, forKey: "cell")
            try fields.encode(text, forKey: "text")
        case .figure(let cell, let html), .chart(let cell, let html), .reveal(let cell, let html):
            try fields.encode(cell, forKey: "cell")
            try fields.encode(html, forKey: "html")
        case .progress(let progress):
            try fields.encode(progress.cell, forKey: "cell")
            try fields.encode(progress.fraction, forKey: "fraction")
            try fields.encode(progress.phase, forKey: "phase")
            try fields.encode(progress.text, forKey: "text")
        case .slide(let index):
            try fields.encode(index, forKey: "slide")
        case .notice(let text):
            try fields.encode(text, forKey: "text")
        case .position(let position, let running):
            try fields.encode(position, forKey: "position")
            try fields.encode(running, forKey: "running")
        case .inline(let view):
            try fields.encode(view.key, forKey: "key")
            try fields.encode(view.text, forKey: "text")
            try fields.encode(view.failed, forKey: "failed")
            if view.pending { try fields.encode(true, forKey: "pending") }
        case .source(let view):
            try fields.encode(view.cell, forKey: "cell")
            try fields.encode(view.code, forKey: "code")
            try fields.encode(view.html, forKey: "html")
            try fields.encode(view.edited, forKey: "edited")
        case .classCount(let count):
            try fields.encode(count.connected, forKey: "connected")
            try fields.encode(count.forked, forKey: "forked")
            try fields.encode(count.running, forKey: "running")
            try fields.encode(count.waiting, forKey: "waiting")
        }
    }

    private var typeName: String {
        switch self {
        case .state: return "state"
        case .cell: return "cell"
        case .text: return "text"
        case .figure: return "figure"
        case .progress: return "progress"
        case .chart: return "chart"
        case .reveal: return "reveal"
        case .slide: return "slide"
        case .notice: return "notice"
        case .position: return "position"
        case .inline: return "inline"
        case .source: return "source"
        case .classCount: return "class"
        }
    }

    /// An event's fields nested in the state: with or without its `type`, never numbered.
    private struct Fields: Encodable {
        let event: RoomEvent
        let typed: Bool

        init(_ event: RoomEvent, typed: Bool) {
            self.event = event
            self.typed = typed
        }

        func encode(to encoder: any Encoder) throws {
            var fields = encoder.container(keyedBy: Key.self)
            try event.encodeFields(into: &fields, typed: typed)
        }
    }
}

/// A JSON field name.
private struct Key: CodingKey, ExpressibleByStringLiteral {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
    init(stringLiteral value: String) { self.stringValue = value }
}
