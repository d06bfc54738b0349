import Engine
import Foundation

/// A one-line live progress display on standard error, redrawn in place; silent
/// when standard error is not a terminal, so logs and pipes stay clean.
struct ProgressBar {
    let isEnabled: Bool
    let width = 24

    init(enabled: Bool = isatty(STDERR_FILENO) == 1) {
        isEnabled = enabled
    }

    /// Redraws the line for `progress` of `epochs` epochs.
    func update(_ progress: TrainingProgress, epochs: Int) {
        guard isEnabled else { return }
        write("\r\u{1B}[2K" + Self.line(progress, epochs: epochs, width: width))
    }

    /// Clears the line (before a log line is printed over it).
    func clear() {
        guard isEnabled else { return }
        write("\r\u{1B}[2K")
    }

    /// The bar's text: `epoch 1/15 [#####-----] 312/774  ppl 724.6  10532 wps  ETA 0:27`.
    static func line(_ p: TrainingProgress, epochs: Int, width: Int) -> String {
        let fraction = p.epochSize > 0 ? Double(p.iteration) / Double(p.epochSize) : 0
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let remaining = fraction > 0 ? p.elapsedSeconds * (1 - fraction) / fraction : 0
        let figures = String(format: "ppl %.1f  %.0f wps", p.perplexity, p.wordsPerSecond)
        return "epoch \(p.epoch + 1)/\(epochs) [\(bar)] \(p.iteration)/\(p.epochSize)  \(figures)  ETA \(duration(remaining))"
    }

    /// `m:ss`, or `h:mm:ss` past an hour.
    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let (h, m, s) = (total / 3600, (total % 3600) / 60, total % 60)
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%d:%02d", m, s)
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
