/// A student's answers read from their notebook: the code of each cell marked `//| exercise: N`,
/// matched one to one to the lesson's exercises.
///
/// An answer is code and nothing else. The student's file goes through the notebook parser like
/// any notebook, and only the source of each top-level ```` ```swift ```` cell marked
/// `//| exercise: N` is kept: its option lines (`check:`, `solution:`, `error:`, `eval:`,
/// `timeout:` ...) are dropped, since the handout repeats the label and checks there and the
/// lesson's own options are the ones that apply, and the file's prose is never used. Nothing
/// written in an answer can therefore open or close a cell of the lesson, add cells or checks,
/// or change its prose: a fence line inside an answer is a Swift syntax error at that line.
///
/// A file whose cells cannot be matched to the exercises without guessing is refused
/// (`AnswerSheetError`, every problem at its line): an exercise answered by two cells (which
/// one would count?), an exercise the lesson does not have, an `exercise:` value that is not a
/// whole number from 1 or given twice in one cell, a code block marked `//| exercise:` that the
/// parser does not take as a cell (indented, inside a list or quote, or not fenced ```swift),
/// and a file with no exercise cells at all: that is a wrong file (the lesson itself, say), and
/// grading it would print "not attempted" for everything as if it were a student's work.
public struct AnswerSheet: Sendable {
    /// The student's file, as messages name it.
    public let file: String
    /// The file's text as the parser saw it (`NotebookParser.normalized`: no byte order mark,
    /// every line ending LF), so its cells' line numbers index it and quoted lines carry no
    /// carriage return.
    public let text: String
    /// The cell marked `//| exercise: N` for each exercise the file has one for (its code may
    /// be only the handout's placeholder comment), by N.
    public let cells: [Int: Cell]

    /// - Parameters:
    ///   - student: the student's notebook, parsed from `text`.
    ///   - text: the student's file as read.
    ///   - exerciseCount: how many exercises the lesson has (numbered 1...exerciseCount).
    /// - Throws: `AnswerSheetError` with every reason the file cannot be matched to the lesson.
    public init(student: NotebookDocument, text: String, exerciseCount: Int) throws(AnswerSheetError) {
        let file = student.file ?? "student"
        let lines = NotebookDocument.lines(of: text)
        var cells: [Int: Cell] = [:]
        var problems = Self.blocksThatAreNotCells(in: student)
        var marked = 0
        for cell in student.cells {
            let options = CellLines(cell: cell, lines: lines).options(named: "exercise", in: lines)
            guard !options.isEmpty || cell.options.exercise != nil else { continue }
            marked += 1
            switch Self.match(cell, options: options, exerciseCount: exerciseCount) {
            case .refused(let problem):
                problems.append(problem)
            case .answers(let number):
                if let first = cells[number] {
                    problems.append(.init(line: cell.fenceLine, message:
                        "exercise \(number) is answered twice, here and at line \(first.fenceLine); "
                            + "keep one cell marked `//| exercise: \(number)`"))
                } else {
                    cells[number] = cell
                }
            }
        }
        if student.cells.isEmpty {
            problems.append(.init(line: 1, message: "this is not a lesson notebook: it has no ```swift cells "
                                      + "(answers go in cells marked `//| exercise: N`)"))
        } else if marked == 0, problems.isEmpty {
            problems.append(.init(line: 1, message: "no cell is marked `//| exercise: N`, so nothing here answers "
                                      + "the lesson's exercises (is this the handout `lesson run --student` wrote?)"))
        }
        guard problems.isEmpty else {
            throw AnswerSheetError(file: file, problems: problems.sorted { $0.line < $1.line })
        }
        self.file = file
        self.text = lines.joined(separator: "\n")
        self.cells = cells
    }

    /// What a cell marked `//| exercise:` is: the answer to one of the lesson's exercises, or refused.
    private enum Match {
        case answers(Int)
        case refused(AnswerSheetError.Problem)
    }

    /// The exercise a marked cell answers, or why it names none of the lesson's.
    private static func match(_ cell: Cell, options: [(line: Int, value: String)], exerciseCount: Int) -> Match {
        if options.count > 1 {
            return .refused(.init(line: options[1].line, message:
                "this cell names its exercise twice (`exercise:` at lines \(options[0].line) and \(options[1].line))"))
        }
        guard let number = cell.options.exercise else {
            let value = options.first?.value ?? ""
            let range = exerciseCount == 1 ? "1" : "1 to \(exerciseCount)"
            return .refused(.init(line: options.first?.line ?? cell.fenceLine, message:
                "`exercise:` must be the number of one of the lesson's exercises (\(range))"
                    + (value.isEmpty ? "" : ", not `\(value)`")))
        }
        guard number <= exerciseCount else {
            let has = exerciseCount == 1 ? "only exercise 1" : "exercises 1 to \(exerciseCount)"
            return .refused(.init(line: options.first?.line ?? cell.fenceLine, message:
                "the lesson has no exercise \(number) (it has \(has))"))
        }
        return .answers(number)
    }

    /// Code blocks marked `//| exercise:` that the parser keeps as prose: a fence inside a list
    /// item or quote, an indented code block, a fence whose info string is not `swift`.
    private static func blocksThatAreNotCells(in student: NotebookDocument) -> [AnswerSheetError.Problem] {
        var problems: [AnswerSheetError.Problem] = []
        for case .prose(let prose) in student.blocks {
            for node in prose.nodes.flatMap(\.allNodes) {
                guard case .codeBlock(_, let literal) = node.kind,
                      CellLines.leadingOptionKeys(of: literal).contains("exercise") else { continue }
                problems.append(.init(line: node.startLine, message:
                    "this code block is marked `//| exercise:` but is not a cell, so it cannot be graded: "
                        + "an answer is a ```swift fence at the top level (not indented, not in a list or quote)"))
            }
        }
        return problems
    }
}

/// Why a student's file cannot be graded against a lesson: each problem at its line.
public struct AnswerSheetError: Error, Equatable, Sendable, CustomStringConvertible {
    public struct Problem: Equatable, Sendable {
        /// 1-based line in the student's file.
        public var line: Int
        public var message: String
    }

    public var file: String
    /// In file order.
    public var problems: [Problem]

    /// One `file:line: error: message` line per problem, the form compilers use.
    public var description: String {
        problems.map { "\(file):\($0.line): error: \($0.message)" }.joined(separator: "\n")
    }
}
