// Scopes: blocks, nested functions that capture, shadowing in if let, guard at the top level.
var total = 0
func addAll(_ values: [Int]) {
    func add(_ v: Int) { total += v }
    for v in values { add(v) }
}
addAll([1, 2, 3])
print(total) // expect: 6
let value: Int? = 5
if let value = value {
    let doubled = value * 2
    print(doubled) // expect: 10
}
print(value) // expect: Optional(5)
// cell
print(doubled) // expect error: cannot find 'doubled' in scope
// cell
// A top-level guard's else may end the cell with return.
let input: Int? = nil
guard let unwrapped = input else {
    print("no input")
    return
}
print("not reached")
// expect: no input
// cell
let count = 3
guard count > 2 else { return }
print("count ok") // expect: count ok
// cell
func makeAdders() -> [(Int) -> Int] {
    var adders: [(Int) -> Int] = []
    for step in [1, 10] {
        adders.append { $0 + step }
    }
    return adders
}
print(makeAdders().map { $0(5) }) // expect: [6, 15]
// cell
var flag = false
while !flag {
    flag = true
    print("once") // expect: once
}
repeat {
    print("repeat runs once") // expect: repeat runs once
    break
} while true
// cell
let mode = .train
print(mode) // expect: train
print(mode == .train, mode == .test) // expect: true false
