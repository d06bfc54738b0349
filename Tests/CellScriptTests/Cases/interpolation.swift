// String interpolation shows values as print does.
let items = ["pen", "ink"]
let prices = ["pen": 1.5]
let point = (x: 1, y: 2)
print("items: \(items), count: \(items.count)") // expect: items: ["pen", "ink"], count: 2
print("price: \(prices["pen"] ?? 0)") // expect: price: 1.5
print("point: \(point)") // expect: point: (x: 1, y: 2)
print("nested: \("inner \(1 + 1)")") // expect: nested: inner 2
print("range: \(0..<2), bool: \(true), nil: \(nil as Int?)") // expect: range: 0..<2, bool: true, nil: nil
print("escapes: \"q\" \\ done") // expect: escapes: "q" \ done
let multi = """
    line one
    line two
    """
print(multi)
// expect: line one
// expect: line two
