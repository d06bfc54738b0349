// Forty levels of parentheses and braces parse the same in debug and release builds.
let deep = ((((((((((((((((((((((((((((((((((((((((1))))))))))))))))))))))))))))))))))))))))
print(deep)
// expect: 1
func nested() -> Int {
    if true { if true { if true { if true { if true { if true { if true { if true { if true { if true {
        return [1, 2, 3].map { x in ({ (y: Int) -> Int in (y + ((x))) })(1) }.reduce(0, +)
    } } } } } } } } } }
    return 0
}
print(nested())
// expect: 9
