import Foundation
import TestSupport
import Testing

/// Bound to a loopback address, `lesson serve` answers only requests whose Host names this
/// machine: a page that points a name of its own at 127.0.0.1 (DNS rebinding) sends that name.
@Suite("lesson serve on a loopback address answers only loopback hosts", .serialized)
struct ServeHostTests {
    /// `GET /api/whoami` with exactly these header lines for the host.
    static func whoami(_ served: ServedLesson, hostLines: String) throws -> LoopbackHTTP.Reply {
        try LoopbackHTTP.send(port: served.port, raw: Data(
            "GET /api/whoami HTTP/1.1\r\n\(hostLines)Connection: close\r\n\r\n".utf8))
    }

    @Test("names that only start like a loopback address, and malformed hosts, are refused")
    func refused() throws {
        let served = try ServedLesson(ServeCommandTests.simple)
        defer { served.stop() }
        let port = served.port
        let hosts = ["127.evil.example", "127.evil.example:\(port)", "127.0.0.1.evil.example", "127.0.0.1.evil.example:\(port)",
                     "localhost.evil", "localhost.evil:\(port)", "localhost.", "127.1", "127.0.1", "x@127.0.0.1",
                     "x@127.0.0.1:\(port)", "127.0.0.1@evil.example", "", " ", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536",
                     "127.0.0.1:99999999999999999999", "127.0.0.1:+80", "127.0.0.1:80:80", "localhost:http", "127.0.0.01",
                     "0177.0.0.1", "0x7f.0.0.1", "127.0.0.256", "127.0.0.-1", "128.0.0.1", "127.0.0.1/", "[::1].evil",
                     "[::1]x", "[::1", "::1", "[::2]", "[::]", "[1::1]", "[::1%25lo]", "[0:0:0:0:0:0:0:0:1]", "[::1::]",
                     "[v1.x]", "evil.example"]
        for host in hosts {
            let reply = try Self.whoami(served, hostLines: "Host: \(host)\r\n")
            #expect(reply.status == 403, "Host: \(host) -> \(reply)")
        }
        let missing = try Self.whoami(served, hostLines: "")
        #expect(missing.status == 403 || missing.status == 400, "no Host -> \(missing)")
        let twice = try Self.whoami(served, hostLines: "Host: 127.0.0.1:\(port)\r\nHost: evil.example\r\n")
        #expect(twice.status == 403 || twice.status == 400, "two Hosts -> \(twice)")
        #expect(try Self.whoami(served, hostLines: "Host: 127.0.0.1:\(port)\r\n").status == 200, "still answering")
    }

    @Test("every spelling of a loopback address is answered")
    func accepted() throws {
        let served = try ServedLesson(ServeCommandTests.simple)
        defer { served.stop() }
        let port = served.port
        let hosts = ["127.0.0.1:\(port)", "127.0.0.1", "localhost:\(port)", "LocalHost", "127.255.254.1:65535",
                     "127.0.0.1:1", "[::1]:\(port)", "[::1]", "[0:0:0:0:0:0:0:1]", "[::0:1]", "[0::1]:\(port)",
                     "[::ffff:127.0.0.1]", "[::FFFF:7f00:1]"]
        for host in hosts {
            let reply = try Self.whoami(served, hostLines: "Host: \(host)\r\n")
            #expect(reply.status == 200, "Host: \(host) -> \(reply)")
        }
    }
}

/// `--host` given as this machine's name, which resolves to a loopback address (127.0.1.1 on
/// Debian, 127.0.0.1 here): the socket listens on loopback only, so the Host check applies.
@Suite("lesson serve --host NAME that resolves to loopback", .serialized)
struct ServeLoopbackNameTests {
    /// This machine's name, if it resolves to IPv4 loopback only.
    static let loopbackName: String? = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return nil }
        let name = String(cString: buffer)
        var hints = addrinfo()
        hints.ai_family = AF_INET
        var result: UnsafeMutablePointer<addrinfo>?
        guard !name.isEmpty, name != "localhost", getaddrinfo(name, nil, &hints, &result) == 0, let first = result else {
            return nil
        }
        defer { freeaddrinfo(result) }
        var loopback = true
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            let address = current.pointee.ai_addr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
            loopback = loopback && UInt32(bigEndian: address.s_addr) >> 24 == 127
            entry = current.pointee.ai_next
        }
        return loopback ? name : nil
    }()

    @Test("a foreign Host is refused when the name binds to loopback", .enabled(if: loopbackName != nil))
    func machineName() throws {
        let name = try #require(Self.loopbackName)
        let served = try ServedLesson(ServeCommandTests.simple, arguments: ["--host", name])
        defer { served.stop() }
        let foreign = try ServeHostTests.whoami(served, hostLines: "Host: attacker.example:\(served.port)\r\n")
        #expect(foreign.status == 403, "\(foreign)")
        #expect(try ServeHostTests.whoami(served, hostLines: "Host: 127.0.0.1:\(served.port)\r\n").status == 200)
    }
}
