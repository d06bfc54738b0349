import Foundation

/// How many event streams one address (one student's machine) may hold open at once. Each
/// page keeps one open (a forked page two), so a few tabs stay well inside it; a script that
/// opens thousands to wear the server down is refused (429) past it.
final class StreamQuota: @unchecked Sendable {
    // @unchecked: `open` is guarded by `lock`.
    private let lock = NSLock()
    private var open: [String: Int] = [:]
    /// 0: no limit.
    let perAddress: Int

    init(perAddress: Int) {
        self.perAddress = perAddress
    }

    /// One stream held: given back when the ticket goes, however the response ended (even one
    /// whose body never ran, because the page was gone before it started).
    final class Ticket: Sendable {
        private let quota: StreamQuota
        private let address: String?

        fileprivate init(quota: StreamQuota, address: String?) {
            self.quota = quota
            self.address = address
        }

        deinit { quota.release(address) }
    }

    /// Takes one stream for `address` (nil: not counted); nil when it holds `perAddress` already.
    func take(_ address: String?) -> Ticket? {
        guard let address, perAddress > 0 else { return Ticket(quota: self, address: nil) }
        let taken = lock.withLock { () -> Bool in
            guard open[address, default: 0] < perAddress else { return false }
            open[address, default: 0] += 1
            return true
        }
        return taken ? Ticket(quota: self, address: address) : nil
    }

    private func release(_ address: String?) {
        guard let address, perAddress > 0 else { return }
        lock.withLock {
            let left = open[address, default: 0] - 1
            open[address] = left > 0 ? left : nil
        }
    }

    /// Streams open now for `address`.
    func count(_ address: String) -> Int {
        lock.withLock { open[address, default: 0] }
    }
}
