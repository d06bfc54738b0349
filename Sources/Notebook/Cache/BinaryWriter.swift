import Foundation

/// Appends values in the cache's byte format: fixed-width little-endian integers, doubles as
/// their IEEE bit pattern, and strings, blobs and arrays behind a 64-bit length or count.
///
/// The same writer builds cache entries and the preimage of cache keys, so a key's fields can
/// never run into each other (`"ab" + "c"` and `"a" + "bc"` encode differently).
struct BinaryWriter {
    private(set) var data = Data()

    mutating func uint8(_ value: UInt8) {
        data.append(value)
    }

    mutating func uint32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) {
            data.append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
        }
    }

    mutating func uint64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) {
            data.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }

    mutating func int(_ value: Int) {
        uint64(UInt64(bitPattern: Int64(value)))
    }

    mutating func double(_ value: Double) {
        uint64(value.bitPattern)
    }

    mutating func bool(_ value: Bool) {
        uint8(value ? 1 : 0)
    }

    /// Bytes as they are, with no length: for magic numbers and checksums of known size.
    mutating func raw(_ bytes: Data) {
        data.append(bytes)
    }

    /// A length, then the bytes.
    mutating func blob(_ bytes: Data) {
        uint64(UInt64(bytes.count))
        data.append(bytes)
    }

    /// The UTF-8 bytes behind their length.
    mutating func string(_ text: String) {
        blob(Data(text.utf8))
    }

    /// A presence byte (0 or 1), then the value when there is one.
    mutating func optional<Value>(_ value: Value?, _ write: (inout BinaryWriter, Value) -> Void) {
        if let value {
            uint8(1)
            write(&self, value)
        } else {
            uint8(0)
        }
    }

    /// A count, then each element.
    mutating func array<Element>(_ elements: [Element], _ write: (inout BinaryWriter, Element) -> Void) {
        uint64(UInt64(elements.count))
        for element in elements {
            write(&self, element)
        }
    }
}
