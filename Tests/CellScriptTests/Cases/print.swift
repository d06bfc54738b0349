// print(_:separator:terminator:) writes to the cell's output.
print("a", "b", "c") // expect: a b c
print("a", "b", separator: "-") // expect: a-b
print("no newline", terminator: "")
print(" then this") // expect: no newline then this
print(1, 2.5, true, nil as Int?, [1]) // expect: 1 2.5 true nil [1]
print() // expect:
print("x", terminator: "!\n") // expect: x!
print("", "a") // expect:  a
// cell
print("a", sep: "-") // expect error: print takes values, then separator: and terminator:; unexpected argument label 'sep'
