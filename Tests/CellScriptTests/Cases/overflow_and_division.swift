// Overflow and division by zero are errors, never traps.
let big = Int.max
print(big) // expect: 9223372036854775807
print(big + 1) // expect error: arithmetic overflow: 9223372036854775807 + 1 does not fit in an Int
// expect error at 4:11
// cell
print(Int.min - 1) // expect error: arithmetic overflow: -9223372036854775808 - 1 does not fit in an Int
// cell
print(Int.max * 2) // expect error: arithmetic overflow: 9223372036854775807 * 2 does not fit in an Int
// cell
let zero = 0
print(10 / zero) // expect error: division by zero
// expect error at 12:10
// cell
let zero2 = 0
print(10 % zero2) // expect error: division by zero in remainder operation
// cell
print(Int.min / -1) // expect error: arithmetic overflow: -9223372036854775808 / -1 does not fit in an Int
// cell
let smallest = Int.min
print(-smallest) // expect error: arithmetic overflow: -(-9223372036854775808) does not fit in an Int
// cell
var counter = Int.max - 1
counter += 1
print(counter) // expect: 9223372036854775807
counter += 1 // expect error: arithmetic overflow: 9223372036854775807 + 1 does not fit in an Int
// cell
print(counter) // expect: 9223372036854775807
print(abs(Int.min)) // expect error: arithmetic overflow: abs(-9223372036854775808) does not fit in an Int
