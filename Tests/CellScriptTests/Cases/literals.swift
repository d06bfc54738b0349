// Literals and how values display, as Swift prints them.
print(42) // expect: 42
print(-7) // expect: -7
print(3.5) // expect: 3.5
print(1.0) // expect: 1.0
print(0.1 + 0.2) // expect: 0.30000000000000004
print(1e20) // expect: 1e+20
print(true, false) // expect: true false
print("hello") // expect: hello
print([1, 2, 3]) // expect: [1, 2, 3]
print(["a", "b"]) // expect: ["a", "b"]
print([1.5, 2]) // expect: [1.5, 2.0]
print(["a": 1]) // expect: ["a": 1]
print((1, "x")) // expect: (1, "x")
print((x: 1, y: 2)) // expect: (x: 1, y: 2)
print(0..<3) // expect: 0..<3
print(0...2) // expect: 0...2
print([Int]()) // expect: []
print([String: Int]()) // expect: [:]
print(0x1F, 0b101, 1_000) // expect: 31 5 1000
// cell
"quoted as a result" // expect: "quoted as a result"
// cell
[1, 2] // expect: [1, 2]
// cell
(1, 2.5) // expect: (1, 2.5)
// cell
let s = "tab\tquote\""
[s] // expect: ["tab\tquote\""]
// cell
let nothing: Int? = nil
nothing // expect: nil
// cell
3 // expect: 3
// cell
let t = true
t // expect: true
