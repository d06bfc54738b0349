/// Literals and paths chosen to sit on the edges the engine and the file scope must refuse
/// cleanly: overflowing numbers, impossible shapes, paths that try to leave the sandbox.
///
/// The sandbox layout these paths aim at (see `Sandbox`): the lesson runs in `W/box/lesson`,
/// its report folder is `W/box/Output`, and the canary that must never change or leak is
/// `W/canary`, with symbolic links to it planted inside the lesson folder.
enum HostileValues {
    static let integers = [
        "0", "1", "-1", "2", "7", "42", "-42", "255", "1_000", "65536", "1_000_000", "2147483647", "4294967295",
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "99999999999999999999999",
        "Int.max", "Int.min", "0x7fffffffffffffff", "0b1011", "0o17", "-0", "1 << 62", "1 << 63", "1 << 64",
    ]
    static let doubles = [
        "0.0", "1.5", "-2.25", "1e308", "1e309", "-1e309", "5e-324", "Double.pi", "Double.nan", "Double.infinity",
        "-Double.infinity", "0.1", "3.0e-7", "1e-400", ".5", "1.", "0x1p3",
    ]
    static let strings = [
        "\"\"", "\"a\"", "\"hello\"", "\"the small\"", "\"\\n\"", "\"\\t\\\\\\\"\"", "\"\\u{0}\"", "\"\\u{10FFFF}\"",
        "\"é\u{301}\"", "\"\u{202E}abc\"", "\"🙂🙂\"", "\"<b>&amp;</b>\"", "\"&lt;script&gt;\"", "\"]]>\"",
        "\"\\u{1B}[31mred\"", "\"\\r\\n\"", "\"<!--\"", "\"</pre></code>\"",
    ]
    /// Tensor shapes: fine, empty, negative, overflowing, and not shapes at all.
    static let shapes = [
        "[2, 3]", "[1]", "[4]", "[3, 3]", "[2, 2, 2]", "[]", "[0]", "[0, 3]", "[-1]", "[-1, 2]", "[2, -3]",
        "[0, 4294967295, 4294967295]", "[4294967295, 4294967295]", "[Int.max]", "[Int.max, 2]", "[Int.min]",
        "[100000, 100000]", "[10001, 10000]", "[1 << 31, 1 << 31]", "[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]",
        "[[2]]", "[\"2\"]", "[2.5]", "[nil]", "3", "[3_000_000]", "[1000, 1000]", "[0, 0]",
    ]
    /// Paths for `save`, `load` and `ptbRawData(dataDir:)`. Names containing `fzesc` must never
    /// appear outside the sandbox (`EscapeWatch` looks for them).
    static let paths = [
        "\"model.safetensors\"", "\"sub/model.safetensors\"", "\"../Output/m.safetensors\"",
        "\"../../fzesc-up.safetensors\"", "\"../../../fzesc-up2.safetensors\"", "\"../fzesc-box.safetensors\"",
        "\"/tmp/fzesc-abs.safetensors\"", "\"~/fzesc-home.safetensors\"", "\"~\"", "\"/\"", "\"..\"", "\".\"", "\"\"",
        "\"canary-link/fzesc-link.safetensors\"", "\"canary-link/model.safetensors\"", "\"file-link.safetensors\"",
        "\"dangling.safetensors\"", "\"canary-link\"", "\"../../canary/model.safetensors\"",
        "\"../../canary/fzesc-canary.safetensors\"", "\"../../canary/ptb\"", "\"canary-link/ptb\"", "\"data\"",
        "\"data-link\"", "\"/etc/passwd\"", "\"/proc/self/environ\"", "\"/dev/zero\"", "\"/dev/stdin\"",
        "\".hidden/fzesc.safetensors\"", "\"lesson.md\"", "\"x.md\"", "\"a\\u{0}b.safetensors\"",
        "\"Output/../../fzesc-dots.safetensors\"", "\"sub/./../../fzesc-sub.safetensors\"", "\"%2e%2e/fzesc\"",
        "\"file:///tmp/fzesc-url\"", "\"\\\\..\\\\fzesc-win\"", "String(repeating: \"a/\", count: 3000)",
        "String(repeating: \"../\", count: 40) + \"tmp/fzesc-many\"", "\"report-link/fzesc-out.safetensors\"",
    ]
}
