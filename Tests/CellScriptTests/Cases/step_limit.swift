// A cell that runs past its step budget is stopped; the session stays usable.
// step limit: 10000
var spins = 0
while true {
    spins += 1
} // expect error: the cell ran past its step limit
// cell
print(spins > 100) // expect: true
// cell
func loop() -> Int { loop() }
let s = [1, 2, 3].map { $0 * 2 }
print(s) // expect: [2, 4, 6]
// cell
var n = 0
for i in 0..<1_000_000 {
    n += i
} // expect error: the cell ran past its step limit
// cell
print(Array(0..<5_000_000).count) // expect error: the cell ran past its step limit
// cell
for _ in 0... {
} // expect error: the cell ran past its step limit
// cell
for _ in 0... {
    continue
} // expect error: the cell ran past its step limit
