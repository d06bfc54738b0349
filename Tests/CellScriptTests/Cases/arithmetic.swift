// Int and Double arithmetic with Swift's rules.
print(7 / 2) // expect: 3
print(-7 / 2) // expect: -3
print(7 % 3) // expect: 1
print(-7 % 3) // expect: -1
print(7.0 / 2) // expect: 3.5
print(2 * 3 + 4) // expect: 10
print(2 * (3 + 4)) // expect: 14
print(1 - 2 - 3) // expect: -4
print(-(5)) // expect: -5
print(+5) // expect: 5
print(2.5 * 2) // expect: 5.0
print(1 + 0.5) // expect: 1.5
print(6 & 3, 6 | 3, 6 ^ 3, 1 << 4, 32 >> 2) // expect: 2 7 5 16 8
print(1 << 64, -8 >> 100, 8 >> -1, ~5) // expect: 0 -1 16 -6
print(1.0 / 0) // expect: inf
print(-1.0 / 0) // expect: -inf
let half = 0.5
print(half * 4) // expect: 2.0
print(10 - half) // expect: 9.5
var total = 0.0
total += 1
print(total) // expect: 1.0
// cell
let n = 3
let x = 1.5
print(n * x) // expect error: cannot multiply Int and Double
// expect error at 27:9
// cell
let n2 = 3
print(Double(n2) * 1.5) // expect: 4.5
print(n2 * Int(1.5)) // expect: 3
// cell
print(1 + "a") // expect error: cannot add Int and String
// cell
print("a" - "b") // expect error: cannot subtract String from String
// cell
print(5.5 % 2.0) // expect error: '%' is unavailable for Double; use a.truncatingRemainder(dividingBy: b)
// cell
print(5.5.truncatingRemainder(dividingBy: 2)) // expect: 1.5
print(true + 1) // expect error: cannot add Bool and Int
