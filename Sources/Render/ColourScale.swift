/// Value -> colour for heatmaps. Values of both signs get a diverging blue-white-red scale
/// centred on 0 (so 0 is always white); one-signed values get a sequential (viridis-like) scale.
struct ColourScale {
    typealias RGB = (red: Double, green: Double, blue: Double)

    static let blue: RGB = (33, 102, 172)
    static let white: RGB = (247, 247, 247)
    static let red: RGB = (178, 24, 43)
    static let sequential: [RGB] = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)]
    /// Cells with no finite value.
    static let missing = "#888888"

    let isDiverging: Bool
    /// The values at the ends of the colour bar.
    let bottom: Double
    let top: Double
    /// Whether the ends are percentiles rather than the extremes (`init(values:)`): values
    /// beyond them take the end colours.
    private(set) var isClipped = false
    /// How many values lie beyond the ends.
    private(set) var beyond = 0

    init(range: (min: Double, max: Double)) {
        if range.min < 0 && range.max > 0 {
            let limit = max(-range.min, range.max)
            isDiverging = true
            bottom = -limit
            top = limit
        } else {
            isDiverging = false
            bottom = range.min
            top = range.max
        }
    }

    /// The percentile the ends are clipped at (and 100 minus it at the bottom).
    static let clipPercentile = 98.0
    /// The fewest values worth clipping: below this every value counts.
    static let clipMinimumCount = 50
    /// Clip when the extremes stretch the bar by more than this over the percentiles.
    static let clipStretch = 1.5

    /// A scale for `values` that is not washed out by a few outliers: when the extremes reach
    /// more than `clipStretch` times as far as the 2nd and 98th percentiles (of |value| for
    /// values of both signs), the bar ends there and the outliers take its end colours.
    init(values: [Double]) {
        let finite = values.filter(\.isFinite).sorted()
        guard let low = finite.first, let high = finite.last else {
            self.init(range: (0, 0))
            return
        }
        self.init(range: (low, high))
        guard finite.count >= Self.clipMinimumCount else { return }
        func percentile(_ sorted: [Double], _ p: Double) -> Double {
            let rank = p / 100 * Double(sorted.count - 1)
            let lower = Int(rank.rounded(.down))
            let upper = min(lower + 1, sorted.count - 1)
            return sorted[lower] + (sorted[upper] - sorted[lower]) * (rank - Double(lower))
        }
        if isDiverging {
            let limit = percentile(finite.map(abs).sorted(), Self.clipPercentile)
            guard limit > 0, top > Self.clipStretch * limit else { return }
            self = ColourScale(range: (-limit, limit))
        } else {
            let (lower, upper) = (percentile(finite, 100 - Self.clipPercentile), percentile(finite, Self.clipPercentile))
            guard upper > lower, high - low > Self.clipStretch * (upper - lower) else { return }
            // Percentiles of one-signed values have that sign too: the scale stays sequential.
            self = ColourScale(range: (lower, upper))
        }
        isClipped = true
        beyond = finite.count { $0 < bottom || $0 > top }
    }

    /// Where `value` sits on the bar, 0 at `bottom` and 1 at `top` (0.5 when they are equal).
    func position(_ value: Double) -> Double {
        let span = top - bottom
        guard span > 0 else { return 0.5 }
        return min(max((value - bottom) / span, 0), 1)
    }

    /// `#rrggbb` for `value`; grey when it is not finite.
    func colour(_ value: Double) -> String {
        guard value.isFinite else { return Self.missing }
        return Self.hex(rgb(at: position(value)))
    }

    /// Colour at bar position `t` in 0...1.
    func rgb(at t: Double) -> RGB {
        if isDiverging {
            return t < 0.5 ? Self.mix(Self.blue, Self.white, t * 2) : Self.mix(Self.white, Self.red, (t - 0.5) * 2)
        }
        let scaled = t * Double(Self.sequential.count - 1)
        let lower = min(Int(scaled), Self.sequential.count - 2)
        return Self.mix(Self.sequential[lower], Self.sequential[lower + 1], scaled - Double(lower))
    }

    /// Stops for the colour bar's gradient, bottom (0) to top (1).
    var gradientStops: [(offset: Double, colour: String)] {
        let count = isDiverging ? 3 : Self.sequential.count
        return (0..<count).map { index in
            let t = Double(index) / Double(count - 1)
            return (t, Self.hex(rgb(at: t)))
        }
    }

    private static func mix(_ a: RGB, _ b: RGB, _ t: Double) -> RGB {
        let s = min(max(t, 0), 1)
        return (a.red + (b.red - a.red) * s, a.green + (b.green - a.green) * s, a.blue + (b.blue - a.blue) * s)
    }

    private static func hex(_ colour: RGB) -> String {
        let digits = Array("0123456789abcdef")
        var text = "#"
        for component in [colour.red, colour.green, colour.blue] {
            let byte = Int(min(max(component.rounded(), 0), 255))
            text.append(digits[byte / 16])
            text.append(digits[byte % 16])
        }
        return text
    }
}
