import Foundation

/// A fast 64-bit checksum for large blobs (saved session states of hundreds of megabytes),
/// where SHA-256 would take most of a second. It detects accidental corruption (a flipped
/// bit, a truncated or shifted tail), not deliberate tampering.
public enum Checksum64 {
    /// Mixes each 8-byte word into two lanes with multiply and rotate; the tail and the length
    /// are mixed in last, so a truncation that keeps whole words still changes the result.
    public static func of(_ data: some ContiguousBytes) -> UInt64 {
        data.withUnsafeBytes { buffer -> UInt64 in
            var a: UInt64 = 0x9E37_79B9_7F4A_7C15
            var b: UInt64 = 0xC2B2_AE3D_27D4_EB4F
            let words = buffer.count / 8
            var index = 0
            while index + 1 < words {
                a = rotate((a ^ buffer.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD, 29)
                b = rotate((b ^ buffer.loadUnaligned(fromByteOffset: index * 8 + 8, as: UInt64.self)) &* 0xC4CE_B9FE_1A85_EC53, 31)
                index += 2
            }
            var tail: UInt64 = 0
            for offset in (index * 8)..<buffer.count {
                tail = (tail << 8) | UInt64(buffer[offset])
                if (offset - index * 8) % 8 == 7 {
                    a = rotate((a ^ tail) &* 0xFF51_AFD7_ED55_8CCD, 29)
                    tail = 0
                }
            }
            var h = a ^ rotate(b, 17) ^ (tail &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(buffer.count)
            h ^= h >> 33
            h = h &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 33
            return h
        }
    }

    /// A checksum of a sequence from the checksums of its parts, in order: `combine(combine(0,
    /// a), b)` differs from `combine(combine(0, b), a)`.
    public static func combine(_ sofar: UInt64, _ next: UInt64) -> UInt64 {
        var h = rotate(sofar, 23) ^ (next &* 0xC4CE_B9FE_1A85_EC53)
        h ^= h >> 29
        return h &* 0x9E37_79B9_7F4A_7C15
    }

    @inline(__always)
    private static func rotate(_ value: UInt64, _ count: UInt64) -> UInt64 {
        (value << count) | (value >> (64 - count))
    }
}
