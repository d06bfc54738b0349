import CMalloc

/// How the process's allocator hands memory back, so that what a lesson frees is given back
/// to the system instead of kept for later (which `ps` and the machine count as in use).
///
/// glibc's default serves an allocation of a few megabytes from its heap once a block of that
/// size has been freed (its mmap threshold rises up to 32 MB as blocks are freed), and a heap
/// only shrinks from its top: after a cell that made and dropped a few `[1200, 10000]`
/// products, hundreds of megabytes stay with the process. Fixing the threshold at 4 MB keeps
/// every tensor that size or larger in its own mapping, returned the moment it is freed,
/// while the smaller blocks libraries allocate on every call (oneDNN's sgemm packs 1.5 MB
/// panels per product) keep coming from the heap: mapping those anew each time, with a
/// page fault per 4 KB, cost the training step 1.5%. What the heap keeps between cells is
/// given back by `returnFreedMemory`.
public enum AllocatorPolicy {
    /// Allocations at least this large get their own mapping.
    public static let mappingThreshold: Int32 = 4 << 20

    /// Sets the policy; call once at start, before threads allocate.
    public static func apply() {
        _ = mallopt(M_MMAP_THRESHOLD, mappingThreshold)
        // Freed memory above this at the top of a heap goes back at once.
        _ = mallopt(M_TRIM_THRESHOLD, 4 << 20)
    }

    /// Gives back what the allocator holds freed (between cells: a few milliseconds).
    public static func returnFreedMemory() {
        malloc_trim(0)
    }
}
