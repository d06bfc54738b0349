/// Whether a host names this machine's loopback interface, read strictly.
///
/// A page on another site can point a DNS name of its own at 127.0.0.1 (DNS rebinding) and
/// then read what the server answers; the browser still sends that name as the Host. So a
/// server that listens on loopback answers only a Host that is a loopback *address* or
/// `localhost`, never a name that merely starts like one (`127.evil.example`).
///
/// Accepted: `localhost` (any ASCII case); an IPv4 address in 127.0.0.0/8 written as four decimal
/// parts 0-255 without leading zeros; the IPv6 address ::1 in any spelling, and ::ffff:127.x.y.z
/// (IPv4-mapped loopback). Refused: shortened IPv4 (`127.1`) and leading zeros (`0177.0.0.1`),
/// which some parsers read as octal: browsers always send the canonical four decimal parts, so
/// only a client that is not a browser would send them, and they are not worth the ambiguity.
public enum LoopbackHost {
    /// Whether `address` (a `--host` value, or the address a socket is bound to) is loopback:
    /// `localhost`, 127.x.y.z, or ::1 with or without brackets. No port.
    public static func isLoopback(address: String) -> Bool {
        let bytes = Array(address.utf8)
        if bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]") {
            return ipv6IsLoopback(bytes.dropFirst().dropLast())
        }
        return isLocalhost(bytes[...]) || ipv4IsLoopback(bytes[...]) || ipv6IsLoopback(bytes[...])
    }

    /// Whether a request's authority (its Host) names loopback: a loopback host as above, IPv6
    /// in brackets, and an optional port 1-65535. Userinfo, empty hosts and empty ports are refused.
    static func namesLoopback(authority: String?) -> Bool {
        guard let authority else { return false }
        let bytes = Array(authority.utf8)[...]
        // What follows the host: nothing, or `:port`.
        let rest: ArraySlice<UInt8>
        if bytes.first == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")),
                  ipv6IsLoopback(bytes[(bytes.startIndex + 1)..<close]) else { return false }
            rest = bytes[(close + 1)...]
        } else {
            let colon = bytes.firstIndex(of: UInt8(ascii: ":")) ?? bytes.endIndex
            guard isLocalhost(bytes[..<colon]) || ipv4IsLoopback(bytes[..<colon]) else { return false }
            rest = bytes[colon...]
        }
        return rest.isEmpty || (rest.first == UInt8(ascii: ":") && isPort(rest.dropFirst()))
    }

    // MARK: Pieces

    /// `localhost` in any ASCII case (compared byte by byte: Unicode case mapping could turn
    /// other characters into these letters).
    static func isLocalhost(_ bytes: ArraySlice<UInt8>) -> Bool {
        let expected = Array("localhost".utf8)
        return bytes.count == expected.count && zip(bytes, expected).allSatisfy { $0 | 0x20 == $1 }
    }

    /// 1-65535, decimal digits only (no sign, no spaces).
    static func isPort(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let value = decimal(bytes, maxDigits: 5) else { return false }
        return (1...65535).contains(value)
    }

    static func ipv4IsLoopback(_ bytes: ArraySlice<UInt8>) -> Bool {
        ipv4(bytes)?.first == 127
    }

    static func ipv6IsLoopback(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let groups = ipv6(bytes) else { return false }
        if groups == [0, 0, 0, 0, 0, 0, 0, 1] { return true }
        // ::ffff:127.x.y.z, the IPv4 loopback seen through an IPv6 socket.
        return groups[0..<5].allSatisfy { $0 == 0 } && groups[5] == 0xFFFF && groups[6] >> 8 == 127
    }

    /// Four decimal parts 0-255 separated by dots, no leading zeros; nil for anything else.
    static func ipv4(_ bytes: ArraySlice<UInt8>) -> [UInt8]? {
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var result: [UInt8] = []
        for part in parts {
            guard let value = decimal(part, maxDigits: 3), value <= 255,
                  part.count == 1 || part.first != UInt8(ascii: "0") else { return nil }
            result.append(UInt8(value))
        }
        return result
    }

    /// An IPv6 address (RFC 4291 text: eight groups of 1-4 hex digits, at most one `::`, an
    /// IPv4 address in the last 32 bits) as its eight groups; nil for anything else, zone
    /// identifiers (`%lo`) included.
    static func ipv6(_ bytes: ArraySlice<UInt8>) -> [UInt16]? {
        guard let gap = firstDoubleColon(bytes) else {
            guard let groups = ipv6Groups(bytes, mayEndInIPv4: true), groups.count == 8 else { return nil }
            return groups
        }
        let head = bytes[..<gap], tail = bytes[(gap + 2)...]
        guard firstDoubleColon(tail) == nil,
              let front = ipv6Groups(head, mayEndInIPv4: false),
              let back = ipv6Groups(tail, mayEndInIPv4: true),
              front.count + back.count <= 7 else { return nil }
        return front + Array(repeating: 0, count: 8 - front.count - back.count) + back
    }

    private static let colon = UInt8(ascii: ":")

    /// Where `::` starts, if it occurs.
    private static func firstDoubleColon(_ bytes: ArraySlice<UInt8>) -> Int? {
        zip(bytes.indices, bytes.indices.dropFirst()).first { bytes[$0] == colon && bytes[$1] == colon }?.0
    }

    /// Colon-separated hex groups (empty text: none), the last possibly an IPv4 address (two groups).
    private static func ipv6Groups(_ bytes: ArraySlice<UInt8>, mayEndInIPv4: Bool) -> [UInt16]? {
        guard !bytes.isEmpty else { return [] }
        let pieces = bytes.split(separator: colon, omittingEmptySubsequences: false)
        var groups: [UInt16] = []
        for (index, piece) in pieces.enumerated() {
            if mayEndInIPv4, index == pieces.count - 1, piece.contains(UInt8(ascii: ".")) {
                guard let quad = ipv4(piece) else { return nil }
                groups += [UInt16(quad[0]) << 8 | UInt16(quad[1]), UInt16(quad[2]) << 8 | UInt16(quad[3])]
            } else {
                guard let group = hexGroup(piece) else { return nil }
                groups.append(group)
            }
        }
        return groups
    }

    private static func hexGroup(_ bytes: ArraySlice<UInt8>) -> UInt16? {
        guard (1...4).contains(bytes.count) else { return nil }
        var value: UInt16 = 0
        for byte in bytes {
            guard let digit = hexDigit(byte) else { return nil }
            value = value << 4 | digit
        }
        return value
    }

    private static func hexDigit(_ byte: UInt8) -> UInt16? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt16(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt16(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt16(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// 1 to `maxDigits` ASCII decimal digits (so the value cannot overflow), else nil.
    private static func decimal(_ bytes: ArraySlice<UInt8>, maxDigits: Int) -> Int? {
        guard (1...maxDigits).contains(bytes.count) else { return nil }
        var value = 0
        for byte in bytes {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}
