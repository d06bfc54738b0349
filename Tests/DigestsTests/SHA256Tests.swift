import Digests
import Foundation
import Testing
import TestSupport

/// SHA-256 against the FIPS 180-4 examples and against `sha256sum` on the real data.
@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func matchesTheStandardsExamples(text: String, digest: String) {
        #expect(SHA256.hex(Data(text.utf8)) == digest)
    }

    @Test func paddingBoundariesMatchPythonsHashlib() throws {
        // Lengths around the 55/56/64-byte padding edges.
        let lengths = [55, 56, 63, 64, 65, 119, 120, 1000]
        let script = "import hashlib\nfor n in \(lengths): print(hashlib.sha256(bytes(i % 251 for i in range(n))).hexdigest())"
        let expected = try Python.run(script).split(separator: "\n").map(String.init)
        let ours = lengths.map { n in SHA256.hex(Data((0..<n).map { UInt8($0 % 251) })) }
        #expect(ours == expected)
    }

    @Test func fileDigestMatchesSha256sum() throws {
        let file = TestPaths.realData.appendingPathComponent("ptb.valid.txt")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(try SHA256.hex(contentsOf: file) == output.split(separator: " ").first.map(String.init))
    }

    @Test func missingFileIsAnErrorNamingIt() {
        #expect(throws: DigestError(path: "/nonexistent/ptb.txt", reason: "no such file")) {
            try SHA256.hex(contentsOf: URL(fileURLWithPath: "/nonexistent/ptb.txt"))
        }
    }
}
