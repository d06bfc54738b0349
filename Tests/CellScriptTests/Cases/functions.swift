// Functions: labels, defaults, return values, implicit return, nesting.
func greet(_ name: String, greeting: String = "Hello") -> String {
    return "\(greeting), \(name)!"
}
print(greet("Ada")) // expect: Hello, Ada!
print(greet("Bob", greeting: "Hi")) // expect: Hi, Bob!
func area(width w: Int, height h: Int) -> Int {
    w * h
}
print(area(width: 3, height: 4)) // expect: 12
func nothing() {}
nothing()
func outer() -> Int {
    func inner(_ x: Int) -> Int { x + 1 }
    return inner(inner(1))
}
print(outer()) // expect: 3
func sumAll(_ values: [Int]) -> Int {
    var total = 0
    for v in values {
        total += v
    }
    return total
}
sumAll([1, 2, 3]) // expect: 6
// cell
func noReturn(_ x: Int) {
    if x > 0 {
        print("positive")
        return
    }
    print("not positive")
}
noReturn(1) // expect: positive
noReturn(0) // expect: not positive
// cell
print(greet(name: "Ada")) // expect error: incorrect argument label in call to greet (have 'name:', expected no label)
// cell
print(area(width: 3)) // expect error: missing argument for parameter 'height' in call to area
// cell
print(area(width: 1, height: 2, depth: 3)) // expect error: extra argument in call to area: it takes 2 and got 3
// cell
func modify(_ x: Int) {
    x = 3 // expect error: 'x' is a let constant and cannot be changed
}
modify(1)
// cell
let notAFunction = 3
notAFunction() // expect error: cannot call a value of non-function type Int
// cell
func twice(_ f: (Int) -> Int, _ x: Int) -> Int { f(f(x)) }
func addThree(_ x: Int) -> Int { x + 3 }
print(twice(addThree, 1)) // expect: 7
let g = addThree
print(g(10)) // expect: 13
print(g) // expect: (Function)
// cell
func repeatTimes(_ times: Int, action: () -> Void) {
    for _ in 0..<times {
        action()
    }
}
repeatTimes(2) {
    print("tick")
}
// expect: tick
// expect: tick
