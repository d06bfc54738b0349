import Bytes
import Foundation

/// Why bytes could not be read back as a cache entry; the reason ends up in `CacheLookup.invalid`.
struct CacheFormatError: Error, Sendable {
    var reason: String

    init(_ reason: String) {
        self.reason = reason
    }
}

/// Reads what `BinaryWriter` wrote, on `ByteReader`: every length, count and tag is checked
/// against the bytes that are left, so a corrupt or truncated file throws instead of trapping
/// or allocating gigabytes for a length it never had.
struct BinaryReader {
    private var reader: ByteReader

    init(_ data: Data) {
        reader = ByteReader([UInt8](data))
    }

    var offset: Int { reader.offset }
    var remaining: Int { reader.remaining }
    var isAtEnd: Bool { reader.isAtEnd }

    /// Runs one read, its error in the cache's terms.
    private mutating func read<Value>(_ body: (inout ByteReader) throws(ByteFormatError) -> Value) throws(CacheFormatError) -> Value {
        do {
            return try body(&reader)
        } catch {
            throw CacheFormatError(error.reason)
        }
    }

    /// The next `count` bytes.
    mutating func raw(_ count: Int) throws(CacheFormatError) -> Data {
        try read { (reader: inout ByteReader) throws(ByteFormatError) in Data(try reader.take(count, "a field")) }
    }

    mutating func uint8() throws(CacheFormatError) -> UInt8 {
        try read { (reader: inout ByteReader) throws(ByteFormatError) in try reader.uint8("a byte") }
    }

    mutating func uint32() throws(CacheFormatError) -> UInt32 {
        try read { (reader: inout ByteReader) throws(ByteFormatError) in try reader.uint32("a 32-bit word") }
    }

    mutating func uint64() throws(CacheFormatError) -> UInt64 {
        try read { (reader: inout ByteReader) throws(ByteFormatError) in try reader.uint64("a 64-bit word") }
    }

    mutating func int() throws(CacheFormatError) -> Int {
        try read { (reader: inout ByteReader) throws(ByteFormatError) in try reader.int("an integer") }
    }

    mutating func double() throws(CacheFormatError) -> Double {
        try read { (reader: inout ByteReader) throws(ByteFormatError) in try reader.double("a number") }
    }

    mutating func bool() throws(CacheFormatError) -> Bool {
        try read { (reader: inout ByteReader) throws(ByteFormatError) in try reader.bool("a boolean") }
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
