// Strings: concatenation, interpolation, methods.
let name = "Ada"
let greeting = "Hello, " + name + "!"
print(greeting) // expect: Hello, Ada!
print("\(name) has \(name.count) letters") // expect: Ada has 3 letters
print("sum: \(1 + 2), list: \([1, 2]), text: \(["x"])") // expect: sum: 3, list: [1, 2], text: ["x"]
let maybe: Int? = 5
print("value: \(maybe)") // expect: value: Optional(5)
print("pi is about \(3.14)") // expect: pi is about 3.14
var s = "ab"
s += "cd"
print(s) // expect: abcd
s.append("e")
print(s, s.count, s.isEmpty) // expect: abcde 5 false
print(s.uppercased(), "MiXed".lowercased()) // expect: ABCDE mixed
print(s.hasPrefix("ab"), s.hasSuffix("x"), s.contains("cd")) // expect: true false true
print("a,b,,c".split(separator: ",")) // expect: ["a", "b", "c"]
print("a b c".components(separatedBy: " ")) // expect: ["a", "b", "c"]
print(String(s.reversed())) // expect: edcba
print(Array("hey")) // expect: ["h", "e", "y"]
print(s.first, "".first) // expect: Optional("a") nil
print("".isEmpty) // expect: true
print("b" + String(3)) // expect: b3
print(String(repeating: "ab", count: 3)) // expect: ababab
print(["x", "y", "z"].joined(separator: "-")) // expect: x-y-z
print("hello".filter { $0 != "l" }) // expect: heo
print("multi\nline")
// expect: multi
// expect: line
// cell
for character in "hi" {
    print(character)
}
// expect: h
// expect: i
// cell
let word = "swift"
print(word[0]) // expect error: cannot subscript String with an Int; use Array(text)[i] to get one character
// cell
print("x".foo) // expect error: value of type 'String' has no member 'foo'
