import Foundation
import Testing
import TestSupport
@testable import Notebook
import ModelAPI

/// Grading from saved states: the lesson's state before each exercise, saved once in the
/// cell cache, and each answer run there with the checks; points shared by the checks.
@Suite("Grading from saved states")
struct SavedStateGradingTests {
    static let lesson = """
        ```swift
        var runs = 0
        let numbers = [1, 2, 3, 4]
        ```

        ```swift
        //| solution: true
        //| points: 2
        //| check: total == 10
        //| hidden-check: total > 0
        let total = numbers.reduce(0, +)
        ```

        ```swift
        runs += 1
        let doubled = numbers.map { $0 * 2 }
        ```

        ```swift
        //| solution: true
        //| check: largest == 8, points: 3
        //| check: largest > 0
        let largest = doubled.max() ?? 0
        ```
        """

    static func student(_ first: String, _ second: String) -> String {
        "```swift\n//| exercise: 1\n\(first)\n```\n\n```swift\n//| exercise: 2\n\(second)\n```\n"
    }

    static func grading(_ lesson: String, cache folder: URL) -> SavedStateGrading {
        SavedStateGrading(lesson: NotebookParser.parse(text: lesson, file: "lesson.md"), lessonText: lesson,
                          cache: CacheSettings(cache: CellCache(folder: folder), engineVersion: "test", seed: 1))
    }

    static func plan(_ student: String, against lesson: String) throws -> GradingPlan {
        let document = NotebookParser.parse(text: lesson, file: "lesson.md")
        let sheet = try AnswerSheet(student: NotebookParser.parse(text: student, file: "student.md"), text: student,
                                    exerciseCount: document.exercises.count)
        return GradingPlan(lesson: document, lessonText: lesson, answers: sheet, answerTimeLimit: 5)
    }

    @Test("prepare saves the state before each exercise once; grading runs only the answers there")
    func prepareThenGrade() throws {
        let folder = try TemporaryDirectory()
        let grading = Self.grading(Self.lesson, cache: folder.url)
        let plan = try Self.plan(Self.student("let total = 10", "let largest = 8"), against: Self.lesson)
        #expect(grading.grade(plan) == nil, "nothing saved yet")
        let first = grading.prepare()
        #expect(first.ready == [1, 2] && first.problems.isEmpty, "\(first)")
        #expect(first.cellsRun == 3, "the cells before the second exercise, the first solution included")
        let again = grading.prepare()
        #expect(again.ready == [1, 2] && again.cellsRun == 0, "saved states are taken, not made again")
        let grades = try #require(grading.grade(plan))
        #expect(grades.map(\.result) == [.passed, .passed])
        #expect(grades.map(\.points) == [2, 3] && grades.map(\.maxPoints) == [2, 3])
    }

    @Test("a wrong answer to exercise 1 costs exercise 1 only, even when it changes the lesson's values")
    func independentExercises() throws {
        let folder = try TemporaryDirectory()
        let grading = Self.grading(Self.lesson, cache: folder.url)
        _ = grading.prepare()
        let plan = try Self.plan(Self.student("let numbers = [100]\nlet total = 11\nruns = 99",
                                              "let largest = (doubled.max() ?? 0) + runs - 1"),
                                 against: Self.lesson)
        let grades = try #require(grading.grade(plan))
        #expect(grades.map(\.result) == [.failed, .passed])
        // `total == 10` fails, the hidden `total > 0` passes: half of the exercise's 2 points.
        #expect(grades[0].points == 1 && grades[0].maxPoints == 2)
        #expect(grades[1].points == 3)
    }

    @Test("points: the weighted check's share, the rest split; an error earns nothing")
    func partialCredit() throws {
        let folder = try TemporaryDirectory()
        let grading = Self.grading(Self.lesson, cache: folder.url)
        _ = grading.prepare()
        let wrong = try #require(grading.grade(try Self.plan(Self.student("let total = 0", "let largest = 7"),
                                                              against: Self.lesson)))
        #expect(wrong.map(\.points) == [0, 0], "\(wrong)")
        let broken = try #require(grading.grade(try Self.plan(Self.student("let total = nope", "let largest = 8"),
                                                               against: Self.lesson)))
        #expect(broken.map(\.result) == [.error, .passed])
        #expect(broken[0].points == 0)
        #expect(ExercisePoints(NotebookParser.parse(text: Self.lesson).exercises[1].cell).shares == [3, 0],
                "the weighted check asks for all 3 points: the other is worth nothing")
    }

    @Test("a lesson changed since the states were saved gets new ones; the old are never used")
    func staleStatesRebuilt() throws {
        let folder = try TemporaryDirectory()
        _ = Self.grading(Self.lesson, cache: folder.url).prepare()
        let changed = Self.lesson.replacingOccurrences(of: "let numbers = [1, 2, 3, 4]", with: "let numbers = [1, 2, 3, 5]")
        let grading = Self.grading(changed, cache: folder.url)
        let plan = try Self.plan(Self.student("let total = 10", "let largest = doubled.max() ?? 0"), against: changed)
        #expect(grading.grade(plan) == nil, "the old states do not match the changed lesson")
        let prepared = grading.prepare()
        #expect(prepared.cellsRun == 3, "\(prepared)")
        let grades = try #require(grading.grade(plan))
        #expect(grades.map(\.result) == [.passed, .failed], "graded on the changed lesson's numbers (10, not 8): \(grades)")
    }

    @Test("a run that saved a state right before each exercise (slow cells) gives the grading states without running a cell")
    func stateRightBeforeTheExercise() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let document = NotebookParser.parse(text: Self.lesson, file: "lesson.md")
        // A threshold of 0 s saves a state after every cell, as a run does after a slow one.
        let settings = CacheSettings(cache: CellCache(folder: folder.url), engineVersion: "test", seed: 1, stateThreshold: 0)
        #expect(NotebookExecutor(document: document, text: Self.lesson).run(cache: settings).outcomes.count == 4)
        let grading = SavedStateGrading(lesson: document, lessonText: Self.lesson, cache: settings)
        let prepared = grading.prepare()
        #expect(prepared.ready == [1, 2] && prepared.cellsRun == 0 && prepared.problems.isEmpty, "\(prepared)")
        let plan = try Self.plan(Self.student("let total = 10", "let largest = 8"), against: Self.lesson)
        #expect(grading.grade(plan)?.map(\.result) == [.passed, .passed])
    }

    @Test("pruning the cache keeps the grading states of the lesson as it is")
    func pruneKeepsGradingStates() throws {
        let folder = try TemporaryDirectory()
        let grading = Self.grading(Self.lesson, cache: folder.url)
        let document = NotebookParser.parse(text: Self.lesson, file: "lesson.md")
        let run = NotebookExecutor(document: document, text: Self.lesson).run(cache: grading.cache)
        #expect(run.outcomes.count == 4)
        _ = grading.prepare()
        _ = try grading.cache.cache.prune()
        let plan = try Self.plan(Self.student("let total = 10", "let largest = 8"), against: Self.lesson)
        #expect(grading.grade(plan)?.map(\.result) == [.passed, .passed], "the states survived the prune")
        // `cache info` tells them from the cells' own entries, each right after its cell's.
        let entries = grading.cache.cache.info().entries
        #expect(entries.filter(\.isGradingState).count == 2, "\(entries)")
        #expect(entries.filter { !$0.isGradingState }.count == 4)
        for (index, entry) in entries.enumerated() where entry.isGradingState {
            #expect(index > 0 && entries[index - 1].cellIndex == entry.cellIndex && !entries[index - 1].isGradingState)
        }
    }

    @Test("a state is never taken from before a cell that takes gradients: the preparation starts over instead")
    func gradientsOnTheWay() throws {
        let lesson = """
            ```swift
            let v = Variable([1.0, 2.0])
            let y = v * v
            ```

            ```swift
            //| solution: true
            //| check: twice == 2.0
            let twice = 2.0
            ```

            ```swift
            let g = gradients(of: y * 3.0, wrt: [v])
            ```

            ```swift
            //| solution: true
            //| check: first == 6.0
            let first = g[0].scalars[0]
            ```
            """
        let folder = try TemporaryDirectory()
        let grading = SavedStateGrading(lesson: NotebookParser.parse(text: lesson, file: "lesson.md"), lessonText: lesson,
                                        cache: CacheSettings(cache: CellCache(folder: folder.url), engineVersion: "test", seed: 1),
                                        libraries: [ModelAPI()])
        let prepared = grading.prepare()
        #expect(prepared.problems.isEmpty && prepared.ready == [1, 2], "\(prepared)")
        #expect(prepared.cellsRun == 1 + 3, "exercise 2 from the start, not from exercise 1's state")
        let plan = try Self.plan(Self.student("let twice = 2.0", "let first = Double(g[0].scalars[0])"), against: lesson)
        #expect(grading.grade(plan)?.map(\.result) == [.passed, .passed])
    }

    @Test("check options: points after a check, hidden checks, and numbers that are not")
    func options() {
        let document = NotebookParser.parse(text: """
            ```swift
            //| solution: true
            //| points: 4
            //| check: f(a, b) == [1, 2], points: 1.5
            //| hidden-check: x > 0
            //| check: y, points: lots
            //| points: -1
            //| check: z, points: 1e19
            //| points: 1e19
            let x = 1
            ```
            """)
        let cell = document.cells[0]
        #expect(cell.options.checks.map(\.expression) == ["f(a, b) == [1, 2]", "x > 0", "y, points: lots",
                                                          "z, points: 1e19"])
        #expect(cell.options.checks.map(\.points) == [1.5, nil, nil, nil])
        #expect(cell.options.checks.map(\.hidden) == [false, true, false, false])
        #expect(document.warnings.filter { $0.message.contains("must be a number from 0 to 1000000") }.count == 4,
                "\(document.warnings)")
        #expect(cell.options.points == 4)
        #expect(document.warnings.map(\.message).contains { $0.contains("`points` must be a number from 0") })
        let share: Double = 2.5 / 3
        #expect(ExercisePoints(cell).shares == [1.5, share, share, share])
    }

    @Test("the handout and the student's page never carry a hidden check")
    func hiddenFromStudents() {
        let document = NotebookParser.parse(text: Self.lesson)
        let handout = StudentHandout.text(of: document, text: Self.lesson)
        #expect(!handout.contains("hidden-check") && !handout.contains("total > 0"))
        #expect(handout.contains("//| check: total == 10"))

        // On a cell that is not a solution, a hidden check is ignored with a warning, and its
        // line does not reach the handout either (it would have been shown as a plain option).
        let stray = Self.lesson + "\n\n```swift\n//| label: after\n//| hidden-check: secretValue == 42\n//| check: runs == 0\nruns\n```\n"
        let parsed = NotebookParser.parse(text: stray)
        let last = parsed.cells[parsed.cells.count - 1]
        #expect(last.options.checks.map(\.expression) == ["runs == 0"])
        #expect(parsed.warnings.contains { $0.message.contains("`hidden-check` belongs on a solution cell") && $0.line == 28 && $0.column == 19 },
                "\(parsed.warnings)")
        let strayHandout = StudentHandout.text(of: parsed, text: stray)
        #expect(!strayHandout.contains("secretValue"), "\(strayHandout)")
        #expect(strayHandout.hasSuffix("```swift\n//| label: after\n//| check: runs == 0\nruns\n```\n"), "\(strayHandout)")
        #expect(NotebookParser.parse(text: strayHandout).cells.count == 5)
    }
}
