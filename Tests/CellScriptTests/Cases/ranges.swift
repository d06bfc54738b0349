// Ranges: half-open, closed, one-sided; count and contains.
let r = 2..<5
print(r.count, r.lowerBound, r.upperBound) // expect: 3 2 5
print(r.contains(4), r.contains(5)) // expect: true false
print((1...3).count, (1...3).contains(3)) // expect: 3 true
print(Array(0..<0)) // expect: []
print((0..<4).map { $0 * $0 }) // expect: [0, 1, 4, 9]
print((1...4).reduce(0, +)) // expect: 10
print((0..<5).filter { $0 % 2 == 0 }) // expect: [0, 2, 4]
print((0..<3).reversed()) // expect: [2, 1, 0]
var sum = 0
for i in stride(from: 0, to: 10, by: 3) {
    sum += i
}
print(sum) // expect: 18
print(stride(from: 1.0, through: 2.0, by: 0.5)) // expect: [1.0, 1.5, 2.0]
// cell
let backwards = 5..<2 // expect error: cannot form a range 5..<2: the lower bound is greater than the upper bound
// cell
let mixed = 0..<2.5 // expect error: ranges need Int bounds, not Double and Double
// cell
for i in 3... {
    if i > 5 { break }
    print(i)
}
// expect: 3
// expect: 4
// expect: 5
// cell
print(Array(...3)) // expect error: cannot collect the elements of an unbounded range
