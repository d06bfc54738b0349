import Foundation

/// One line on standard error redrawn in place; does nothing when disabled.
struct StatusLine {
    let isEnabled: Bool

    init(enabled: Bool) {
        isEnabled = enabled
    }

    func show(_ text: String) {
        guard isEnabled else { return }
        let columns = Self.terminalColumns()
        let clipped = text.count < columns ? text : String(text.prefix(max(columns - 1, 1)))
        write("\r\u{1B}[2K" + clipped)
    }

    func clear() {
        guard isEnabled else { return }
        write("\r\u{1B}[2K")
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    private static func terminalColumns() -> Int {
        var size = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }
}
