import CMalloc
import Foundation
import Synchronization

/// A request that would take the process past its memory limit.
public struct MemoryLimitError: Error, Equatable, CustomStringConvertible, Sendable {
    /// What needed the memory, e.g. `matmul: the result [100000, 100000]`.
    public var what: String
    /// Bytes the request needs on its own; nil when the process as a whole is over the limit.
    public var bytes: Int?
    /// The process's resident memory when it was refused.
    public var inUse: Int
    public var limit: Int

    public var description: String {
        let limitText = "the limit is \(MemoryBudget.text(limit))"
        guard let bytes else {
            return "\(what): the session is using \(MemoryBudget.text(inUse)) of memory; \(limitText)"
        }
        if bytes > limit { return "\(what) would need \(MemoryBudget.text(bytes)); \(limitText)" }
        return "\(what) would need \(MemoryBudget.text(bytes)) more, with \(MemoryBudget.text(inUse)) in use; \(limitText)"
    }
}

/// How much memory code run for other people may use, and the checks against it.
///
/// Every allocation whose size comes from a cell (a product's result, a broadcast, a lookup, a
/// repeated string, a concatenation) asks `reserve` first, so a cell that would need 40 GB ends
/// with an error instead of the process being killed; loops that grow memory a little at a time
/// are caught by `checkInUse`, which the interpreter calls every few thousand steps. "In use"
/// is the process's resident memory (`/proc/self/statm`, a few microseconds to read).
///
/// The budget in force is `MemoryBudget.current`, bound for the duration of a cell on the
/// thread that runs it (a task-local value, kept in thread-local storage outside tasks), so
/// sessions and tests each have their own; code with none bound is not limited.
public final class MemoryBudget: Sendable {
    /// The most resident memory the process may reach, in bytes.
    public let limit: Int
    /// Bytes reserved in small requests since the resident size was last read.
    private let unchecked = Atomic<Int>(0)

    public init(limit: Int) {
        self.limit = max(limit, 0)
    }

    /// The budget of the code running on this thread; nil for none.
    @TaskLocal public static var current: MemoryBudget?

    /// Requests below this do not read the resident size on their own; once small requests add
    /// up to it, the next one does. (`checkInUse` catches allocations that never ask.)
    static let smallRequest = 1 << 20
    static let smallRequestsBetweenChecks = 64 << 20

    /// Checks that `bytes` more fit under the current budget (always, when none is bound).
    /// - Throws: `MemoryLimitError` when they do not; nothing is allocated by this call.
    public static func reserve(_ bytes: Int, for what: @autoclosure () -> String) throws(MemoryLimitError) {
        guard let budget = current else { return }
        try budget.reserve(bytes, for: what())
    }

    private func reserve(_ bytes: Int, for what: @autoclosure () -> String) throws(MemoryLimitError) {
        guard bytes <= limit else {
            throw MemoryLimitError(what: what(), bytes: bytes, inUse: Self.residentBytes, limit: limit)
        }
        if bytes < Self.smallRequest {
            let pending = unchecked.add(bytes, ordering: .relaxed).newValue
            guard pending >= Self.smallRequestsBetweenChecks else { return }
        }
        unchecked.store(0, ordering: .relaxed)
        let inUse = Self.residentBytesAfterReturningFreeMemory(ifOver: limit - bytes)
        guard inUse <= limit - bytes else { throw MemoryLimitError(what: what(), bytes: bytes, inUse: inUse, limit: limit) }
    }

    /// Checks `count` elements of `stride` bytes, the multiplication itself checked too.
    public static func reserve(count: Int, stride: Int, for what: @autoclosure () -> String) throws(MemoryLimitError) {
        let (bytes, overflow) = max(count, 0).multipliedReportingOverflow(by: stride)
        try reserve(overflow ? Int.max : bytes, for: what())
    }

    /// Checks that the process as a whole is still under the current budget.
    public static func checkInUse(_ what: @autoclosure () -> String) throws(MemoryLimitError) {
        guard let limit = current?.limit else { return }
        let inUse = residentBytesAfterReturningFreeMemory(ifOver: limit)
        guard inUse <= limit else { throw MemoryLimitError(what: what(), bytes: nil, inUse: inUse, limit: limit) }
    }

    /// The resident size; when it is over `threshold`, freed memory the allocator still holds is
    /// given back first, so a session that freed what it used is not refused for it.
    private static func residentBytesAfterReturningFreeMemory(ifOver threshold: Int) -> Int {
        let first = residentBytes
        guard first > threshold else { return first }
        malloc_trim(0)
        return residentBytes
    }

    /// The process's resident memory in bytes (0 if it cannot be read).
    public static var residentBytes: Int {
        let descriptor = open("/proc/self/statm", O_RDONLY)
        guard descriptor >= 0 else { return 0 }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 128)
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return 0 }
        let fields = buffer[..<count].split(separator: UInt8(ascii: " "))
        guard fields.count > 1, let pages = Int(String(decoding: fields[1], as: UTF8.self)) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    // MARK: The default

    /// What the machine and the process allow, for `defaultLimit`.
    public struct Facts: Equatable, Sendable {
        public var physical: Int
        /// `RLIMIT_AS` (`ulimit -v`), nil when unlimited.
        public var addressSpace: Int?
        /// The cgroup's `memory.max`, nil when unlimited or absent.
        public var cgroup: Int?

        public init(physical: Int, addressSpace: Int?, cgroup: Int?) {
            self.physical = physical
            self.addressSpace = addressSpace
            self.cgroup = cgroup
        }

        /// This machine's and this process's.
        public static var current: Facts {
            var limit = rlimit()
            let addressSpace: Int? = getrlimit(Int32(RLIMIT_AS.rawValue), &limit) == 0 && limit.rlim_cur != rlim_t.max
                ? Int(clamping: limit.rlim_cur) : nil
            let cgroup = firstLine(of: "/sys/fs/cgroup/memory.max").flatMap { Int($0) }
            return Facts(physical: Int(clamping: ProcessInfo.processInfo.physicalMemory),
                         addressSpace: addressSpace, cgroup: cgroup)
        }
    }

    /// Three quarters of physical memory, but under an address-space limit (`ulimit -v`) 2 GB
    /// less than it (thread stacks, the allocator's arenas and the program itself take address
    /// space that is never resident), and under a cgroup limit a tenth less than it.
    public static func defaultLimit(_ facts: Facts = .current) -> Int {
        var limit = facts.physical / 4 * 3
        if let addressSpace = facts.addressSpace { limit = min(limit, addressSpace - (2 << 30)) }
        if let cgroup = facts.cgroup { limit = min(limit, cgroup - cgroup / 10) }
        return max(limit, 256 << 20)
    }

    /// `1.5 GB`, `300 MB`, `12 KB`, `7 bytes`.
    public static func text(_ bytes: Int) -> String {
        let units: [(String, Double)] = [("GB", 1e9), ("MB", 1e6), ("KB", 1e3)]
        for (name, size) in units where Double(bytes) >= size {
            let value = Double(bytes) / size
            return (value >= 100 ? String(format: "%.0f", value) : String(format: "%.1f", value)) + " " + name
        }
        return "\(bytes) bytes"
    }

    private static func firstLine(of path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").first.map(String.init)
    }
}
