// Decimal digits of a Float32, generated the way numpy's Dragon4 does.
//
// numpy prints floats with Dragon4 (Steele & White, Burger & Dybvig) on exact
// big-integer arithmetic. We do the same rather than reuse `Float.description`
// because numpy's text depends on details a shortest-digits printer hides:
//   - a digit cut-off (8 fraction digits) rounds the *exact* binary value;
//   - a digit minimum keeps printing the exact value past the shortest digits
//     (`1.00000001e-01` for 0.1f when a neighbour needs 8 fraction digits);
//   - the round-trip interval is closed for even significands (IEEE ties).
//
// Notation: the value is v = m * 2^e. Every quantity below is a fraction over
// the shared denominator `scale`: value = v, marginLow / marginHigh = half the
// gap to the next Float below / above (they differ at powers of two).

/// Digits `d0 d1 d2 ...` meaning `d0.d1d2... * 10^exponent`.
struct DecimalDigits: Equatable {
    /// Decimal digits, most significant first; `[0]` for zero.
    var digits: [UInt8]
    /// Power of ten of the first digit.
    var exponent: Int
}

/// How far digit generation may (or must) go.
enum DigitLimit {
    /// Count digits after the decimal point.
    case fractionDigits(Int)
    /// Count digits from the first significant one.
    case significantDigits(Int)

    /// Power of ten of the last digit this limit allows, given the power of ten
    /// just above the first digit (`firstDigitExponent + 1`).
    func lastExponent(above digitExponent: Int) -> Int {
        switch self {
        case .fractionDigits(let count): return -count
        case .significantDigits(let count): return digitExponent - count
        }
    }
}

enum Dragon4 {
    /// The digits of `|x|` (finite), numpy's "unique" mode.
    ///
    /// Stops at the shortest digits that read back as `x`, but never before
    /// `minimum` nor after `maximum`; at `maximum` the exact value is rounded
    /// half-to-even on the last digit.
    static func digits(of x: Float, maximum: DigitLimit?, minimum: DigitLimit? = nil) -> DecimalDigits {
        precondition(x.isFinite, "Dragon4 digits of \(x)")
        guard x != 0 else { return DecimalDigits(digits: [0], exponent: 0) }
        var state = ScaledValue(x.magnitude)
        var digitExponent = state.alignToFirstDigit(fractionLimit: maximum.flatMap(\.fractionCount))
        let firstExponent = digitExponent - 1
        let stopBefore = maximum?.lastExponent(above: digitExponent)
        let mayStopAt = min(digitExponent, minimum?.lastExponent(above: digitExponent) ?? digitExponent)

        var digits: [UInt8] = []
        var digit: UInt8 = 0
        var low = false
        var high = false
        while true {
            digitExponent -= 1
            digit = state.nextDigit()
            (low, high) = state.closeToNeighbours()
            if ((low || high) && digitExponent <= mayStopAt) || digitExponent == stopBefore { break }
            digits.append(digit)
            state.shiftDigit()
        }
        let roundDown = low != high ? low : state.remainderRoundsDown(lastDigit: digit)
        return finish(digits, lastDigit: digit, roundDown: roundDown, exponent: firstExponent)
    }

    /// Appends the last digit, propagating a carry through trailing nines
    /// (`0.999` rounding up becomes `1` one decade higher).
    private static func finish(_ digits: [UInt8], lastDigit: UInt8, roundDown: Bool, exponent: Int) -> DecimalDigits {
        var digits = digits
        if roundDown {
            digits.append(lastDigit)
            return DecimalDigits(digits: digits, exponent: exponent)
        }
        if lastDigit < 9 {
            digits.append(lastDigit + 1)
            return DecimalDigits(digits: digits, exponent: exponent)
        }
        while let last = digits.last, last == 9 { digits.removeLast() }
        guard !digits.isEmpty else { return DecimalDigits(digits: [1], exponent: exponent + 1) }
        digits[digits.count - 1] += 1
        return DecimalDigits(digits: digits, exponent: exponent)
    }
}

extension DigitLimit {
    fileprivate var fractionCount: Int? {
        if case .fractionDigits(let count) = self { return count }
        return nil
    }
}

/// A positive Float32 and its rounding interval as exact fractions over `scale`.
private struct ScaledValue {
    var value: BigNatural
    var scale: BigNatural
    var marginLow: BigNatural
    var marginHigh: BigNatural
    /// Even significands own their interval's end points (round-half-even).
    let isEven: Bool
    /// Index of the top bit of the significand; with `exponent` it bounds log2(v).
    let topBit: Int
    let exponent: Int

    init(_ x: Float) {
        let fraction = UInt64(x.significandBitPattern)
        let biased = Int(x.exponentBitPattern)
        let significand = biased == 0 ? fraction : fraction | (1 << 23)
        exponent = (biased == 0 ? 1 : biased) - 127 - 23
        topBit = 63 - significand.leadingZeroBitCount
        isEven = significand & 1 == 0
        // At a power of two the Float below is half as far away as the one above.
        let unequalMargins = biased > 1 && fraction == 0
        let shift = unequalMargins ? 2 : 1
        if exponent >= 0 {
            value = BigNatural(significand).shiftedLeft(by: exponent + shift)
            scale = BigNatural(1 << UInt64(shift))
            marginLow = BigNatural(1).shiftedLeft(by: exponent)
        } else {
            value = BigNatural(significand).shiftedLeft(by: shift)
            scale = BigNatural(1).shiftedLeft(by: -exponent + shift)
            marginLow = BigNatural(1)
        }
        marginHigh = unequalMargins ? marginLow.shiftedLeft(by: 1) : marginLow
    }

    /// Divides by a power of ten so that `value / scale` is in [1, 10), and
    /// returns that power plus one (the exponent just above the first digit).
    ///
    /// With a fraction limit, digits never start below the last allowed
    /// place: a value too small to show becomes leading zeros, then rounds.
    mutating func alignToFirstDigit(fractionLimit: Int?) -> Int {
        // Burger & Dybvig's estimate, biased low so it is exact or one short.
        let log10Estimate = Double(topBit + exponent) * 0.30102999566398119521 - 0.69
        // ceil() by hand: `rounded(.up)` would need libm linked into every client.
        var estimate = Int(log10Estimate)
        if Double(estimate) < log10Estimate { estimate += 1 }
        if let limit = fractionLimit, estimate <= -limit { estimate = -limit + 1 }
        if estimate > 0 {
            scale.multiplyByPowerOfTen(estimate)
        } else if estimate < 0 {
            value.multiplyByPowerOfTen(-estimate)
            marginLow.multiplyByPowerOfTen(-estimate)
            marginHigh.multiplyByPowerOfTen(-estimate)
        }
        if value >= scale { return estimate + 1 }
        shiftDigit()
        return estimate
    }

    /// Moves to the next decimal place.
    mutating func shiftDigit() {
        value.multiply(by: 10)
        marginLow.multiply(by: 10)
        marginHigh.multiply(by: 10)
    }

    /// Takes the integer part (0...9) off `value / scale`.
    mutating func nextDigit() -> UInt8 {
        var digit: UInt8 = 0
        while value >= scale {
            value.subtract(scale)
            digit += 1
        }
        return digit
    }

    /// Whether rounding the digits so far down (`low`) or up (`high`) would
    /// still land inside the interval that reads back as this Float.
    func closeToNeighbours() -> (low: Bool, high: Bool) {
        let belowLow = isEven ? value <= marginLow : value < marginLow
        let upper = value + marginHigh
        let aboveHigh = isEven ? upper >= scale : upper > scale
        return (belowLow, aboveHigh)
    }

    /// Rounds the remainder to nearest, ties to an even last digit.
    func remainderRoundsDown(lastDigit: UInt8) -> Bool {
        let twice = value.shiftedLeft(by: 1)
        if twice == scale { return lastDigit & 1 == 0 }
        return twice < scale
    }
}

/// Unsigned integers of any size: only what exact digit generation needs.
///
/// Float32 needs at most ~2^160 * 10^46, a handful of 32-bit limbs.
private struct BigNatural: Comparable {
    /// Little-endian 32-bit limbs without high zero limbs; zero is `[]`.
    private var limbs: [UInt32]

    init(_ value: UInt64) {
        limbs = [UInt32(truncatingIfNeeded: value), UInt32(truncatingIfNeeded: value >> 32)]
        trim()
    }

    private mutating func trim() {
        while limbs.last == 0 { limbs.removeLast() }
    }

    func shiftedLeft(by bits: Int) -> BigNatural {
        precondition(bits >= 0)
        guard !limbs.isEmpty else { return self }
        var result = BigNatural(0)
        result.limbs = [UInt32](repeating: 0, count: bits / 32) + limbs + [0]
        let partial = UInt32(bits % 32)
        if partial > 0 {
            for index in stride(from: result.limbs.count - 1, to: bits / 32, by: -1) {
                result.limbs[index] = result.limbs[index] << partial | result.limbs[index - 1] >> (32 - partial)
            }
            result.limbs[bits / 32] <<= partial
        }
        result.trim()
        return result
    }

    mutating func multiply(by factor: UInt32) {
        var carry: UInt64 = 0
        for index in limbs.indices {
            let product = UInt64(limbs[index]) * UInt64(factor) + carry
            limbs[index] = UInt32(truncatingIfNeeded: product)
            carry = product >> 32
        }
        if carry > 0 { limbs.append(UInt32(carry)) }
        trim()
    }

    mutating func multiplyByPowerOfTen(_ power: Int) {
        var remaining = power
        while remaining >= 9 {
            multiply(by: 1_000_000_000)
            remaining -= 9
        }
        var factor: UInt32 = 1
        for _ in 0..<remaining { factor *= 10 }
        multiply(by: factor)
    }

    static func + (lhs: BigNatural, rhs: BigNatural) -> BigNatural {
        var result = BigNatural(0)
        var carry: UInt64 = 0
        for index in 0..<max(lhs.limbs.count, rhs.limbs.count) {
            let sum = UInt64(lhs.limb(index)) + UInt64(rhs.limb(index)) + carry
            result.limbs.append(UInt32(truncatingIfNeeded: sum))
            carry = sum >> 32
        }
        if carry > 0 { result.limbs.append(UInt32(carry)) }
        return result
    }

    /// `self -= other`; `other` must not be larger.
    mutating func subtract(_ other: BigNatural) {
        precondition(other <= self, "BigNatural underflow")
        var borrow: Int64 = 0
        for index in limbs.indices {
            var difference = Int64(limbs[index]) - Int64(other.limb(index)) - borrow
            borrow = difference < 0 ? 1 : 0
            if difference < 0 { difference += 1 << 32 }
            limbs[index] = UInt32(difference)
        }
        trim()
    }

    private func limb(_ index: Int) -> UInt32 {
        index < limbs.count ? limbs[index] : 0
    }

    static func < (lhs: BigNatural, rhs: BigNatural) -> Bool {
        if lhs.limbs.count != rhs.limbs.count { return lhs.limbs.count < rhs.limbs.count }
        for index in stride(from: lhs.limbs.count - 1, through: 0, by: -1) where lhs.limbs[index] != rhs.limbs[index] {
            return lhs.limbs[index] < rhs.limbs[index]
        }
        return false
    }
}
