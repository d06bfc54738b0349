// is, as, as? check dynamic types by name.
let anything: Any = 3
print(anything is Int, anything is String) // expect: true false
print(anything as? Int) // expect: Optional(3)
print(anything as? String) // expect: nil
print(1 as Double) // expect: 1.0
print([1, 2] is [Int]) // expect: true
let value: Any = "text"
if let text = value as? String {
    print(text.count)
}
// expect: 4
// cell
print("a" as Int) // expect error: cannot convert value of type 'String' to type 'Int'
