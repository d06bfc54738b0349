// try passes errors through; try? turns a runtime error into nil.
func risky(_ n: Int) -> Int {
    return 10 / n
}
print(try risky(2)) // expect: 5
print(try? risky(5)) // expect: Optional(2)
print(try? risky(0)) // expect: nil
let safe = (try? risky(0)) ?? -1
print(safe) // expect: -1
print(try! risky(1)) // expect: 10
// cell
print(try risky(0)) // expect error: division by zero
// cell
print(try! risky(0)) // expect error: division by zero
