import Dispatch
import Foundation
import Synchronization

/// Turns the first Ctrl-C into a polite request to stop (checked between
/// iterations, so the run ends cleanly and keeps what it finished); a second
/// one ends the process at once.
final class Interrupt: @unchecked Sendable {
    // @unchecked: `source` is set once, in `init`, and only kept alive after; `requested` is atomic.
    private let requested = Atomic<Bool>(false)
    private var source: DispatchSourceSignal?

    /// - Parameters:
    ///   - message: printed on standard error at the first Ctrl-C.
    ///   - onRequest: called once, on a background queue, at the first Ctrl-C.
    init(message: String = "interrupt: stopping after this iteration (Ctrl-C again to stop at once)",
         onRequest: @escaping @Sendable () -> Void = {}) {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [self] in
            if requested.exchange(true, ordering: .relaxed) {
                FileHandle.standardError.write(Data("\ninterrupted again: stopping now\n".utf8))
                exit(130)
            }
            FileHandle.standardError.write(Data("\n\(message)\n".utf8))
            onRequest()
        }
        source.resume()
        self.source = source
    }

    var isRequested: Bool { requested.load(ordering: .relaxed) }
}
