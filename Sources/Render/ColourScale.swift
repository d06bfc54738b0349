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
