// Constructs the cell language does not run are named at parse time, never run.
struct Point { var x: Int } // expect error: structs are not supported in cells; use a dictionary or a tuple
// expect error at 2:1
// cell
let before = 1
defer { print("later") } // expect error: `defer` is not supported in cells
// cell
// Nothing in a rejected cell ran: `before` was never bound.
print(before) // expect error: cannot find 'before' in scope
// cell
let a = 1 +
// expect error: expected expression after operator
// cell
print("the session still works") // expect: the session still works
