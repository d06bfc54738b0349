// One Float32 as text, laid out as numpy's `format_float_positional` and
// `format_float_scientific` lay it out (digits come from `Dragon4`).

/// What happens to trailing zeros and the decimal point (numpy's `trim`).
enum TrimMode {
    /// `'k'`: keep zeros, padding to the minimum digit count (`1.500e+00`).
    case keepZeros
    /// `'.'`: drop trailing zeros, keep the point (`1.`, `1.5`).
    case trimZeros
    /// `'0'`: drop trailing zeros but leave one after the point (`1.0`).
    case leaveOneZero
    /// `'-'`: drop trailing zeros and a bare point (`1`, `1e+16`).
    case dropPoint
}

enum FloatText {
    /// `x` without an exponent, e.g. `-12.5`, space-padded to `padLeft`
    /// characters before the point (sign included) and `padRight` after it.
    ///
    /// `maximum` and `minimum` bound the digits as in `Dragon4.digits`.
    static func positional(
        _ x: Float, maximum: DigitLimit?, minimum: DigitLimit? = nil,
        trim: TrimMode, padLeft: Int = 0, padRight: Int? = nil
    ) -> String {
        let decimal = Dragon4.digits(of: x, maximum: maximum, minimum: minimum)
        let sign = x.sign == .minus ? "-" : ""
        var (whole, fraction) = positionalParts(decimal)
        if trim == .keepZeros, case .fractionDigits(let count)? = minimum, fraction.count < count {
            fraction += String(repeating: "0", count: count - fraction.count)
        }
        if trim != .keepZeros { fraction = fraction.trimmingTrailingZeros }
        var text = sign + whole + point(before: fraction, trim: trim)
        if let padRight, padRight >= fraction.count {
            let bareNumber = trim == .dropPoint && fraction.isEmpty
            text += String(repeating: " ", count: padRight - fraction.count + (bareNumber ? 1 : 0))
        }
        return leftPadded(text, to: padLeft, occupied: sign.count + whole.count)
    }

    /// `x` as `d.ddde±xx`, space-padded to `padLeft` characters before the
    /// point (sign included), the exponent zero-padded to `exponentDigits`.
    ///
    /// Shows at most `maxFractionDigits` and at least `minFractionDigits`
    /// digits after the point; with `.keepZeros`, zeros fill up to the minimum.
    static func scientific(
        _ x: Float, maxFractionDigits: Int?, minFractionDigits: Int? = nil,
        trim: TrimMode, padLeft: Int = 0, exponentDigits: Int = 2
    ) -> String {
        let decimal = Dragon4.digits(
            of: x,
            maximum: maxFractionDigits.map { .significantDigits($0 + 1) },
            minimum: minFractionDigits.map { .significantDigits($0 + 1) })
        let sign = x.sign == .minus ? "-" : ""
        var fraction = String(decimal.digits.dropFirst().map { Character(String($0)) })
        if trim == .keepZeros, let minimum = minFractionDigits, fraction.count < minimum {
            fraction += String(repeating: "0", count: minimum - fraction.count)
        }
        if trim != .keepZeros { fraction = fraction.trimmingTrailingZeros }
        let magnitude = String(abs(decimal.exponent))
        let exponent = String(repeating: "0", count: max(0, exponentDigits - magnitude.count)) + magnitude
        let text = sign + String(decimal.digits[0]) + point(before: fraction, trim: trim)
            + "e" + (decimal.exponent < 0 ? "-" : "+") + exponent
        return leftPadded(text, to: padLeft, occupied: sign.count + 1)
    }

    /// numpy's `str()` of a float32 scalar (used for 0-d arrays): positional
    /// with one trailing zero between 1e-4 and 1e6, else the shortest
    /// scientific form (`8.0`, `0.5`, `1e-05`, `1.5e+20`).
    static func scalarString(_ x: Float) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        // numpy compares in long double; Double is as exact for a Float.
        let magnitude = Double(x.magnitude)
        if magnitude == 0 || (magnitude < 1e6 && magnitude >= 1e-4) {
            return positional(x, maximum: nil, trim: .leaveOneZero)
        }
        return scientific(x, maxFractionDigits: nil, trim: .dropPoint)
    }

    /// Splits digits at the decimal point, writing zeros between the digits
    /// and the point (`12e3` → `12000`, `5e-3` → `0` and `005`).
    private static func positionalParts(_ decimal: DecimalDigits) -> (whole: String, fraction: String) {
        let text = String(decimal.digits.map { Character(String($0)) })
        if decimal.exponent < 0 {
            return ("0", String(repeating: "0", count: -decimal.exponent - 1) + text)
        }
        let wholeCount = decimal.exponent + 1
        if text.count <= wholeCount {
            return (text + String(repeating: "0", count: wholeCount - text.count), "")
        }
        return (String(text.prefix(wholeCount)), String(text.dropFirst(wholeCount)))
    }

    /// The point and fraction as `trim` wants them written.
    private static func point(before fraction: String, trim: TrimMode) -> String {
        switch trim {
        case .keepZeros, .trimZeros: return "." + fraction
        case .leaveOneZero: return "." + (fraction.isEmpty ? "0" : fraction)
        case .dropPoint: return fraction.isEmpty ? "" : "." + fraction
        }
    }

    /// Prepends spaces so that `occupied` characters grow to `width`.
    private static func leftPadded(_ text: String, to width: Int, occupied: Int) -> String {
        guard width > occupied else { return text }
        return String(repeating: " ", count: width - occupied) + text
    }
}

extension String {
    fileprivate var trimmingTrailingZeros: String {
        var text = self
        while text.last == "0" { text.removeLast() }
        return text
    }
}
