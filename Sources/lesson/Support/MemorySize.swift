import Foundation

/// Sizes as people write them on a command line: `4GB`, `4G`, `512MB`, `1.5g`, `2000000`.
enum MemorySize {
    /// The size in bytes (decimal units: 1 GB is 10^9 bytes, as `MemoryBudget.text` prints);
    /// nil when `text` is not a positive size.
    static func bytes(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        let units: [(suffix: String, scale: Double)] = [("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3),
                                                         ("T", 1e12), ("G", 1e9), ("M", 1e6), ("K", 1e3), ("B", 1)]
        var number = Substring(trimmed)
        var scale = 1.0
        if let unit = units.first(where: { trimmed.hasSuffix($0.suffix) }) {
            number = trimmed.dropLast(unit.suffix.count)
            scale = unit.scale
        }
        guard let value = Double(number.trimmingCharacters(in: .whitespaces)), value > 0, value.isFinite else {
            return nil
        }
        let bytes = value * scale
        guard bytes >= 1, bytes < 9e18 else { return nil }
        return Int(bytes)
    }
}
