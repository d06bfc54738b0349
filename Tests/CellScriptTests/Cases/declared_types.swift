// Declared parameter and result types: Int arguments become Double for Double
// parameters (as an integer literal would in Swift), results follow the declared type.
func half(_ x: Double) -> Double { x * 0.5 }
print(half(3))
// expect: 1.5
func twice(_ x: Int) -> Double { return x * 2 }
print(twice(4))
// expect: 8.0
func find(_ n: Int) -> Int? { n > 0 ? n : nil }
find(3)
// expect: Optional(3)

// cell
func shout(_ word: String) -> String { word + "!" }
shout(5)
// expect error: cannot convert value of type 'Int' to expected argument type 'String'

// cell
func count() -> Int { "three" }
count()
// expect error: cannot convert value of type 'String' to return type 'Int'

// cell
func needsValue(_ x: Int) -> Int { x }
let maybe: Int? = 4
needsValue(maybe)
// expect error: value of optional type 'Int?' must be unwrapped to match expected argument type 'Int'
