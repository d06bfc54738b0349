// The per-array element formats of numpy's arrayprint with default print
// options (precision 8, floatmode "maxprec", no sign, no suppression). numpy
// looks at every element it is about to print once, picks one notation and
// one padding, and then writes each element with them so columns line up.

/// numpy's `FloatingFormat` for float32.
struct FloatElementFormat {
    /// numpy's default `precision`: at most 8 digits after the point.
    static let precision = 8

    private enum Notation {
        /// Each element keeps its own shortest digits, space-padded on the right.
        case positional
        /// Every element gets exactly `fractionDigits` digits (exact ones, past
        /// its shortest digits if needed), so the exponents line up.
        case scientific(fractionDigits: Int, exponentDigits: Int)
    }

    private let notation: Notation
    /// Characters before the point, sign included.
    private let padLeft: Int
    /// Characters after the point (for scientific, the whole tail `ddde+xx`).
    private let padRight: Int

    /// Chooses the format for `values`, the elements that will be printed.
    init(_ values: [Float]) {
        let finite = values.filter(\.isFinite)
        var padLeft = 0
        var padRight = 0
        if finite.isEmpty {
            notation = .positional
        } else if Self.needsScientific(finite) {
            let widths = Self.scientificWidths(finite)
            notation = .scientific(fractionDigits: widths.fraction, exponentDigits: widths.exponent)
            padLeft = widths.whole
            padRight = widths.exponent + 2 + widths.fraction
        } else {
            (padLeft, padRight) = Self.positionalWidths(finite)
            notation = .positional
        }
        if finite.count != values.count {
            // "nan", "inf" and "-inf" are right-aligned in the same column width.
            let negativeInfinity = values.contains { $0.isInfinite && $0 < 0 }
            let offset = padRight + 1
            padLeft = max(padLeft, 3 - offset, 3 + (negativeInfinity ? 1 : 0) - offset)
        }
        self.padLeft = padLeft
        self.padRight = padRight
    }

    /// `x` in this format.
    func format(_ x: Float) -> String {
        guard x.isFinite else {
            let text = x.isNaN ? "nan" : (x < 0 ? "-inf" : "inf")
            return String(repeating: " ", count: max(0, padLeft + padRight + 1 - text.count)) + text
        }
        switch notation {
        case .positional:
            return FloatText.positional(
                x, maximum: .fractionDigits(Self.precision), minimum: .fractionDigits(0),
                trim: .trimZeros, padLeft: padLeft, padRight: padRight)
        case .scientific(let fractionDigits, let exponentDigits):
            return FloatText.scientific(
                x, maxFractionDigits: fractionDigits, minFractionDigits: fractionDigits,
                trim: .keepZeros, padLeft: padLeft, exponentDigits: exponentDigits)
        }
    }

    /// numpy switches to scientific when the nonzero magnitudes reach 1e6
    /// (float32 has 6 reliable digits), go below 1e-4, or span more than
    /// three decades. Like numpy, the tests run in float32 arithmetic, so the
    /// ratio is a rounded float32 quotient and may overflow to infinity.
    private static func needsScientific(_ finite: [Float]) -> Bool {
        let magnitudes = finite.lazy.filter { $0 != 0 }.map(\.magnitude)
        guard let largest = magnitudes.max(), let smallest = magnitudes.min() else { return false }
        return largest >= Float(1e6) || smallest < Float(0.0001) || largest / smallest > Float(1000)
    }

    /// Widths from each value's own positional text (`-12.5` → 3 and 1).
    private static func positionalWidths(_ finite: [Float]) -> (whole: Int, fraction: Int) {
        var whole = 0
        var fraction = 0
        for value in finite {
            let text = FloatText.positional(value, maximum: .fractionDigits(precision), trim: .trimZeros)
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            whole = max(whole, parts[0].count)
            fraction = max(fraction, parts[1].count)
        }
        return (whole, fraction)
    }

    /// Widths from each value's own scientific text (`-1.25e-07` → 2, 2, 2).
    private static func scientificWidths(_ finite: [Float]) -> (whole: Int, fraction: Int, exponent: Int) {
        var whole = 0
        var fraction = 0
        var exponent = 0
        for value in finite {
            let text = FloatText.scientific(value, maxFractionDigits: precision, trim: .trimZeros)
            let halves = text.split(separator: "e")
            let mantissa = halves[0].split(separator: ".", omittingEmptySubsequences: false)
            whole = max(whole, mantissa[0].count)
            fraction = max(fraction, mantissa[1].count)
            exponent = max(exponent, halves[1].count - 1)
        }
        return (whole, fraction, exponent)
    }
}

/// numpy's `IntegerFormat`: right-aligned to the wider of the largest and
/// smallest printed value.
struct IntElementFormat {
    private let width: Int

    init(_ values: [Int32]) {
        let widest = [values.max(), values.min()].compactMap { $0 }.map { String($0).count }.max()
        width = widest ?? 0
    }

    func format(_ x: Int32) -> String {
        let text = String(x)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
