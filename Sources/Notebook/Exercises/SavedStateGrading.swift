import CellScript
import Digests
import Foundation
import Limits

/// Grading from saved states: each exercise is graded by restoring the session exactly as it
/// stood just before the lesson's solution cell in the instructor's own run, running the
/// student's answer there, then the checks. Nothing before the exercise runs again, and each
/// exercise starts from the lesson's state, whatever the answers to the others did.
///
/// The states live in the cell cache, as entries of their own: the state after the cell before
/// each solution, under a key derived from that cell's chained cache key (`gradingKey`). The
/// chained key covers every cell before it, the params, the seed and the engine, so a lesson
/// changed since the states were saved has other keys: its old states are never used, and
/// `prepare` makes new ones. A lesson's own runs never resume from these entries (their keys
/// are not cells' keys), so a grading state saved before a cell that takes gradients (which a
/// resumed run would need the autodiff history for) cannot break a run.
public struct SavedStateGrading {
    /// The lesson as written (the keys are its cells').
    public let lesson: NotebookDocument
    public let lessonText: String
    public let cache: CacheSettings
    public let params: [String: String]
    /// Built-ins for every session (the model API); `[]` in tests.
    public let libraries: [any BuiltinLibrary]
    /// The memory the cells and answers may use (each session's), nil for no limit.
    public var memoryBudget: MemoryBudget?

    public init(lesson: NotebookDocument, lessonText: String, cache: CacheSettings, params: [String: String] = [:],
                libraries: [any BuiltinLibrary] = []) {
        self.lesson = lesson
        self.lessonText = lessonText
        self.cache = cache
        self.params = params
        self.libraries = libraries
    }

    /// The key of the grading state saved after the cell whose chained key is `key`.
    public static func gradingKey(_ key: CellCacheKey) -> CellCacheKey {
        CellCacheKey(hex: SHA256.hex(Data("lesson-grading-state-v1\n\(key.hex)".utf8)))
    }

    /// The cells (0-based) after which a state is needed: the one before each solution cell
    /// (none for a solution that is the lesson's first cell: it starts from the params alone).
    var neededCells: [Int] {
        lesson.exercises.map { $0.cell.index - 2 }.filter { $0 >= 0 }
    }

    /// What `prepare` did.
    public struct Preparation: Sendable {
        /// Exercises (by number) whose state is ready.
        public var ready: [Int] = []
        /// Cells that ran to make the missing states.
        public var cellsRun = 0
        /// Why some states could not be made (their exercises are graded by running the lesson).
        public var problems: [String] = []
    }

    /// Makes every missing state: from the nearest saved state before it (a grading state, or a
    /// state the lesson's cached runs saved), runs the lesson's cells up to the cell before the
    /// solution and saves the state there. Already saved states cost a look-up.
    /// - Parameter onCell: told of each cell before it runs (progress).
    public func prepare(onCell: (Cell) -> Void = { _ in }) -> Preparation {
        var result = Preparation()
        let probe = NotebookExecutor(document: lesson, text: lessonText, libraries: libraries)
        let (bound, _, setupErrors) = probe.bindParams(params)
        guard setupErrors.isEmpty else {
            result.problems = setupErrors
            return result
        }
        let keys = CellCacheKeys.keys(for: lesson.cells, params: bound, engineVersion: cache.engineVersion, seed: cache.seed)
        for exercise in lesson.exercises {
            let before = exercise.cell.index - 2
            if before < 0 || hasState(Self.gradingKey(keys[before])) {
                result.ready.append(exercise.number)
                continue
            }
            let executor = NotebookExecutor(document: lesson, text: lessonText, libraries: libraries)
            executor.memoryBudget = memoryBudget
            _ = executor.bindParams(params)
            // The nearest saved state at or before `before`, but not before a cell on the way that
            // takes gradients: a saved state keeps values, not the autodiff graphs that cell needs.
            let historyReader = executor.lastCellReadingHistory(inline: [:], through: before)
            var start = -1
            for index in stride(from: before, through: max(historyReader, 0), by: -1) {
                if let state = loadState(Self.gradingKey(keys[index])) ?? loadState(keys[index]),
                   (try? executor.importSavedState(bytes: state.bytes, blobs: cache.cache.blobSource)) != nil {
                    start = index
                    break
                }
            }
            var failed: String?
            var last: CellOutcome?
            // Empty when the state is the one right before the exercise (a slow cell's, saved by a run).
            for cell in lesson.cells[(start + 1)..<(before + 1)] where cell.options.eval {
                onCell(cell)
                let outcome = executor.runCell(cell)
                result.cellsRun += 1
                last = outcome
                // A check of the lesson's own that fails is the lesson's business; an error stops.
                if case .failed = outcome.status, cell.options.error == .stop {
                    failed = "cell \(cell.index) raised an error, so exercise \(exercise.number) has no saved state"
                    break
                }
            }
            if let failed {
                result.problems.append(failed)
                continue
            }
            do {
                let state = try executor.sessionForCache.exportState(keepingLargeArraysApart: true)
                let outcome = last ?? CellOutcome(cell: lesson.cells[before], status: .skipped)
                let entry = CachedCell(outcome: outcome, state: Data(state.bytes), createdAt: Date(),
                                       blobs: state.blobs.map(\.id))
                try cache.cache.store(entry, for: Self.gradingKey(keys[before]), blobs: state.blobs)
                result.ready.append(exercise.number)
            } catch {
                result.problems.append("the state before exercise \(exercise.number) cannot be saved: \(error)")
            }
        }
        return result
    }

    /// Grades `plan`'s answers, each exercise from its saved state in a session of its own.
    /// - Returns: one grade per exercise; nil when a state is missing (call `prepare` first).
    public func grade(_ plan: GradingPlan, clock: any ExecutionClock = SystemClock()) -> [ExerciseGrade]? {
        gradeWithOutcomes(plan, clock: clock)?.grades
    }

    /// `grade`, with the answers' outcomes (for feedback pages), by solution cell index.
    public func gradeWithOutcomes(_ plan: GradingPlan, clock: any ExecutionClock = SystemClock())
        -> (grades: [ExerciseGrade], outcomes: [Int: CellOutcome])? {
        let probe = NotebookExecutor(document: lesson, text: lessonText, libraries: libraries)
        let (bound, _, setupErrors) = probe.bindParams(params)
        guard setupErrors.isEmpty else { return nil }
        let keys = CellCacheKeys.keys(for: lesson.cells, params: bound, engineVersion: cache.engineVersion, seed: cache.seed)
        var outcomes: [CellOutcome] = []
        for slot in plan.slots {
            guard let answer = slot.answer else { continue }
            let executor = plan.executor(libraries: libraries, clock: clock)
            executor.memoryBudget = memoryBudget
            executor.tracksDataFlow = false
            _ = executor.bindParams(params)
            let before = slot.exercise.cell.index - 2
            if before >= 0 {
                guard let state = loadState(Self.gradingKey(keys[before])),
                      (try? executor.importSavedState(bytes: state.bytes, blobs: cache.cache.blobSource)) != nil
                else { return nil }
            }
            outcomes.append(executor.gradeAnswer(answer, inPlaceOf: slot.exercise.cell))
        }
        return (plan.grades(outcomes), Dictionary(outcomes.map { ($0.cell.index, $0) }) { first, _ in first })
    }

    private func hasState(_ key: CellCacheKey) -> Bool {
        if case .hit(_, hasState: true) = cache.cache.lookupWithoutState(key) { return true }
        return false
    }

    private func loadState(_ key: CellCacheKey) -> CachedState? {
        guard hasState(key) else { return nil }
        return try? cache.cache.loadState(for: key)
    }
}
