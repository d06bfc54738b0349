// let is immutable, var is not; shadowing follows Swift.
let a = 1
var b = 2
b = b + a
print(b) // expect: 3
b += 10
print(b) // expect: 13
// cell
a = 5 // expect error: 'a' is a let constant and cannot be changed
// expect error at 9:1
// cell
let list = [1, 2]
list.append(3) // expect error: 'list' is a let constant and cannot be changed
// cell
var x = 1
do {
    let x = "inner"
    print(x) // expect: inner
}
print(x) // expect: 1
// cell
do {
    let y = 1
    let y = 2 // expect error: invalid redeclaration of 'y'
}
// cell
print(undefinedName) // expect error: cannot find 'undefinedName' in scope
// expect error at 27:7
// cell
// Re-declaring at the top level is allowed, as when a cell runs twice.
let a = 100
print(a) // expect: 100
// cell
var later: Int
later = 4
print(later) // expect: 4
// cell
let d: Double = 3
print(d) // expect: 3.0
// cell
let n: Int = "text" // expect error: cannot convert value of type 'String' to specified type 'Int'
// cell
let m: Int = nil // expect error: 'nil' cannot initialize specified type 'Int'
// cell
var maybe: Int? = 3
print(maybe) // expect: Optional(3)
maybe = 4
print(maybe) // expect: Optional(4)
maybe = nil
print(maybe) // expect: nil
// cell
let (p, q) = (1, 2)
print(p, q) // expect: 1 2
var (u, _) = (5, 6)
u += 1
print(u) // expect: 6
// cell
var i = 0
var j = 1
(i, j) = (j, i)
print(i, j) // expect: 1 0

// cell
// A let constant that holds a value type cannot change, even through a member.
let point = (x: 1, y: 2)
point.x = 5
// expect error: 'point' is a let constant and cannot be changed
