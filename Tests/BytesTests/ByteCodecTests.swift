import Bytes
import Testing

/// The byte layout under the cache and saved sessions: little-endian, checked on every read.
@Suite struct ByteCodecTests {
    @Test func valuesAreLittleEndianAndReadBack() throws {
        var writer = ByteWriter()
        writer.uint8(0xAB)
        writer.uint32(0x0102_0304)
        writer.uint64(0x0102_0304_0506_0708)
        writer.int(-2)
        writer.double(-1.5)
        writer.float(0.25)
        writer.bool(true)
        writer.scalars32([Int32(-1), 7])
        writer.floats32([1, -0.5])
        #expect(Array(writer.bytes[1..<5]) == [4, 3, 2, 1])
        #expect(Array(writer.bytes[5..<13]) == [8, 7, 6, 5, 4, 3, 2, 1])
        #expect(Array(writer.bytes[13..<21]) == [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])

        var reader = ByteReader(writer.bytes)
        #expect(try reader.uint8("a") == 0xAB)
        #expect(try reader.uint32("b") == 0x0102_0304)
        #expect(try reader.uint64("c") == 0x0102_0304_0506_0708)
        #expect(try reader.int("d") == -2)
        #expect(try reader.double("e") == -1.5)
        #expect(try reader.float("f") == 0.25)
        #expect(try reader.bool("g"))
        #expect(try reader.scalars32(2, "h", zero: Int32(0), Int32.init(bitPattern:)) == [-1, 7])
        #expect(try reader.scalars32(2, "i", zero: Float(0), Float.init(bitPattern:)) == [1, -0.5])
        #expect(reader.isAtEnd)
    }

    @Test func shortOrBadInputThrowsNamingWhatAndWhere() {
        var reader = ByteReader([1, 2, 3])
        #expect(throws: ByteFormatError("truncated: the count needs 4 bytes at offset 0, but only 3 remain")) {
            try reader.uint32("the count")
        }
        #expect(throws: ByteFormatError.self) { try reader.scalars32(Int.max, "weights", zero: Float(0), Float.init(bitPattern:)) }
        #expect(throws: ByteFormatError.self) { try reader.take(-1, "nothing") }
        var flags = ByteReader([2])
        #expect(throws: ByteFormatError("a flag: 2 at offset 0 is not a boolean")) { try flags.bool("a flag") }
    }
}
