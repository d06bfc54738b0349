import Foundation

/// Appends values in the one little-endian byte layout every saved file of `lesson` uses
/// (cache entries, cache keys, saved sessions): fixed-width integers, doubles and floats as
/// their IEEE bit patterns, booleans as 0 or 1, and runs of 4-byte scalars copied in one go.
/// Formats built on it choose their own length prefixes and tags.
public struct ByteWriter: Sendable {
    /// What was written. `Data`, so a cache entry of hundreds of megabytes is written out
    /// without another copy.
    public private(set) var data = Data()

    /// What was written, as an array.
    public var bytes: [UInt8] { [UInt8](data) }

    public init() {}

    public mutating func uint8(_ value: UInt8) {
        data.append(value)
    }

    public mutating func bool(_ value: Bool) {
        data.append(value ? 1 : 0)
    }

    public mutating func uint32(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { data.append($0.bindMemory(to: UInt8.self)) }
    }

    public mutating func uint64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { data.append($0.bindMemory(to: UInt8.self)) }
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
        data.append(contentsOf: other)
    }

    public mutating func append(_ other: ByteWriter) {
        data.append(other.data)
    }

    /// 4-byte scalars (Float32 or Int32) as little-endian words, copied in one go on
    /// little-endian machines (a model's weights are millions of them).
    public mutating func scalars32<Scalar: FixedWidthInteger>(_ values: [Scalar]) {
        precondition(MemoryLayout<Scalar>.size == 4, "4-byte scalars only")
        #if _endian(little)
        values.withUnsafeBytes { data.append($0.bindMemory(to: UInt8.self)) }
        #else
        for value in values { uint32(UInt32(truncatingIfNeeded: value)) }
        #endif
    }

    public mutating func floats32(_ values: [Float]) {
        #if _endian(little)
        values.withUnsafeBytes { data.append($0.bindMemory(to: UInt8.self)) }
        #else
        for value in values { uint32(value.bitPattern) }
        #endif
    }
}
