import Digests
import Foundation
import Testing

/// The cache's checksum for large blobs: the same for the same bytes, different for the
/// accidents it is there to catch.
@Suite struct Checksum64Tests {
    static let blob = Data((0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })

    @Test func sameBytesSameChecksum() {
        #expect(Checksum64.of(Self.blob) == Checksum64.of(Data(Self.blob)))
        #expect(Checksum64.of(Data()) == Checksum64.of(Data()))
    }

    @Test func aFlippedBitATruncationOrAShiftChangesIt() {
        let original = Checksum64.of(Self.blob)
        for position in [0, 7, 8, 4_999, 9_999] {
            for bit in [0, 3, 7] {
                var flipped = Self.blob
                flipped[position] ^= UInt8(1 << bit)
                #expect(Checksum64.of(flipped) != original, "bit \(bit) of byte \(position)")
            }
        }
        for length in [0, 1, 8, 16, 9_992, 9_999] {
            #expect(Checksum64.of(Self.blob.prefix(length)) != original, "first \(length) bytes")
        }
        #expect(Checksum64.of(Data([0]) + Self.blob.dropLast()) != original, "shifted by a byte")
        #expect(Checksum64.of(Data(repeating: 0, count: 8)) != Checksum64.of(Data(repeating: 0, count: 16)),
                "zeros of different lengths")
    }

    @Test func combiningDependsOnEveryPartAndItsOrder() {
        let a = Checksum64.of(Data("first entry".utf8))
        let b = Checksum64.of(Data("second entry".utf8))
        let ab = Checksum64.combine(Checksum64.combine(0, a), b)
        #expect(ab == Checksum64.combine(Checksum64.combine(0, a), b))
        #expect(ab != Checksum64.combine(Checksum64.combine(0, b), a), "order counts")
        #expect(ab != Checksum64.combine(0, a) && ab != Checksum64.combine(0, b), "every part counts")
        #expect(Checksum64.combine(Checksum64.combine(0, a), a) != Checksum64.combine(0, a), "a repeated part counts")
    }
}
