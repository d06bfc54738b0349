// Optionals: nil, ??, if let, guard let, !, optional chaining.
var name: String? = "Ada"
print(name) // expect: Optional("Ada")
print(name ?? "nobody") // expect: Ada
print(name!) // expect: Ada
print(name?.count) // expect: Optional(3)
print(name?.uppercased()) // expect: Optional("ADA")
if let name = name {
    print("hi \(name)")
}
// expect: hi Ada
if let name {
    print("short form \(name)")
}
// expect: short form Ada
name = nil
print(name ?? "nobody") // expect: nobody
print(name?.count) // expect: nil
print(name == nil, name != nil) // expect: true false
if let name = name {
    print("never \(name)")
} else {
    print("no name")
}
// expect: no name
// cell
let number = Int("12")
print(number) // expect: Optional(12)
print(Int("twelve")) // expect: nil
print(number == 12) // expect: true
let list: [Int]? = [1, 2]
print(list?[0]) // expect: Optional(1)
print(list?.first) // expect: Optional(1)
let empty: [Int]? = nil
print(empty?[0]) // expect: nil
// cell
let missing: Int? = nil
print(missing!) // expect error: unexpectedly found nil while unwrapping an Optional value
// expect error at 38:7
// cell
let boxed: Int? = 3
print(boxed + 1) // expect error: value of optional type 'Int?' must be unwrapped to use '+'; use '!' or '??'
// cell
let text: String? = "hi"
print(text.count) // expect error: value of optional type 'String?' must be unwrapped to refer to member 'count'; use '?.' or '!'
// cell
let nested = ["a": [1, 2]]
print(nested["a"]?.count) // expect: Optional(2)
print(nested["b"]?.count ?? 0) // expect: 0
print(nested["a"]![1]) // expect: 2
