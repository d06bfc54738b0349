/// Why bytes could not be read back: where, and what was wrong.
public struct ByteFormatError: Error, Equatable, Sendable, CustomStringConvertible {
    public let reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}

/// Reads what `ByteWriter` wrote, checking every read against the bytes left, so corrupt or
/// truncated input throws instead of trapping or allocating for a length it never had.
public struct ByteReader: Sendable {
    private let bytes: [UInt8]
    public private(set) var offset = 0

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public var remaining: Int { bytes.count - offset }
    public var isAtEnd: Bool { offset == bytes.count }

    /// The next `count` bytes; `what` names them in the error.
    public mutating func take(_ count: Int, _ what: String) throws(ByteFormatError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else {
            throw ByteFormatError("truncated: \(what) needs \(count) bytes at offset \(offset), but only \(remaining) remain")
        }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    public mutating func uint8(_ what: String) throws(ByteFormatError) -> UInt8 {
        try take(1, what).first ?? 0
    }

    public mutating func bool(_ what: String) throws(ByteFormatError) -> Bool {
        switch try uint8(what) {
        case 0: return false
        case 1: return true
        case let other: throw ByteFormatError("\(what): \(other) at offset \(offset - 1) is not a boolean")
        }
    }

    public mutating func uint32(_ what: String) throws(ByteFormatError) -> UInt32 {
        var value: UInt32 = 0
        for (index, byte) in try take(4, what).enumerated() { value |= UInt32(byte) << UInt32(8 * index) }
        return value
    }

    public mutating func uint64(_ what: String) throws(ByteFormatError) -> UInt64 {
        var value: UInt64 = 0
        for (index, byte) in try take(8, what).enumerated() { value |= UInt64(byte) << UInt64(8 * index) }
        return value
    }

    /// A 64-bit two's-complement integer that fits an `Int`.
    public mutating func int(_ what: String) throws(ByteFormatError) -> Int {
        let wide = Int64(bitPattern: try uint64(what))
        guard let value = Int(exactly: wide) else { throw ByteFormatError("\(what): integer \(wide) out of range") }
        return value
    }

    public mutating func double(_ what: String) throws(ByteFormatError) -> Double {
        Double(bitPattern: try uint64(what))
    }

    public mutating func float(_ what: String) throws(ByteFormatError) -> Float {
        Float(bitPattern: try uint32(what))
    }

    /// `count` 4-byte little-endian scalars, copied in one go on little-endian machines.
    public mutating func scalars32<Scalar>(_ count: Int, _ what: String, zero: Scalar,
                                           _ fromBits: (UInt32) -> Scalar) throws(ByteFormatError) -> [Scalar] {
        precondition(MemoryLayout<Scalar>.size == 4, "4-byte scalars only")
        let (size, overflow) = count.multipliedReportingOverflow(by: 4)
        guard !overflow else { throw ByteFormatError("\(what): \(count) scalars is too many") }
        let raw = try take(size, what)
        #if _endian(little)
        // Copied as bytes into uninitialised storage: no element-by-element fill first (a
        // model's weights are tens of millions of scalars).
        return [Scalar](unsafeUninitializedCapacity: count) { target, initialized in
            raw.withUnsafeBytes { source in UnsafeMutableRawBufferPointer(target).copyMemory(from: source) }
            initialized = count
        }
        #else
        var scalars = [Scalar](repeating: zero, count: count)
        for index in 0..<count {
            var bits: UInt32 = 0
            for byte in 0..<4 { bits |= UInt32(raw[raw.startIndex + 4 * index + byte]) << UInt32(8 * byte) }
            scalars[index] = fromBits(bits)
        }
        return scalars
        #endif
    }
}
