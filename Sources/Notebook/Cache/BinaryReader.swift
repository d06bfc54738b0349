import Foundation

/// Why bytes could not be read back as a cache entry; the reason ends up in `CacheLookup.invalid`.
struct CacheFormatError: Error, Sendable {
    var reason: String

    init(_ reason: String) {
        self.reason = reason
    }
}

/// Reads what `BinaryWriter` wrote, checking every length, count and tag against the bytes
/// that are left, so a corrupt or truncated file throws instead of trapping or allocating
/// gigabytes for a length it never had.
struct BinaryReader {
    private let bytes: [UInt8]
    private(set) var offset = 0

    init(_ data: Data) {
        bytes = [UInt8](data)
    }

    var remaining: Int { bytes.count - offset }
    var isAtEnd: Bool { offset == bytes.count }

    /// The next `count` bytes.
    /// - Throws: when fewer than `count` are left.
    mutating func raw(_ count: Int) throws(CacheFormatError) -> Data {
        guard count >= 0, count <= remaining else {
            throw CacheFormatError("truncated: needed \(count) bytes at offset \(offset), \(remaining) left")
        }
        let slice = bytes[offset..<(offset + count)]
        offset += count
        return Data(slice)
    }

    mutating func uint8() throws(CacheFormatError) -> UInt8 {
        guard remaining >= 1 else { throw CacheFormatError("truncated at offset \(offset)") }
        let value = bytes[offset]
        offset += 1
        return value
    }

    mutating func uint32() throws(CacheFormatError) -> UInt32 {
        guard remaining >= 4 else { throw CacheFormatError("truncated at offset \(offset)") }
        var value: UInt32 = 0
        for index in 0..<4 {
            value |= UInt32(bytes[offset + index]) << UInt32(8 * index)
        }
        offset += 4
        return value
    }

    mutating func uint64() throws(CacheFormatError) -> UInt64 {
        guard remaining >= 8 else { throw CacheFormatError("truncated at offset \(offset)") }
        var value: UInt64 = 0
        for index in 0..<8 {
            value |= UInt64(bytes[offset + index]) << UInt64(8 * index)
        }
        offset += 8
        return value
    }

    mutating func int() throws(CacheFormatError) -> Int {
        let wide = Int64(bitPattern: try uint64())
        guard let value = Int(exactly: wide) else { throw CacheFormatError("integer \(wide) out of range") }
        return value
    }

    mutating func double() throws(CacheFormatError) -> Double {
        Double(bitPattern: try uint64())
    }

    mutating func bool() throws(CacheFormatError) -> Bool {
        let tag = try uint8()
        guard tag <= 1 else { throw CacheFormatError("bad boolean \(tag) at offset \(offset - 1)") }
        return tag == 1
    }

    /// A length no larger than what is left, then that many bytes.
    mutating func length() throws(CacheFormatError) -> Int {
        let value = try uint64()
        guard value <= UInt64(remaining) else {
            throw CacheFormatError("truncated: length \(value) at offset \(offset - 8), \(remaining) bytes left")
        }
        return Int(value)
    }

    mutating func blob() throws(CacheFormatError) -> Data {
        try raw(try length())
    }

    mutating func string() throws(CacheFormatError) -> String {
        let start = offset
        let data = try blob()
        guard let text = String(data: data, encoding: .utf8) else {
            throw CacheFormatError("text at offset \(start) is not UTF-8")
        }
        return text
    }

    mutating func optional<Value>(
        _ read: (inout BinaryReader) throws(CacheFormatError) -> Value
    ) throws(CacheFormatError) -> Value? {
        try bool() ? try read(&self) : nil
    }

    /// A count, then each element. Every element takes at least one byte, so a count larger
    /// than the bytes left is rejected before anything is allocated.
    mutating func array<Element>(
        _ read: (inout BinaryReader) throws(CacheFormatError) -> Element
    ) throws(CacheFormatError) -> [Element] {
        let count = try length()
        var elements: [Element] = []
        for _ in 0..<count {
            elements.append(try read(&self))
        }
        return elements
    }

    /// A one-byte tag that must be below `limit`, for enum cases.
    mutating func tag(below limit: UInt8, of what: String) throws(CacheFormatError) -> UInt8 {
        let value = try uint8()
        guard value < limit else {
            throw CacheFormatError("unknown \(what) tag \(value) at offset \(offset - 1)")
        }
        return value
    }
}
