@testable import Classroom
import Foundation
import Testing
import TestSupport

/// The worker protocol's line reader, over a real descriptor.
@Suite("Reading the workers' lines")
struct LineReaderTests {
    /// Every line `bytes` gives, read from a file holding them (any descriptor does).
    static func lines(of bytes: [UInt8], limit: Int) throws -> [Data] {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let file = try folder.write(Data(bytes), to: "lines")
        let descriptor = open(file.path, O_RDONLY)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        var reader = LineReader(descriptor: descriptor, limit: limit)
        var read: [Data] = []
        while let line = reader.next() { read.append(line) }
        return read
    }

    @Test("short lines in bursts, a line of megabytes, empty lines and a last line without newline all come out whole")
    func wholeLines() throws {
        let big = [UInt8](repeating: 0x61, count: 3 << 20)
        var bytes: [UInt8] = []
        let short = (0..<5000).map { Array("event \($0)".utf8) }
        for line in short { bytes += line + [0x0A] }
        bytes += big + [0x0A] + [0x0A] + Array("tail".utf8) + [0x0A] + Array("unfinished".utf8)
        let read = try Self.lines(of: bytes, limit: 4 << 20)
        #expect(read.count == 5003)
        #expect(read.prefix(5000).map { [UInt8]($0) } == short)
        #expect(read[5000] == Data(big) && read[5001].isEmpty && read[5002] == Data("tail".utf8),
                "the unfinished last line is not a line")
    }

    @Test("a line past the limit ends the reading (the peer is not speaking the protocol)")
    func tooLong() throws {
        let bytes = Array("ok\n".utf8) + [UInt8](repeating: 0x62, count: 300_000) + [0x0A] + Array("after\n".utf8)
        #expect(try Self.lines(of: bytes, limit: 100_000) == [Data("ok".utf8)])
    }
}
