/// Mutations of real text: byte flips, splices of tokens from other corpus text, duplicated and
/// truncated spans, and runs of brackets, `[/**/`, deep generics, long member chains and nested
/// interpolation dropped in at random places. The result may not be UTF-8 at all.
enum Mutator {
    /// `text` after one to a few mutations; `donors` are other texts to splice from.
    static func mutate(_ text: String, donors: [String], _ g: inout Generation) -> [UInt8] {
        var bytes = Array(text.utf8)
        for _ in 0...g.random.int(0...(g.random.chance(0.8) ? 2 : 12)) {
            bytes = once(bytes, donors: donors, &g)
        }
        return bytes
    }

    /// `mutate`, kept only if it is still UTF-8 (for cell code, which a notebook must carry as text).
    static func mutateText(_ text: String, donors: [String], _ g: inout Generation) -> String {
        let bytes = mutate(text, donors: donors, &g)
        return String(validating: bytes, as: UTF8.self) ?? text
    }

    private static func once(_ bytes: [UInt8], donors: [String], _ g: inout Generation) -> [UInt8] {
        var bytes = bytes
        let at = bytes.isEmpty ? 0 : g.random.int(0...bytes.count)
        switch g.random.weighted([4, 2, 5, 3, 2, 3, 2, 3, 2, 2, 3]) {
        case 0:
            if !bytes.isEmpty {
                let position = g.random.int(0...(bytes.count - 1))
                bytes[position] ^= UInt8(truncatingIfNeeded: 1 << g.random.int(0...7))
            }
        case 1:
            if !bytes.isEmpty { bytes[g.random.int(0...(bytes.count - 1))] = UInt8(truncatingIfNeeded: g.random.next()) }
        case 2:
            let donor = Array(g.random.pick(donors, or: "let x = 1").utf8)
            bytes.insert(contentsOf: slice(donor, &g), at: at)
        case 3:
            let span = slice(bytes, &g)
            bytes.insert(contentsOf: Array(repeating: span, count: g.random.int(1...(g.random.chance(0.9) ? 3 : 200))).flatMap { $0 }, at: at)
        case 4:
            bytes = Array(bytes.prefix(at))
        case 5:
            let run = g.random.pick(["[", "[/**/", "(", "{", "\\(", "<", "\"", "`", "```", "//|", "}", "]", ")"])
            bytes.insert(contentsOf: Array(String(repeating: run, count: g.random.int(1...(g.random.chance(0.8) ? 50 : 5_000))).utf8), at: at)
        case 6:
            bytes.insert(contentsOf: Array(HostileCode.deepGeneric(&g).utf8), at: at)
        case 7:
            bytes.insert(contentsOf: Array(HostileCode.memberChain(&g).utf8), at: at)
        case 8:
            bytes.insert(contentsOf: Array(HostileCode.nestedInterpolation(&g).utf8), at: at)
        case 9:
            let span = slice(bytes, &g)
            if let range = range(of: span, in: bytes) { bytes.removeSubrange(range) }
        default:
            let token = g.random.pick(["\n```\n", "\n~~~\n", "\n```swift\n", "\n//| error: allow\n", "\n---\n", "\r", "\u{0}",
                                       "\n//| check: true\n", "\n//| solution: true\n", "\n    ", "\n> ", "\n- ", "\u{FEFF}", "\\"])
            bytes.insert(contentsOf: Array(token.utf8), at: at)
        }
        return bytes
    }

    /// A random stretch of `bytes`, mostly short.
    private static func slice(_ bytes: [UInt8], _ g: inout Generation) -> [UInt8] {
        guard !bytes.isEmpty else { return [] }
        let start = g.random.int(0...(bytes.count - 1))
        let length = g.random.int(1...min(bytes.count - start, g.random.chance(0.8) ? 40 : 2_000))
        return Array(bytes[start..<(start + length)])
    }

    private static func range(of span: [UInt8], in bytes: [UInt8]) -> Range<Int>? {
        guard !span.isEmpty, span.count <= bytes.count else { return nil }
        for start in 0...(bytes.count - span.count) where bytes[start] == span[0] {
            if Array(bytes[start..<(start + span.count)]) == span { return start..<(start + span.count) }
        }
        return nil
    }
}
