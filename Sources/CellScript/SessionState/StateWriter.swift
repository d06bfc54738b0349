import Bytes
import Foundation

/// The saved-session format on `ByteWriter`'s layout: counts and lengths as 32-bit words,
/// length-prefixed UTF-8 strings, shapes, raw Float32/Int32 scalars. Libraries write their
/// own types (a tensor, a generator) from these.
package struct StateWriter {
    private var writer = ByteWriter()
    /// Where arrays of `StateBlobCollector.threshold` bytes or more go instead of inline; nil
    /// to write everything inline.
    let blobs: StateBlobCollector?

    package init() {
        blobs = nil
    }

    init(blobs: StateBlobCollector?) {
        self.blobs = blobs
    }

    package var data: Data { writer.data }

    package mutating func byte(_ value: UInt8) { writer.uint8(value) }
    package mutating func bool(_ value: Bool) { writer.bool(value) }
    package mutating func u32(_ value: UInt32) { writer.uint32(value) }
    package mutating func u64(_ value: UInt64) { writer.uint64(value) }
    package mutating func int(_ value: Int) { writer.int(value) }
    package mutating func double(_ value: Double) { writer.double(value) }
    package mutating func float(_ value: Float) { writer.float(value) }

    /// A count or length; the writer's callers never hold more than `UInt32.max` of anything
    /// a cell can build in memory, so a larger one is refused.
    package mutating func count(_ value: Int) throws(SessionStateError) {
        guard value >= 0, value <= Int(UInt32.max) else {
            throw .unsupported("a collection of \(value) elements is too large to save")
        }
        writer.uint32(UInt32(value))
    }

    package mutating func string(_ value: String) throws(SessionStateError) {
        try count(value.utf8.count)
        writer.raw(value.utf8)
    }

    package mutating func optionalString(_ value: String?) throws(SessionStateError) {
        bool(value != nil)
        if let value { try string(value) }
    }

    package mutating func append(_ other: StateWriter) {
        writer.append(other.writer)
    }

    package mutating func shape(_ shape: [Int]) throws(SessionStateError) {
        try count(shape.count)
        for extent in shape { try count(extent) }
    }

    /// The values, no count (write a shape or count first): a byte 0 and the values as raw
    /// little-endian Float32, or, for a large array when blobs are kept apart, a byte 1 and
    /// the checksum of the blob holding those bytes.
    package mutating func float32s(_ values: [Float]) {
        scalars(values, StateBlob.init(floats:)) { $0.floats32(values) }
    }

    /// The values as `float32s` writes them, as raw little-endian Int32.
    package mutating func int32s(_ values: [Int32]) {
        scalars(values, StateBlob.init(ints:)) { $0.scalars32(values) }
    }

    private mutating func scalars<Scalar>(_ values: [Scalar], _ blob: ([Scalar]) -> StateBlob,
                                          inline: (inout ByteWriter) -> Void) {
        if let blobs, values.count * 4 >= StateBlobCollector.threshold {
            writer.uint8(1)
            writer.uint64(blobs.add(blob(values)).checksum)
        } else {
            writer.uint8(0)
            inline(&writer)
        }
    }

    /// Count, then the values as `int32s` writes them.
    package mutating func int32Array(_ values: [Int32]) throws(SessionStateError) {
        try count(values.count)
        int32s(values)
    }
}
