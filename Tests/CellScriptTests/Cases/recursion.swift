// Recursion works; runaway recursion is an error, not a crash.
func factorial(_ n: Int) -> Int {
    if n <= 1 { return 1 }
    return n * factorial(n - 1)
}
print(factorial(10)) // expect: 3628800
func fib(_ n: Int) -> Int {
    n < 2 ? n : fib(n - 1) + fib(n - 2)
}
print(fib(15)) // expect: 610
func isEven(_ n: Int) -> Bool { n == 0 ? true : isOdd(n - 1) }
func isOdd(_ n: Int) -> Bool { n == 0 ? false : isEven(n - 1) }
print(isEven(10)) // expect: true
// cell
func forever(_ n: Int) -> Int {
    forever(n + 1) // expect error: too much recursion: more than 1000 nested calls
}
forever(0)
// cell
print(factorial(21)) // expect error: arithmetic overflow: 21 * 2432902008176640000 does not fit in an Int
// cell
print(factorial(5)) // expect: 120
