/// Splits text into words exactly as the tutorial's reader.py does:
///
///     f.read().replace("\n", "<eos>").split()
///
/// Two consequences worth knowing. First, `<eos>` is glued to whatever touches the
/// newline, so `"end\nnext"` gives the single word `end<eos>next`; only whitespace
/// separates words. (In the PTB files every line ends in `" \n"`, so `<eos>` stands
/// alone.) Second, "whitespace" is Python's `str.split()` set: ASCII tab, line feed,
/// vertical tab, form feed, carriage return, the separators U+001C...U+001F, space,
/// and the Unicode spaces U+0085, U+00A0, U+1680, U+2000...U+200A, U+2028, U+2029,
/// U+202F, U+205F, U+3000. `\r` is not translated (TensorFlow's `GFile` reads raw),
/// so `\r\n` ends a word and starts `<eos>`.
///
/// The work is done on UTF-8 bytes: the training file has five million of them.
public enum WordSplitter {
    /// The word that stands for a line break.
    public static let endOfSentence = "<eos>"

    /// The words of `text`, as reader.py would read them from a file holding `text`.
    public static func words(in text: String) -> [String] {
        var words: [String] = []
        let bytes = Array(text.utf8)
        do {
            try bytes.withUnsafeBufferPointer { buffer in
                try forEachWord(in: buffer) { words.append(String(decoding: $0, as: UTF8.self)) }
            }
        } catch {
            preconditionFailure("a Swift String is always valid UTF-8")
        }
        return words
    }

    /// A byte sequence that is not UTF-8; `byteOffset` is where the bad character starts.
    struct InvalidUTF8: Error {
        let byteOffset: Int
    }

    private static let endOfSentenceBytes = Array(endOfSentence.utf8)

    /// Calls `body` with the UTF-8 bytes of each word, in order. The buffer is only
    /// valid during the call.
    /// - Throws: `InvalidUTF8` at the first byte that does not start a valid character.
    static func forEachWord(
        in bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void
    ) throws {
        // A word is usually a run of the input (`runStart..<i`). Once a newline glues
        // "<eos>" into it, it is assembled in `glued` instead.
        var runStart = -1
        var glued: [UInt8] = []
        var isGlued = false
        glued.reserveCapacity(64)

        func finishWord(at end: Int) throws {
            if isGlued {
                try glued.withUnsafeBufferPointer { try body($0) }
                glued.removeAll(keepingCapacity: true)
                isGlued = false
            } else if runStart >= 0 {
                try body(UnsafeBufferPointer(rebasing: bytes[runStart..<end]))
            }
            runStart = -1
        }

        func extendWord(_ range: Range<Int>) {
            if isGlued {
                glued.append(contentsOf: bytes[range])
            } else if runStart < 0 {
                runStart = range.lowerBound
            }
        }

        var i = 0
        let count = bytes.count
        while i < count {
            let byte = bytes[i]
            if byte == 0x0A {
                if !isGlued {
                    if runStart >= 0 { glued.append(contentsOf: bytes[runStart..<i]) }
                    isGlued = true
                    runStart = -1
                }
                glued.append(contentsOf: endOfSentenceBytes)
                i += 1
            } else if byte < 0x80 {
                if isASCIISpace(byte) {
                    try finishWord(at: i)
                } else {
                    extendWord(i..<i + 1)
                }
                i += 1
            } else {
                guard let (scalar, length) = decodeScalar(bytes, at: i) else {
                    throw InvalidUTF8(byteOffset: i)
                }
                if isUnicodeSpace(scalar) {
                    try finishWord(at: i)
                } else {
                    extendWord(i..<i + length)
                }
                i += length
            }
        }
        try finishWord(at: count)
    }

    /// Python's ASCII whitespace, minus the line feed handled by the caller.
    @inline(__always)
    private static func isASCIISpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) || (byte >= 0x1C && byte <= 0x1F)
    }

    /// Python's non-ASCII whitespace (`str.isspace()` above U+007F).
    private static func isUnicodeSpace(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// Decodes the multi-byte UTF-8 character starting at `start` (its lead byte is >= 0x80).
    /// Returns nil for anything the Unicode standard's well-formed table (3-7) rejects:
    /// stray continuation bytes, overlong forms, surrogates, values above U+10FFFF, truncation.
    private static func decodeScalar(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> (UInt32, Int)? {
        let lead = bytes[start]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default: return nil
        }
        guard start + length <= bytes.count, secondRange.contains(bytes[start + 1]) else { return nil }
        let leadBits: UInt32 = length == 2 ? 0x1F : (length == 3 ? 0x0F : 0x07)
        var scalar = UInt32(lead) & leadBits
        for offset in 1..<length {
            let continuation = bytes[start + offset]
            guard continuation & 0xC0 == 0x80 else { return nil }
            scalar = scalar << 6 | UInt32(continuation & 0x3F)
        }
        return (scalar, length)
    }
}
