/// An exercise of a lesson: a cell marked `//| solution: true`, numbered from 1 in file order.
public struct Exercise: Equatable, Sendable {
    /// 1-based position among the lesson's solution cells; students' cells name it with
    /// `//| exercise: N`.
    public var number: Int
    /// The solution cell.
    public var cell: Cell

    public init(number: Int, cell: Cell) {
        self.number = number
        self.cell = cell
    }

    /// `Exercise 2` or `Exercise 2: word counts`.
    public var title: String {
        "Exercise \(number)" + (cell.options.label.map { ": \($0)" } ?? "")
    }
}

extension NotebookDocument {
    /// The solution cells, numbered in file order.
    public var exercises: [Exercise] {
        cells.filter(\.options.solution).enumerated().map { offset, cell in
            Exercise(number: offset + 1, cell: cell)
        }
    }

    /// Exercise numbers by the 1-based position of their solution cell; build it once per page.
    public var exerciseNumbers: [Int: Int] {
        Dictionary(uniqueKeysWithValues: exercises.map { ($0.cell.index, $0.number) })
    }

    /// The exercise number of the cell at 1-based position `cellIndex`, if it is a solution.
    public func exerciseNumber(ofCell cellIndex: Int) -> Int? {
        exerciseNumbers[cellIndex]
    }
}
