// Closures: parameters, $0, capture by reference, trailing closures, returning closures.
let double = { (x: Int) -> Int in x * 2 }
print(double(4)) // expect: 8
let add: (Int, Int) -> Int = { a, b in a + b }
print(add(2, 3)) // expect: 5
print([1, 2, 3].map { $0 + 1 }) // expect: [2, 3, 4]
print([3, 1, 2].sorted { a, b in a > b }) // expect: [3, 2, 1]
// cell
func makeCounter() -> () -> Int {
    var count = 0
    return {
        count += 1
        return count
    }
}
let counter = makeCounter()
print(counter(), counter(), counter()) // expect: 1 2 3
let other = makeCounter()
print(other()) // expect: 1
// cell
var captured = 1
let read = { captured * 100 }
captured = 2
print(read()) // expect: 200
let bump = { captured += 1 }
bump()
bump()
print(captured) // expect: 4
// cell
let pairs = [(1, "a"), (2, "b")]
print(pairs.map { number, letter in "\(letter)\(number)" }) // expect: ["a1", "b2"]
print(pairs.map { $0.1 }) // expect: ["a", "b"]
// cell
let twoArgs = { (a: Int, b: Int) in a + b }
print(twoArgs(1)) // expect error: the closure takes 2 arguments but was called with 1
// cell
let compose = { (f: @escaping (Int) -> Int, g: @escaping (Int) -> Int) in { (x: Int) in g(f(x)) } }
let incrementThenDouble = compose({ $0 + 1 }, { $0 * 2 })
print(incrementThenDouble(5)) // expect: 12
