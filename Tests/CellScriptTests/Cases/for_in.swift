// for-in over ranges, arrays, dictionaries, strings; where clauses; fresh bindings.
for i in 0..<3 {
    print(i)
}
// expect: 0
// expect: 1
// expect: 2
for i in 1...2 {
    print(i)
}
// expect: 1
// expect: 2
for word in ["a", "b"] {
    print(word)
}
// expect: a
// expect: b
for n in 1...10 where n % 4 == 0 {
    print(n)
}
// expect: 4
// expect: 8
for _ in 0..<2 {
    print("again")
}
// expect: again
// expect: again
for (a, b) in [(1, 2), (3, 4)] {
    print(a + b)
}
// expect: 3
// expect: 7
for entry in ["k": 1] {
    print(entry.key, entry.value)
}
// expect: k 1
// cell
var closures: [() -> Int] = []
for i in 0..<3 {
    closures.append({ i * 10 })
}
print(closures.map { $0() }) // expect: [0, 10, 20]
// cell
for i in 0..<2 {
    i = 5 // expect error: 'i' is a let constant and cannot be changed
}
// cell
for x in 42 {
    print(x)
} // expect error: cannot iterate over a value of type Int; for-in needs a range, array, dictionary, string or iterator
// cell
let maybeList: [Int]? = [1]
for x in maybeList { // expect error: value of optional type '[Int]?' must be unwrapped before iterating over it
    print(x)
}
// cell
func firstEven(_ values: [Int]) -> Int? {
    for value in values {
        if value % 2 == 0 { return value }
    }
    return nil
}
print(firstEven([1, 3, 4, 6]) ?? -1) // expect: 4
print(firstEven([1]) ?? -1) // expect: -1
