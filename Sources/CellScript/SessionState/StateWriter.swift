import Tensor

/// Appends the saved-session format's primitives to a byte buffer: little-endian
/// fixed-width integers, length-prefixed UTF-8 strings, raw Float32/Int32 tensors.
struct StateWriter {
    private(set) var bytes: [UInt8] = []

    mutating func byte(_ value: UInt8) {
        bytes.append(value)
    }

    mutating func bool(_ value: Bool) {
        bytes.append(value ? 1 : 0)
    }

    mutating func u32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func u64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    mutating func int(_ value: Int) {
        u64(UInt64(bitPattern: Int64(value)))
    }

    /// A count or length; the writer's callers never hold more than `UInt32.max` of anything
    /// a cell can build in memory, so a larger one is refused.
    mutating func count(_ value: Int) throws(SessionStateError) {
        guard value >= 0, value <= Int(UInt32.max) else {
            throw .unsupported("a collection of \(value) elements is too large to save")
        }
        u32(UInt32(value))
    }

    mutating func double(_ value: Double) {
        u64(value.bitPattern)
    }

    mutating func float(_ value: Float) {
        u32(value.bitPattern)
    }

    mutating func string(_ value: String) throws(SessionStateError) {
        let utf8 = Array(value.utf8)
        try count(utf8.count)
        bytes += utf8
    }

    mutating func optionalString(_ value: String?) throws(SessionStateError) {
        bool(value != nil)
        if let value { try string(value) }
    }

    mutating func append(_ other: StateWriter) {
        bytes += other.bytes
    }

    mutating func shape(_ shape: [Int]) throws(SessionStateError) {
        try count(shape.count)
        for extent in shape { try count(extent) }
    }

    /// Shape, then the scalars as raw little-endian Float32.
    mutating func tensor(_ tensor: Tensor) throws(SessionStateError) {
        try shape(tensor.shape)
        #if _endian(little)
        tensor.scalars.withUnsafeBytes { bytes += $0 }
        #else
        for scalar in tensor.scalars { u32(scalar.bitPattern) }
        #endif
    }

    /// Shape, then the scalars as raw little-endian Int32.
    mutating func intTensor(_ tensor: IntTensor) throws(SessionStateError) {
        try shape(tensor.shape)
        int32s(tensor.scalars)
    }

    /// Count, then the values as raw little-endian Int32.
    mutating func int32Array(_ values: [Int32]) throws(SessionStateError) {
        try count(values.count)
        int32s(values)
    }

    private mutating func int32s(_ values: [Int32]) {
        #if _endian(little)
        values.withUnsafeBytes { bytes += $0 }
        #else
        for value in values { u32(UInt32(bitPattern: value)) }
        #endif
    }

    mutating func generator(_ generator: RandomGenerator) {
        let state = generator.state
        for word in [state.0, state.1, state.2, state.3] { u64(word) }
    }
}
