import Foundation

/// Short human forms of durations and numbers for the report and the transcript.
enum NumberText {
    /// `0.42 s`, `2.3 s`, `47 s`, `14 min 3 s`, `2 h 5 min`.
    static func duration(_ seconds: TimeInterval) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "–" }
        if seconds < 1 { return String(format: "%.2f s", seconds) }
        if seconds < 10 { return String(format: "%.1f s", seconds) }
        let whole = Int(seconds.rounded())
        if whole < 60 { return "\(whole) s" }
        if whole < 3600 { return "\(whole / 60) min \(whole % 60) s" }
        return "\(whole / 3600) h \((whole % 3600) / 60) min"
    }

    /// Seconds with two decimals for tables, so columns line up.
    static func seconds(_ seconds: TimeInterval) -> String {
        String(format: "%.2f", seconds)
    }

    /// Four significant digits: `118.3`, `0.0125`, `1.2e+06`; NaN and infinities spelled out.
    static func compact(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return String(format: "%.4g", value)
    }

    /// An SVG coordinate with one decimal, without Foundation formatting (a heatmap has
    /// thousands of them).
    static func coordinate(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let clamped = Swift.min(Swift.max(value, -1e9), 1e9)
        let tenths = Int((clamped * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let magnitude = abs(tenths)
        let fraction = magnitude % 10
        return fraction == 0 ? "\(sign)\(magnitude / 10)" : "\(sign)\(magnitude / 10).\(fraction)"
    }

    /// ISO 8601 in UTC, to the second: `2026-11-29T18:01:28Z`.
    static func isoDate(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
