// Comparisons and logical operators.
print(1 < 2, 2 <= 2, 3 > 4, 4 >= 5) // expect: true true false false
print(1 == 1, 1 != 1) // expect: true false
print(1.5 < 2) // expect: true
print(2 == 2.0) // expect: true
print("apple" < "banana") // expect: true
print([1, 2] == [1, 2]) // expect: true
print((1, "a") == (1, "a")) // expect: true
print(["a": 1] == ["a": 1]) // expect: true
print(true && false, true || false, !true) // expect: false true false
print(1 < 2 && 2 < 3) // expect: true
// cell
func loud() -> Bool {
    print("evaluated")
    return true
}
print(false && loud()) // expect: false
print(true || loud()) // expect: true
print(true && loud())
// expect: evaluated
// expect: true
// cell
print(1 == "1") // expect error: cannot compare Int and String
// cell
print(1 && true) // expect error: '&&' needs Bool operands, not Int
// cell
let flag = 1
if flag { print("no") } // expect error: a condition must be a Bool, not Int
// cell
print(true < false) // expect error: cannot compare Bool and Bool
// cell
let a = 3
let b = 4.0
print(a < b) // expect error: cannot compare Int and Double
// cell
print(true ? "yes" : "no") // expect: yes
print(1 > 2 ? 10 : 20) // expect: 20
