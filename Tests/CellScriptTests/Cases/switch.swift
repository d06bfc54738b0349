// switch: values, several patterns, ranges, let bindings, where, default, break.
func describe(_ n: Int) -> String {
    switch n {
    case 0:
        return "zero"
    case 1, 2:
        return "small"
    case 3..<10:
        return "medium"
    case let x where x < 0:
        return "negative \(x)"
    default:
        return "large"
    }
}
print(describe(0), describe(2), describe(5), describe(-4), describe(100)) // expect: zero small medium negative -4 large
// cell
let word = "b"
switch word {
case "a":
    print("is a")
case "b":
    print("is b")
default:
    break
}
// expect: is b
// cell
let score = 0.75
switch score {
case 0.9...1.0:
    print("A")
case 0.5..<0.9:
    print("B")
default:
    print("C")
}
// expect error: ranges need Int bounds, not Double and Double
// cell
let grade = 85
switch grade {
case 90...:
    print("A")
case 80..<90:
    print("B")
    break
    print("never")
default:
    print("C")
}
// expect: B
// cell
for i in 0..<4 {
    switch i {
    case 1:
        continue
    case 3:
        break
    default:
        print(i)
    }
}
// expect: 0
// expect: 2
// cell
let mode = 7
switch mode {
case 1:
    print("one")
case 2:
    print("two")
}
// expect error: no case of the switch matched 7; add a 'default:' case
// cell
let direction = "north"
switch direction {
case _ where direction.count > 3:
    print("long")
default:
    print("short")
}
// expect: long
