import Engine
import Foundation
import Render

/// `lesson train`'s live progress line on standard error, redrawn in place; silent when
/// standard error is not a terminal, so logs and pipes stay clean.
struct ProgressBar {
    private let status: StatusLine
    let width = 24

    init(enabled: Bool = isatty(STDERR_FILENO) == 1) {
        status = StatusLine(enabled: enabled)
    }

    /// Redraws the line for `progress` of `epochs` epochs.
    func update(_ progress: TrainingProgress, epochs: Int) {
        guard status.isEnabled else { return }
        status.show(Self.line(progress, epochs: epochs, width: width))
    }

    /// Clears the line (before a log line is printed over it).
    func clear() {
        status.clear()
    }

    /// The bar's text: `epoch 1/15 [#####-----] 312/774  ppl 724.6  10532 wps  ETA 0:27`.
    static func line(_ p: TrainingProgress, epochs: Int, width: Int) -> String {
        let fraction = p.epochSize > 0 ? Double(p.iteration) / Double(p.epochSize) : 0
        let remaining = fraction > 0 ? p.elapsedSeconds * (1 - fraction) / fraction : 0
        let figures = String(format: "ppl %.1f  %.0f wps", p.perplexity, p.wordsPerSecond)
        return "epoch \(p.epoch + 1)/\(epochs) \(bar(fraction: fraction, width: width)) \(p.iteration)/\(p.epochSize)"
            + "  \(figures)  ETA \(duration(remaining))"
    }

    /// `[#####-----]`, `fraction` (0...1) of `width` filled.
    static func bar(fraction: Double, width: Int) -> String {
        let filled = min(max(Int((fraction * Double(width)).rounded(.down)), 0), width)
        return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]"
    }

    /// `m:ss`, or `h:mm:ss` past an hour.
    static func duration(_ seconds: Double) -> String {
        ProgressText.clock(seconds)
    }
}
