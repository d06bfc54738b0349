#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fixed-size, zero-initialised buffer owned by the training path.
///
/// The fast path preallocates every activation and gradient once per batch
/// shape and works on raw pointers, so no step allocates. The memory comes from `calloc`:
/// a large buffer is mapped zero pages that take no memory until written, so a per-shard
/// embedding gradient of which a batch touches a few rows costs those rows only.
final class Buffer<Element: Numeric> {
    let pointer: UnsafeMutablePointer<Element>
    let count: Int

    init(count: Int) {
        self.count = count
        let slots = Swift.max(count, 1)
        guard let memory = calloc(slots, MemoryLayout<Element>.stride) else {
            // Out of address space: the same trap allocation itself would give.
            preconditionFailure("cannot allocate \(slots) training buffer elements")
        }
        pointer = memory.bindMemory(to: Element.self, capacity: slots)
    }

    deinit {
        free(pointer)
    }

    /// Sets every element to zero.
    func zero() {
        pointer.update(repeating: 0, count: count)
    }

    /// Pointer to element `offset`.
    subscript(offset: Int) -> UnsafeMutablePointer<Element> {
        pointer + offset
    }
}

typealias FloatBuffer = Buffer<Float>
