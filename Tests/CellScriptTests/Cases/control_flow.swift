// if / else if / else, guard, while, repeat-while, break, continue.
let temperature = 25
if temperature > 30 {
    print("hot")
} else if temperature > 20 {
    print("warm")
} else {
    print("cold")
}
// expect: warm
var n = 0
while n < 3 {
    n += 1
}
print(n) // expect: 3
repeat {
    n -= 1
} while n > 10
print(n) // expect: 2
var i = 0
while true {
    i += 1
    if i == 2 { continue }
    if i > 4 { break }
    print(i)
}
// expect: 1
// expect: 3
// expect: 4
// cell
func check(_ value: Int?) -> String {
    guard let value = value, value > 0 else {
        return "not positive"
    }
    return "positive \(value)"
}
print(check(5)) // expect: positive 5
print(check(-1)) // expect: not positive
print(check(nil)) // expect: not positive
// cell
func falls() {
    guard false else {
        print("oops")
    }
}
falls()
// expect: oops
// expect error: 'guard' body must not fall through; end it with 'return', 'break' or 'continue'
// cell
var outer = 0
for a in 0..<3 {
    for b in 0..<3 {
        if b == 1 { break }
        outer += 1
    }
}
print(outer) // expect: 3
// cell
if let x = Int("42"), x > 40 {
    print("big \(x)")
}
// expect: big 42
var stack = [1, 2, 3]
while let top = stack.popLast() {
    print(top)
}
// expect: 3
// expect: 2
// expect: 1
