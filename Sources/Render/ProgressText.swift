import Figures
import Foundation

/// The words of a progress report, shared by the terminal's status line and the served page.
public enum ProgressText {
    /// `312/2323  ppl 180.2  10532 wps  ETA 3:07` (what is known of it).
    public static func figures(_ report: ProgressReport) -> String {
        var text = "\(report.completed)/\(report.total)"
        if let perplexity = report.perplexity { text += String(format: "  ppl %.1f", perplexity) }
        if let speed = report.wordsPerSecond { text += String(format: "  %.0f wps", speed) }
        if let remaining = report.remainingSeconds { text += "  ETA " + clock(remaining) }
        return text
    }

    /// `Epoch 2/15 train  312/2323  ppl 180.2  10532 wps  ETA 3:07`.
    public static func line(_ report: ProgressReport) -> String {
        "\(report.phase)  " + figures(report)
    }

    /// `m:ss`, or `h:mm:ss` past an hour.
    public static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "–" }
        let total = Int(seconds.rounded())
        let (h, m, s) = (total / 3600, (total % 3600) / 60, total % 60)
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%d:%02d", m, s)
    }

    /// A duration as the report writes it: `0.42 s`, `3.1 s`, `2 min 5 s`.
    public static func duration(_ seconds: TimeInterval) -> String {
        NumberText.duration(seconds)
    }
}
