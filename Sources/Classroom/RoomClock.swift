import Dispatch
import Foundation

/// The time a room goes by: for throttling progress and for sending gathered text a moment
/// later. Tests drive one by hand (no sleeps, no timing windows).
public protocol RoomClock: Sendable {
    /// Seconds since some fixed moment.
    var now: TimeInterval { get }
    /// Runs `action` once, `seconds` from now, on some other thread.
    func schedule(after seconds: TimeInterval, _ action: @escaping @Sendable () -> Void)
}

/// The machine's clock: uptime, and Dispatch's timers.
public struct SystemRoomClock: RoomClock {
    public init() {}

    public var now: TimeInterval { ProcessInfo.processInfo.systemUptime }

    public func schedule(after seconds: TimeInterval, _ action: @escaping @Sendable () -> Void) {
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: action)
    }
}
