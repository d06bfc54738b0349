// One session across cells: names persist; bindings made before an error stay.
let base = 10
var counter = 0
func bump() -> Int {
    counter += 1
    return counter
}
// cell
print(base + 1) // expect: 11
bump()
bump() // expect: 2
// cell
counter // expect: 2
// cell
let before = "kept"
print(1 / (counter - 2)) // expect error: division by zero
let after = "never bound"
// cell
print(before) // expect: kept
print(after) // expect error: cannot find 'after' in scope
// cell
var log: [String] = []
// cell
log.append("first")
// cell
log.append("second")
log // expect: ["first", "second"]
// cell
counter = 100
// cell
let x = 5
x * 2 // expect: 10
// cell
func report() { print("report") }
report() // expect: report
// cell
print = 3 // expect error: 'print' is a let constant and cannot be changed
