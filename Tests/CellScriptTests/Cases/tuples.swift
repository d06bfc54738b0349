// Tuples: positional and labelled elements, destructuring, mutation.
let pair = (3, "three")
print(pair.0, pair.1) // expect: 3 three
let point = (x: 1.5, y: -2.0)
print(point.x, point.y, point.0) // expect: 1.5 -2.0 1.5
var p = (x: 1, y: 2)
p.x = 10
p.1 += 5
print(p) // expect: (x: 10, y: 7)
let (a, b) = pair
print(a, b) // expect: 3 three
let nested = (1, (2, 3))
print(nested.1.0) // expect: 2
func minMax(_ values: [Int]) -> (min: Int, max: Int) {
    return (min: values.min()!, max: values.max()!)
}
let bounds = minMax([4, 9, 1])
print(bounds) // expect: (min: 1, max: 9)
print(bounds.min + bounds.1) // expect: 10
// cell
print(pair.2) // expect error: value of type '(Int, String)' has no member '2'
// cell
let (u, v, w) = (1, 2) // expect error: cannot destructure a value of type (Int, Int) into a tuple of 3 elements
