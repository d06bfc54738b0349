@testable import Classroom
import Testing

@Suite("which hosts name this machine")
struct LoopbackHostTests {
    @Test("a Host that names loopback, with or without a port, is accepted", arguments: [
        "localhost", "LOCALHOST", "LocalHost:8000", "127.0.0.1", "127.0.0.1:8000", "127.0.0.1:1", "127.0.0.1:65535",
        "127.255.255.254", "127.1.2.3:80", "[::1]", "[::1]:8000", "[0:0:0:0:0:0:0:1]", "[0::1]", "[::0:0:1]",
        "[0000:0000:0000:0000:0000:0000:0000:0001]:443", "[::ffff:127.0.0.1]", "[::FFFF:7F00:1]:8000",
    ])
    func loopbackAuthorities(_ authority: String) {
        #expect(LoopbackHost.namesLoopback(authority: authority))
    }

    @Test("names that start like loopback, other addresses and malformed hosts are refused", arguments: [
        "127.evil.example", "127.evil.example:8000", "127.0.0.1.evil.example", "localhost.evil", "localhost.",
        "localhost.localdomain", "xlocalhost", "127.1", "127.0.1", "127.0.0.0.1", "127.0.0.1.", ".127.0.0.1",
        "127..0.1", "0177.0.0.1", "127.0.0.01", "0x7f.0.0.1", "127.0.0.256", "127.0.0.-1", "127.0.0.+1", "128.0.0.1",
        "10.0.0.1", "0.0.0.0", "x@127.0.0.1", "x@127.0.0.1:80", "127.0.0.1@evil", "", " ", " 127.0.0.1",
        "127.0.0.1 ", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:123456", "127.0.0.1:+80",
        "127.0.0.1:-80", "127.0.0.1: 80", "127.0.0.1:80:80", "127.0.0.1:8o", "localhost:http", "::1", "[::1",
        "::1]", "[::1]x", "[::1]:", "[::1]:0", "[::1].evil", "[::2]", "[::]", "[1::1]", "[::1%25lo]", "[::1%lo]",
        "[0:0:0:0:0:0:0:0:1]", "[0:0:0:0:0:0:1]", "[:::1]", "[::1::]", "[1::2::1]", "[::00001]", "[::g]", "[v1.x]",
        "[::127.0.0.1]", "[::ffff:127.1]", "[::ffff:128.0.0.1]", "[]", "[", "lоcalhost", "127.0.0.１",
    ])
    func foreignAuthorities(_ authority: String) {
        #expect(!LoopbackHost.namesLoopback(authority: authority))
    }

    @Test("a missing Host is refused")
    func missing() {
        #expect(!LoopbackHost.namesLoopback(authority: nil))
    }

    @Test("--host values and bound addresses: loopback ones", arguments: [
        "127.0.0.1", "127.0.1.1", "localhost", "::1", "[::1]", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1",
    ])
    func loopbackAddresses(_ address: String) {
        #expect(LoopbackHost.isLoopback(address: address))
    }

    @Test("--host values and bound addresses: the others", arguments: [
        "0.0.0.0", "::", "192.168.1.20", "127.evil.example", "127.1", "localhost.evil", "[::1]:80", "127.0.0.1:80",
        "", "fe80::1", "[::2]",
    ])
    func otherAddresses(_ address: String) {
        #expect(!LoopbackHost.isLoopback(address: address))
    }
}
