import Foundation
import Notebook

/// What a page's subscription delivers: the room's events, numbered, as JSON, and now and
/// then a keep-alive so a connection that died is noticed.
public enum RoomFeedItem: Equatable, Sendable {
    case event(sequence: Int, json: String)
    case keepAlive
}

/// The pages following a room: numbers each event, sends it to every subscriber, and drops a
/// subscriber whose reader fell too far behind (its stream ends; the page reconnects and
/// starts again from a fresh state). Text a running cell writes is gathered for
/// `textDelay` and sent as one event, before any other event.
///
/// Not thread-safe by itself: the room calls it with its lock held, so events go out in the
/// order the room decides them.
final class RoomEventHub {
    /// Events a subscriber may have waiting before it is dropped.
    static let bufferLimit = 4096
    /// How long text is gathered before it is sent (a cell printing in a tight loop would
    /// otherwise send an event per line).
    static let textDelay: TimeInterval = 0.05

    private(set) var sequence = 0
    private var subscribers: [Int: AsyncStream<RoomFeedItem>.Continuation] = [:]
    private var nextSubscriber = 0
    private var pendingText: (cell: Int, text: String)?
    /// Whether a send of the gathered text is scheduled.
    private(set) var textFlushScheduled = false
    private(set) var closed = false

    var count: Int { subscribers.count }

    /// A new subscriber whose stream starts with `first` (the room's state, numbered with the
    /// current sequence). `onEnd` runs when the stream ends for any reason.
    func subscribe(first: RoomEvent, onEnd: @escaping @Sendable (Int) -> Void)
        -> (id: Int, events: AsyncStream<RoomFeedItem>) {
        let (stream, continuation) = AsyncStream<RoomFeedItem>.makeStream(bufferingPolicy: .bufferingOldest(Self.bufferLimit))
        let id = nextSubscriber
        nextSubscriber += 1
        guard !closed else {
            continuation.finish()
            return (id, stream)
        }
        flushText()
        continuation.yield(.event(sequence: sequence, json: first.json(sequence: sequence)))
        subscribers[id] = continuation
        continuation.onTermination = { _ in onEnd(id) }
        return (id, stream)
    }

    func unsubscribe(_ id: Int) {
        subscribers.removeValue(forKey: id)?.finish()
    }

    /// Sends `event` to every subscriber, after any text gathered before it.
    func publish(_ event: RoomEvent) {
        flushText()
        emit(event)
    }

    /// Gathers `text` written by `cell`; true when the caller should schedule `flushText` in
    /// `textDelay` (no send is scheduled yet).
    func gather(_ text: String, from cell: Int) -> Bool {
        if let pending = pendingText, pending.cell != cell { flushText() }
        pendingText = (cell, (pendingText?.text ?? "") + text)
        guard !textFlushScheduled else { return false }
        textFlushScheduled = true
        return true
    }

    /// Sends the text gathered since the last text event, if any.
    func flushText() {
        textFlushScheduled = false
        guard let pending = pendingText, !pending.text.isEmpty else { return }
        pendingText = nil
        emit(.text(cell: pending.cell, text: pending.text))
    }

    /// A keep-alive to every subscriber, so dead connections are noticed and dropped.
    func heartbeat() {
        for (id, continuation) in subscribers {
            if case .dropped = continuation.yield(.keepAlive) { unsubscribe(id) }
        }
    }

    /// Ends every stream; later subscribers get an ended stream.
    func close() {
        closed = true
        let ending = subscribers.values
        subscribers.removeAll()
        for continuation in ending { continuation.finish() }
    }

    private func emit(_ event: RoomEvent) {
        sequence += 1
        let item = RoomFeedItem.event(sequence: sequence, json: event.json(sequence: sequence))
        for (id, continuation) in subscribers {
            if case .dropped = continuation.yield(item) { unsubscribe(id) }
        }
    }
}
