#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// HTML escaping for every piece of notebook text and output that reaches a report.
enum HTML {
    /// Text content and attribute values: `&`, `<`, `>`, `"` and `'` become entities.
    ///
    /// The colon of `://` becomes `&#58;` as well. Browsers show the same text, but the file then
    /// holds no literal `http://` anywhere, so a reader (or a checker) can trust that a report
    /// which must work offline refers to nothing on the network.
    ///
    /// Training logs run to megabytes and all of it passes through here, so the search for the
    /// next character to replace is left to `memchr`/`memmem`, which stay fast in debug builds
    /// (a byte-by-byte Swift loop does not). The replaced characters are ASCII, so multi-byte
    /// characters are copied untouched.
    static func escape(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes -> String in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return "" }
            let count = bytes.count
            // next[k]: offset of the next occurrence of replacements[k] at or after `cursor`.
            func find(_ k: Int, from offset: Int) -> Int {
                guard offset < count else { return count }
                var start = offset
                while start < count, let found = memchr(base + start, Int32(replacements[k].byte), count - start) {
                    let position = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                    // The colon counts only as the start of `://`.
                    let isLast = k == replacements.count - 1
                    if !isLast || (position + 2 < count && bytes[position + 1] == slash && bytes[position + 2] == slash) {
                        return position
                    }
                    start = position + 1
                }
                return count
            }
            var next = replacements.indices.map { find($0, from: 0) }
            guard let first = next.min(), first < count else { return String(decoding: bytes, as: UTF8.self) }
            var result: [UInt8] = []
            result.reserveCapacity(count + count / 8 + 16)
            var cursor = 0
            var nearest = first
            while nearest < count {
                guard let k = next.firstIndex(of: nearest) else { break }
                result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[cursor..<nearest]))
                result.append(contentsOf: replacements[k].entity)
                cursor = nearest + 1
                next[k] = find(k, from: cursor)
                nearest = next.min() ?? count
            }
            result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[cursor..<count]))
            return String(decoding: result, as: UTF8.self)
        }
    }

    /// What replaces each character; the last entry is the colon of `://`.
    private static let replacements: [(byte: UInt8, entity: [UInt8])] = [
        (UInt8(ascii: "&"), Array("&amp;".utf8)),
        (UInt8(ascii: "<"), Array("&lt;".utf8)),
        (UInt8(ascii: ">"), Array("&gt;".utf8)),
        (UInt8(ascii: "\""), Array("&quot;".utf8)),
        (UInt8(ascii: "'"), Array("&#39;".utf8)),
        (UInt8(ascii: ":"), Array("&#58;".utf8)),
    ]
    private static let slash = UInt8(ascii: "/")

    /// How many `\n` bytes `text` holds, counted with `memchr`.
    static func newlineCount(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { bytes -> Int in
            guard let base = bytes.baseAddress else { return 0 }
            var total = 0
            var offset = 0
            while offset < bytes.count,
                  let found = memchr(base + offset, Int32(UInt8(ascii: "\n")), bytes.count - offset) {
                total += 1
                offset = UnsafeRawPointer(found) - UnsafeRawPointer(base) + 1
            }
            return total
        }
    }
}
