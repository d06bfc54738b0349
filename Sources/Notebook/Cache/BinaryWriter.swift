import Bytes
import Foundation

/// The cache's byte format on `ByteWriter`'s layout: strings, blobs and arrays behind a 64-bit
/// length or count, optionals behind a presence byte.
///
/// The same writer builds cache entries and the preimage of cache keys, so a key's fields can
/// never run into each other (`"ab" + "c"` and `"a" + "bc"` encode differently).
struct BinaryWriter {
    private var writer = ByteWriter()

    var data: Data { writer.data }

    mutating func uint8(_ value: UInt8) { writer.uint8(value) }
    mutating func uint32(_ value: UInt32) { writer.uint32(value) }
    mutating func uint64(_ value: UInt64) { writer.uint64(value) }
    mutating func int(_ value: Int) { writer.int(value) }
    mutating func double(_ value: Double) { writer.double(value) }
    mutating func bool(_ value: Bool) { writer.bool(value) }

    /// Bytes as they are, with no length: for magic numbers and checksums of known size.
    mutating func raw(_ bytes: Data) { writer.raw(bytes) }

    /// A length, then the bytes.
    mutating func blob(_ bytes: Data) {
        writer.uint64(UInt64(bytes.count))
        writer.raw(bytes)
    }

    /// The UTF-8 bytes behind their length.
    mutating func string(_ text: String) {
        writer.uint64(UInt64(text.utf8.count))
        writer.raw(text.utf8)
    }

    /// A presence byte (0 or 1), then the value when there is one.
    mutating func optional<Value>(_ value: Value?, _ write: (inout BinaryWriter, Value) -> Void) {
        bool(value != nil)
        if let value { write(&self, value) }
    }

    /// A count, then each element.
    mutating func array<Element>(_ elements: [Element], _ write: (inout BinaryWriter, Element) -> Void) {
        uint64(UInt64(elements.count))
        for element in elements { write(&self, element) }
    }
}
