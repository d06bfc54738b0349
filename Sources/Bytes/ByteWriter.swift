/// Appends values in the one little-endian byte layout every saved file of `lesson` uses
/// (cache entries, cache keys, saved sessions): fixed-width integers, doubles and floats as
/// their IEEE bit patterns, booleans as 0 or 1, and runs of 4-byte scalars copied in one go.
/// Formats built on it choose their own length prefixes and tags.
public struct ByteWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func uint8(_ value: UInt8) {
        bytes.append(value)
    }

    public mutating func bool(_ value: Bool) {
        bytes.append(value ? 1 : 0)
    }

    public mutating func uint32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    public mutating func uint64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    /// As a 64-bit two's-complement integer.
    public mutating func int(_ value: Int) {
        uint64(UInt64(bitPattern: Int64(value)))
    }

    public mutating func double(_ value: Double) {
        uint64(value.bitPattern)
    }

    public mutating func float(_ value: Float) {
        uint32(value.bitPattern)
    }

    /// Bytes as they are, with no length.
    public mutating func raw<Bytes: Sequence>(_ other: Bytes) where Bytes.Element == UInt8 {
        bytes.append(contentsOf: other)
    }

    public mutating func append(_ other: ByteWriter) {
        bytes += other.bytes
    }

    /// 4-byte scalars (Float32 or Int32) as little-endian words, copied in one go on
    /// little-endian machines (a model's weights are millions of them).
    public mutating func scalars32<Scalar: FixedWidthInteger>(_ values: [Scalar]) {
        precondition(MemoryLayout<Scalar>.size == 4, "4-byte scalars only")
        #if _endian(little)
        values.withUnsafeBytes { bytes += $0 }
        #else
        for value in values { uint32(UInt32(truncatingIfNeeded: value)) }
        #endif
    }

    public mutating func floats32(_ values: [Float]) {
        #if _endian(little)
        values.withUnsafeBytes { bytes += $0 }
        #else
        for value in values { uint32(value.bitPattern) }
        #endif
    }
}
