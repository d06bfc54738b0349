import Bytes
import Foundation
import Tensor

/// The saved-session format on `ByteWriter`'s layout: counts and lengths as 32-bit words,
/// length-prefixed UTF-8 strings, tensors as a shape then raw Float32/Int32 scalars.
struct StateWriter {
    private var writer = ByteWriter()

    var data: Data { writer.data }

    mutating func byte(_ value: UInt8) { writer.uint8(value) }
    mutating func bool(_ value: Bool) { writer.bool(value) }
    mutating func u32(_ value: UInt32) { writer.uint32(value) }
    mutating func u64(_ value: UInt64) { writer.uint64(value) }
    mutating func int(_ value: Int) { writer.int(value) }
    mutating func double(_ value: Double) { writer.double(value) }
    mutating func float(_ value: Float) { writer.float(value) }

    /// A count or length; the writer's callers never hold more than `UInt32.max` of anything
    /// a cell can build in memory, so a larger one is refused.
    mutating func count(_ value: Int) throws(SessionStateError) {
        guard value >= 0, value <= Int(UInt32.max) else {
            throw .unsupported("a collection of \(value) elements is too large to save")
        }
        writer.uint32(UInt32(value))
    }

    mutating func string(_ value: String) throws(SessionStateError) {
        try count(value.utf8.count)
        writer.raw(value.utf8)
    }

    mutating func optionalString(_ value: String?) throws(SessionStateError) {
        bool(value != nil)
        if let value { try string(value) }
    }

    mutating func append(_ other: StateWriter) {
        writer.append(other.writer)
    }

    mutating func shape(_ shape: [Int]) throws(SessionStateError) {
        try count(shape.count)
        for extent in shape { try count(extent) }
    }

    /// Shape, then the scalars as raw little-endian Float32.
    mutating func tensor(_ tensor: Tensor) throws(SessionStateError) {
        try shape(tensor.shape)
        writer.floats32(tensor.scalars)
    }

    /// Shape, then the scalars as raw little-endian Int32.
    mutating func intTensor(_ tensor: IntTensor) throws(SessionStateError) {
        try shape(tensor.shape)
        writer.scalars32(tensor.scalars)
    }

    /// Count, then the values as raw little-endian Int32.
    mutating func int32Array(_ values: [Int32]) throws(SessionStateError) {
        try count(values.count)
        writer.scalars32(values)
    }

    mutating func generator(_ generator: RandomGenerator) {
        let state = generator.state
        for word in [state.0, state.1, state.2, state.3] { writer.uint64(word) }
    }
}
