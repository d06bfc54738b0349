import Foundation
import Tensor

/// Reads the saved-session format's primitives back, checking every length against the
/// bytes left before allocating, so corrupt input is a `.malformed` error, never a trap
/// or a huge allocation.
struct StateReader {
    private let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var remaining: Int { bytes.count - offset }

    private mutating func take(_ count: Int, _ what: String) throws(SessionStateError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else {
            throw .malformed("\(what) needs \(count) bytes at offset \(offset), but only \(remaining) remain")
        }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    mutating func byte(_ what: String) throws(SessionStateError) -> UInt8 {
        guard let value = try take(1, what).first else { throw .malformed("\(what) is missing") }
        return value
    }

    mutating func bool(_ what: String) throws(SessionStateError) -> Bool {
        switch try byte(what) {
        case 0: return false
        case 1: return true
        case let other: throw .malformed("\(what): \(other) is not a boolean")
        }
    }

    mutating func u32(_ what: String) throws(SessionStateError) -> UInt32 {
        var value: UInt32 = 0
        for (index, byte) in try take(4, what).enumerated() { value |= UInt32(byte) << UInt32(8 * index) }
        return value
    }

    mutating func u64(_ what: String) throws(SessionStateError) -> UInt64 {
        var value: UInt64 = 0
        for (index, byte) in try take(8, what).enumerated() { value |= UInt64(byte) << UInt64(8 * index) }
        return value
    }

    mutating func int(_ what: String) throws(SessionStateError) -> Int {
        Int(Int64(bitPattern: try u64(what)))
    }

    mutating func double(_ what: String) throws(SessionStateError) -> Double {
        Double(bitPattern: try u64(what))
    }

    mutating func float(_ what: String) throws(SessionStateError) -> Float {
        Float(bitPattern: try u32(what))
    }

    /// A count of elements that each take at least `minimumSize` bytes: refused when the
    /// bytes left cannot hold that many.
    mutating func count(_ what: String, minimumSize: Int) throws(SessionStateError) -> Int {
        let value = Int(try u32("the count of \(what)"))
        let (needed, overflow) = value.multipliedReportingOverflow(by: Swift.max(minimumSize, 0))
        guard !overflow, needed <= remaining else {
            throw .malformed("\(what): \(value) elements cannot fit in the \(remaining) bytes left")
        }
        return value
    }

    mutating func string(_ what: String) throws(SessionStateError) -> String {
        let length = try count(what, minimumSize: 1)
        guard let text = String(bytes: try take(length, what), encoding: .utf8) else {
            throw .malformed("\(what) is not UTF-8")
        }
        return text
    }

    mutating func optionalString(_ what: String) throws(SessionStateError) -> String? {
        try bool("whether \(what) is present") ? try string(what) : nil
    }

    /// A shape whose element count, times `scalarSize` bytes, fits in what is left.
    mutating func shape(_ what: String, scalarSize: Int) throws(SessionStateError) -> (shape: [Int], count: Int) {
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
        let (bytesNeeded, overflow) = total.multipliedReportingOverflow(by: scalarSize)
        guard !overflow, bytesNeeded <= remaining else {
            throw .malformed("\(what) of shape \(shape) needs more bytes than the \(remaining) left")
        }
        return (shape, total)
    }

    mutating func tensor(_ what: String) throws(SessionStateError) -> Tensor {
        let (shape, count) = try shape(what, scalarSize: 4)
        return Tensor(uncheckedShape: shape, scalars: try scalars(count, what, zero: 0, Float.init(bitPattern:)))
    }

    mutating func intTensor(_ what: String) throws(SessionStateError) -> IntTensor {
        let (shape, count) = try shape(what, scalarSize: 4)
        return IntTensor(uncheckedShape: shape, scalars: try scalars(count, what, zero: 0, Int32.init(bitPattern:)))
    }

    mutating func int32Array(_ what: String) throws(SessionStateError) -> [Int32] {
        let count = try count(what, minimumSize: 4)
        return try scalars(count, what, zero: 0, Int32.init(bitPattern:))
    }

    /// `count` 4-byte little-endian scalars, copied in one go on little-endian machines
    /// (a model's weights are millions of them).
    private mutating func scalars<Scalar>(_ count: Int, _ what: String, zero: Scalar,
                                          _ fromBits: (UInt32) -> Scalar) throws(SessionStateError) -> [Scalar] {
        precondition(MemoryLayout<Scalar>.size == 4, "scalars are 4 bytes")
        let raw = try take(4 * count, what)
        var scalars = [Scalar](repeating: zero, count: count)
        #if _endian(little)
        scalars.withUnsafeMutableBytes { target in
            raw.withUnsafeBytes { source in target.copyMemory(from: source) }
        }
        #else
        for index in 0..<count {
            var bits: UInt32 = 0
            for byte in 0..<4 { bits |= UInt32(raw[raw.startIndex + 4 * index + byte]) << UInt32(8 * byte) }
            scalars[index] = fromBits(bits)
        }
        #endif
        return scalars
    }

    mutating func generator(_ what: String) throws(SessionStateError) -> RandomGenerator {
        RandomGenerator(state: (try u64(what), try u64(what), try u64(what), try u64(what)))
    }
}
