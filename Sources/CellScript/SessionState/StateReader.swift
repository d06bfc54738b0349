import Bytes
import Foundation

/// Reads the saved-session format back, on `ByteReader`: every length is checked against the
/// bytes left before allocating, so corrupt input is a `.malformed` error, never a trap or a
/// huge allocation.
package struct StateReader {
    private var reader: ByteReader
    /// Where arrays written apart are read from; nil when the state has none.
    let blobs: (any StateBlobSource)?

    package init(_ bytes: [UInt8]) {
        reader = ByteReader(bytes)
        blobs = nil
    }

    init(_ bytes: [UInt8], blobs: (any StateBlobSource)?) {
        reader = ByteReader(bytes)
        self.blobs = blobs
    }

    package var offset: Int { reader.offset }
    package var remaining: Int { reader.remaining }

    /// Runs one read, its error in the saved session's terms.
    private mutating func read<Value>(_ body: (inout ByteReader) throws(ByteFormatError) -> Value) throws(SessionStateError) -> Value {
        do {
            return try body(&reader)
        } catch {
            throw .malformed(error.reason)
        }
    }

    package mutating func byte(_ what: String) throws(SessionStateError) -> UInt8 {
        try read { (reader: inout ByteReader) throws(ByteFormatError) in try reader.uint8(what) }
    }

    package mutating func bool(_ what: String) throws(SessionStateError) -> Bool {
        try read { (reader: inout ByteReader) throws(ByteFormatError) in try reader.bool(what) }
    }

    package mutating func u32(_ what: String) throws(SessionStateError) -> UInt32 {
        try read { (reader: inout ByteReader) throws(ByteFormatError) in try reader.uint32(what) }
    }

    package mutating func u64(_ what: String) throws(SessionStateError) -> UInt64 {
        try read { (reader: inout ByteReader) throws(ByteFormatError) in try reader.uint64(what) }
    }

    package mutating func int(_ what: String) throws(SessionStateError) -> Int {
        Int(Int64(bitPattern: try u64(what)))
    }

    package mutating func double(_ what: String) throws(SessionStateError) -> Double {
        try read { (reader: inout ByteReader) throws(ByteFormatError) in try reader.double(what) }
    }

    package mutating func float(_ what: String) throws(SessionStateError) -> Float {
        try read { (reader: inout ByteReader) throws(ByteFormatError) in try reader.float(what) }
    }

    /// A count of elements that each take at least `minimumSize` bytes: refused when the
    /// bytes left cannot hold that many.
    package mutating func count(_ what: String, minimumSize: Int) throws(SessionStateError) -> Int {
        let value = Int(try u32("the count of \(what)"))
        let (needed, overflow) = value.multipliedReportingOverflow(by: Swift.max(minimumSize, 0))
        guard !overflow, needed <= remaining else {
            throw .malformed("\(what): \(value) elements cannot fit in the \(remaining) bytes left")
        }
        return value
    }

    package mutating func string(_ what: String) throws(SessionStateError) -> String {
        let length = try count(what, minimumSize: 1)
        let bytes = try read { (reader: inout ByteReader) throws(ByteFormatError) in try reader.take(length, what) }
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            throw .malformed("\(what) is not UTF-8")
        }
        return text
    }

    package mutating func optionalString(_ what: String) throws(SessionStateError) -> String? {
        try bool("whether \(what) is present") ? try string(what) : nil
    }

    /// A shape whose element count, times `scalarSize` bytes, does not overflow (the values
    /// themselves are checked against what is left, or the blob holding them, when read).
    package mutating func shape(_ what: String, scalarSize: Int) throws(SessionStateError) -> (shape: [Int], count: Int) {
        let rank = try count("the shape of \(what)", minimumSize: 4)
        var shape: [Int] = []
        var total = 1
        for _ in 0..<rank {
            let extent = Int(try u32("an extent of \(what)"))
            let (product, overflow) = total.multipliedReportingOverflow(by: extent)
            guard !overflow else { throw .malformed("the shape of \(what) is too large") }
            shape.append(extent)
            total = product
        }
        let (_, overflow) = total.multipliedReportingOverflow(by: scalarSize)
        guard !overflow else { throw .malformed("the shape of \(what) is too large") }
        return (shape, total)
    }

    /// `count` Float32 values as `StateWriter.float32s` wrote them: inline (checked against
    /// the bytes left before anything is allocated) or in a blob (checked by its source).
    package mutating func float32s(_ count: Int, _ what: String) throws(SessionStateError) -> [Float] {
        if let blob = try blobReference(count, what) { return try blobValues(blob, count, what) }
        return try read { (reader: inout ByteReader) throws(ByteFormatError) in
            try reader.scalars32(count, what, zero: Float(0), Float.init(bitPattern:))
        }
    }

    package mutating func int32Array(_ what: String) throws(SessionStateError) -> [Int32] {
        // No minimum size: a large array's values are in a blob, not in the bytes left.
        try int32s(try count(what, minimumSize: 0), what)
    }

    package mutating func int32s(_ count: Int, _ what: String) throws(SessionStateError) -> [Int32] {
        if let blob = try blobReference(count, what) { return try blobValues(blob, count, what) }
        return try read { (reader: inout ByteReader) throws(ByteFormatError) in
            try reader.scalars32(count, what, zero: Int32(0), Int32.init(bitPattern:))
        }
    }

    /// The blob `count` 32-bit values are in, or nil when they follow inline.
    private mutating func blobReference(_ count: Int, _ what: String) throws(SessionStateError) -> StateBlobID? {
        switch try byte("how \(what) is stored") {
        case 0: return nil
        case 1:
            let checksum = try u64("the blob of \(what)")
            let (length, overflow) = count.multipliedReportingOverflow(by: 4)
            guard !overflow, length >= StateBlobCollector.threshold else {
                throw .malformed("\(what) is in a blob, but \(count) values are not kept apart")
            }
            return StateBlobID(checksum: checksum, length: length)
        case let other:
            throw .malformed("\(what) is stored in the unknown way \(other)")
        }
    }

    private func blobValues<Scalar>(_ id: StateBlobID, _ count: Int, _ what: String) throws(SessionStateError) -> [Scalar] {
        guard let blobs else { throw .malformed("\(what) is kept apart from the state, and no blobs were given to read it from") }
        // Before allocating: a corrupt state must not be able to ask for gigabytes.
        try blobs.check(id)
        var failure: SessionStateError?
        let values = [Scalar](unsafeUninitializedCapacity: count) { buffer, initialized in
            do throws(SessionStateError) {
                try blobs.read(id, into: UnsafeMutableRawBufferPointer(buffer))
                initialized = count
            } catch {
                failure = error
                // Not read: the elements are plain 32-bit values, so zero bytes are valid ones.
                UnsafeMutableRawBufferPointer(buffer).initializeMemory(as: UInt8.self, repeating: 0)
                initialized = count
            }
        }
        if let failure { throw failure }
        return values
    }
}
