import Foundation

/// Lets go of scopes one after another instead of inside each other.
///
/// A closure keeps the scope it was made in, and that scope can hold the closure made before
/// it: `for _ in 0..<8_000_000 { let g = f; f = { g() + 1 } }` chains eight million scopes.
/// Swift frees such a chain by recursion, one set of frames per link, which overflows even a
/// large stack. So a scope that goes away hands its names to this queue, and the queue frees
/// them in a loop: a scope freed while the queue is draining only adds to it. One queue per
/// thread, since scopes are freed on whichever thread lets go of them last.
final class ReleaseQueue {
    private var pending: [(slots: [String: Environment.Slot], parent: Environment?)] = []
    private var draining = false

    /// Takes a scope's names and its parent (leaving them empty) and frees them, and whatever
    /// only they hold, without recursing into other scopes. Taken, not copied: a copy left with
    /// the caller would be freed by the caller, recursively, after the queue is done.
    func take(_ slots: inout [String: Environment.Slot], _ parent: inout Environment?) {
        pending.append((slots, parent))
        slots = [:]
        parent = nil
        guard !draining else { return }
        draining = true
        while let next = pending.popLast() {
            // `next` is freed at the end of each turn; scopes it held land in `pending`.
            _ = next
        }
        draining = false
    }

    /// This thread's queue.
    static var current: ReleaseQueue {
        if let stored = pthread_getspecific(key) {
            return Unmanaged<ReleaseQueue>.fromOpaque(stored).takeUnretainedValue()
        }
        let queue = ReleaseQueue()
        pthread_setspecific(key, Unmanaged.passRetained(queue).toOpaque())
        return queue
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { stored in
            guard let stored else { return }
            Unmanaged<ReleaseQueue>.fromOpaque(stored).release()
        }
        return key
    }()
}
