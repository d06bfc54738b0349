// The globals a student expects.
print(min(3, 1, 2), max(3, 1, 2)) // expect: 1 3
print(min(2.5, 1), max(0, -1.5)) // expect: 1.0 0.0
print(abs(-4), abs(-2.5)) // expect: 4 2.5
print(sqrt(16.0), pow(2.0, 10)) // expect: 4.0 1024.0
print(exp(0), log(1)) // expect: 1.0 0.0
print(floor(2.7), ceil(2.1), round(2.5)) // expect: 2.0 3.0 3.0
print(Double(3), Int(3.99), Int(-3.99)) // expect: 3.0 3 -3
print(String(42), String(1.5), String(true)) // expect: 42 1.5 true
print(Double("2.5"), Double("x")) // expect: Optional(2.5) nil
print(Array(0..<3), Array("ab")) // expect: [0, 1, 2] ["a", "b"]
print(zip([1, 2, 3], ["a", "b"])) // expect: [(1, "a"), (2, "b")]
print(Int.max, Int.min) // expect: 9223372036854775807 -9223372036854775808
print(Double.pi) // expect: 3.141592653589793
print(type(of: 1), type(of: [1.0])) // expect: Int [Double]
print(10.isMultiple(of: 5), 2.0.squareRoot()) // expect: true 1.4142135623730951
print((2.6).rounded()) // expect: 3.0
let values = [1.0, 2.0, 4.0]
print(values.reduce(0, +) / Double(values.count)) // expect: 2.3333333333333335
// cell
print(Int(Double.nan)) // expect error: Double value cannot be converted to Int because it is either infinite or NaN
// cell
print(Int(1e300)) // expect error: Double value 1e+300 cannot be converted to Int because it is outside the range of Int
// cell
print(Int(Double.infinity)) // expect error: Double value cannot be converted to Int because it is either infinite or NaN
// cell
print(sqrt("four")) // expect error: sqrt(_:): expected Double, got String
// cell
print(min(1)) // expect error: min takes two or more unlabelled values
// cell
assert(1 > 2, "math is broken") // expect error: Assertion failed: math is broken
// cell
fatalError("stop here") // expect error: Fatal error: stop here
// cell
print(Array(repeating: 0, count: 100_000_000)) // expect error: that would make 100000000 elements; the limit is 10000000
