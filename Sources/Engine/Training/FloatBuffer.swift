/// A fixed-size, zero-initialised buffer owned by the training path.
///
/// The fast path preallocates every activation and gradient once per batch
/// shape and works on raw pointers, so no step allocates.
final class Buffer<Element: Numeric> {
    let pointer: UnsafeMutablePointer<Element>
    let count: Int

    init(count: Int) {
        self.count = count
        pointer = .allocate(capacity: Swift.max(count, 1))
        pointer.initialize(repeating: 0, count: Swift.max(count, 1))
    }

    deinit {
        pointer.deallocate()
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
