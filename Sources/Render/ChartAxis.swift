import Foundation

/// One axis of a chart: its domain in data units, where the ticks go and what they say.
/// Linear axes step by 1, 2 or 5 times a power of ten; log axes tick at 1, 2 and 5 per decade
/// over short ranges and at powers of ten (every n-th over very long ranges) otherwise.
struct ChartAxis: Equatable {
    var lower: Double
    var upper: Double
    var ticks: [Double]
    var labels: [String]
    var isLog: Bool

    /// Where `value` falls along the axis, 0 at `lower` and 1 at `upper`.
    func fraction(_ value: Double) -> Double {
        if isLog {
            let span = log10(upper) - log10(lower)
            return span > 0 ? (log10(value) - log10(lower)) / span : 0.5
        }
        let span = upper - lower
        return span > 0 ? (value - lower) / span : 0.5
    }

    /// A linear axis covering `min...max` (finite), widened to whole ticks. Equal ends are
    /// spread apart so a constant series still gets a readable axis.
    static func linear(min: Double, max: Double, targetTicks: Int = 6) -> ChartAxis {
        var low = Swift.min(min, max)
        var high = Swift.max(min, max)
        if !low.isFinite || !high.isFinite {
            low = 0
            high = 1
        }
        if low == high {
            let spread = low == 0 ? 1 : abs(low) * 0.1
            low -= spread
            high += spread
        }
        let step = niceStep((high - low) / Double(Swift.max(targetTicks - 1, 1)))
        let first = (low / step).rounded(.down)
        let last = (high / step).rounded(.up)
        guard step > 0, step.isFinite, last - first <= 100 else {
            return ChartAxis(lower: low, upper: high, ticks: [low, high],
                             labels: [NumberText.compact(low), NumberText.compact(high)], isLog: false)
        }
        var ticks: [Double] = []
        var k = first
        while k <= last {
            let tick = k * step
            ticks.append(tick == 0 ? 0 : tick)
            k += 1
        }
        let labels = ticks.map { linearLabel($0, step: step) }
        return ChartAxis(lower: first * step, upper: last * step, ticks: ticks, labels: labels, isLog: false)
    }

    /// A log axis covering `min...max`, which must be positive and finite.
    static func logarithmic(min: Double, max: Double) -> ChartAxis {
        let low = Swift.min(min, max)
        let high = Swift.max(min, max)
        guard low > 0, high.isFinite else { return linear(min: low, max: high) }
        let lowDecade = Int(log10(low).rounded(.down))
        let highDecade = Int(log10(high).rounded(.up))
        var candidates: [Double] = []
        for decade in (lowDecade - 1)...(highDecade + 1) {
            let power = pow(10, Double(decade))
            candidates += [power, 2 * power, 5 * power]
        }
        let tolerance = 1e-9
        var lowerIndex = candidates.lastIndex { $0 <= low * (1 + tolerance) } ?? 0
        var upperIndex = candidates.firstIndex { $0 >= high * (1 - tolerance) } ?? (candidates.count - 1)
        if lowerIndex >= upperIndex {
            lowerIndex = Swift.max(upperIndex - 1, 0)
            upperIndex = Swift.min(lowerIndex + 2, candidates.count - 1)
        }
        if upperIndex - lowerIndex <= 9 {
            let ticks = Array(candidates[lowerIndex...upperIndex])
            return ChartAxis(lower: ticks[0], upper: ticks[ticks.count - 1], ticks: ticks,
                             labels: ticks.map(NumberText.compact), isLog: true)
        }
        // Too many 1-2-5 ticks: powers of ten only, thinned to at most about eight.
        let decades = Swift.max(highDecade - lowDecade, 1)
        let stride = (decades + 7) / 8
        let steps = (decades + stride - 1) / stride
        let ticks = (0...steps).map { pow(10, Double(lowDecade + $0 * stride)) }
        return ChartAxis(lower: ticks[0], upper: ticks[ticks.count - 1], ticks: ticks,
                         labels: ticks.map(NumberText.compact), isLog: true)
    }

    /// 1, 2 or 5 times a power of ten, at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let power = pow(10, log10(raw).rounded(.down))
        let fraction = raw / power
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        return nice * power
    }

    /// As many decimals as the step needs: `0.25` steps never, since steps are 1-2-5.
    private static func linearLabel(_ value: Double, step: Double) -> String {
        let magnitude = Swift.max(abs(value), step)
        if magnitude >= 1e6 || step < 1e-4 { return NumberText.compact(value) }
        let decimals = Swift.max(0, Int((-log10(step) - 1e-9).rounded(.up)))
        return String(format: "%.\(decimals)f", value)
    }
}
