// Arrays: literals, subscripts, slices, mutation, methods.
var numbers = [3, 1, 2]
print(numbers[0], numbers.count, numbers.isEmpty) // expect: 3 3 false
numbers[1] = 10
print(numbers) // expect: [3, 10, 2]
numbers.append(7)
numbers += [8]
print(numbers) // expect: [3, 10, 2, 7, 8]
print(numbers[1..<3], numbers[...1], numbers[3...]) // expect: [10, 2] [3, 10] [7, 8]
print(numbers.first, numbers.last) // expect: Optional(3) Optional(8)
print(numbers.sorted(), numbers.sorted(by: >)) // expect: [2, 3, 7, 8, 10] [10, 8, 7, 3, 2]
print(numbers.map { $0 * 2 }) // expect: [6, 20, 4, 14, 16]
print(numbers.filter { $0 > 5 }) // expect: [10, 7, 8]
print(numbers.reduce(0, +)) // expect: 30
print(numbers.reduce(0) { $0 + $1 }) // expect: 30
print(numbers.contains(7), numbers.contains(99)) // expect: true false
print(numbers.contains { $0 > 9 }) // expect: true
print(numbers.reversed()) // expect: [8, 7, 2, 10, 3]
print(numbers.min(), numbers.max()) // expect: Optional(2) Optional(10)
print(numbers.firstIndex(of: 2)) // expect: Optional(2)
print(numbers.first { $0 > 3 }) // expect: Optional(10)
print(numbers.prefix(2), numbers.dropFirst()) // expect: [3, 10] [10, 2, 7, 8]
print(numbers.indices) // expect: 0..<5
for (index, value) in numbers.enumerated() where index < 2 {
    print(index, value)
}
// expect: 0 3
// expect: 1 10
numbers.insert(0, at: 0)
print(numbers.remove(at: 1), numbers) // expect: 3 [0, 10, 2, 7, 8]
print(numbers.removeLast(), numbers.popLast(), numbers) // expect: 8 Optional(7) [0, 10, 2]
numbers.sort()
print(numbers) // expect: [0, 2, 10]
numbers.reverse()
print(numbers) // expect: [10, 2, 0]
numbers.swapAt(0, 2)
print(numbers) // expect: [0, 2, 10]
numbers.removeAll()
print(numbers, numbers.isEmpty) // expect: [] true
// cell
var grid = [[1, 2], [3, 4]]
grid[1][0] = 30
grid[0].append(5)
print(grid) // expect: [[1, 2, 5], [30, 4]]
print(grid.count, grid[0].count) // expect: 2 3
print(grid.flatMap { $0 }) // expect: [1, 2, 5, 30, 4]
// cell
var words = ["b", "a"]
words.append(contentsOf: ["c"])
print(words.sorted()) // expect: ["a", "b", "c"]
print(Array(repeating: 0, count: 3)) // expect: [0, 0, 0]
print(Array(1...4)) // expect: [1, 2, 3, 4]
print([1, 2] + [3]) // expect: [1, 2, 3]
print(["1", "x", "3"].compactMap { Int($0) }) // expect: [1, 3]
var squares: [Int] = []
for i in 0..<5 {
    squares.append(i * i)
}
print(squares) // expect: [0, 1, 4, 9, 16]
var slice = [1, 2, 3, 4]
slice[1..<3] = [9]
print(slice) // expect: [1, 9, 4]
