import ArgumentParser
import Digests
import Engine
import Foundation
import ModelAPI
import Notebook
import Render

/// `lesson grade FOLDER --against LESSON`: every submission in a folder, one file a student.
///
/// The states before the exercises are prepared once, in this process; then each submission
/// is graded in a process of its own (`lesson grade FILE --saved-states-only --json`), as many
/// at once as `--jobs`, each under the answer time limit and the memory budget, and killed when
/// it takes longer than its answers may. A submission that cannot be graded (not Markdown, not
/// UTF-8, no answers, an exercise the lesson does not have, a crashed or killed worker) gets a
/// row with the reason, and the rest of the class is graded.
struct ClassGrading: @unchecked Sendable {
    // @unchecked: the command's options are only read.
    let command: Grade
    let folder: String
    let lesson: String

    /// One student's row.
    struct Row {
        var student: String
        /// Points by exercise (1-based); empty when the submission was not graded.
        var points: [Int: Double] = [:]
        var results: [Int: String] = [:]
        var total: Double = 0
        var note: String?
        /// The grading process's exercises, as JSON, when it ran.
        var exercisesJSON: Data?
        /// Taken from the grading cache.
        var fromCache = false
        /// Its feedback page could not be written (said on standard error).
        var feedbackUnwritten = false
    }

    func run() throws {
        let lessonURL = URL(fileURLWithPath: lesson)
        let loaded = try NotebookFile.load(lesson)
        let exercises = loaded.document.exercises
        guard !exercises.isEmpty else {
            Console.error("\(lesson):1: error: the lesson has no exercises; mark solution cells with `//| solution: true`")
            throw ExitCode(2)
        }
        let submissions = try Self.submissions(in: folder)
        guard !submissions.isEmpty else {
            Console.error("\(folder): error: the folder holds no submissions (one .md file a student)")
            throw ExitCode(2)
        }
        let started = Date()
        let dataLog = DataLog()
        let library = NotebookRunning.library(loaded.document, at: lessonURL, dataDirectory: command.inputs.dataDirectory,
                                              seed: command.inputs.seed, dataLog: dataLog)
        let preparation = try command.savedStateGrading(lesson: loaded, url: lessonURL, library: library, dataLog: dataLog)
            .prepare { cell in Console.stderr("preparing the saved states: running cell \(cell.index)") }
        guard preparation.problems.isEmpty else {
            for problem in preparation.problems { Console.error(problem) }
            Console.error("the saved states cannot be prepared: fix the lesson, or grade one file at a time with --full-run")
            throw ExitCode(2)
        }
        let maxPoints = exercises.map { ExercisePoints($0.cell).total }
        let scratch = try PrivateFolder(prefix: "lesson-grade-class")
        defer { scratch.remove() }
        let context = GradingContext(
            cache: CellCache(folder: CellCache.folder(forNotebook: lessonURL)),
            base: ["lesson-grade-v1", EngineVersion.string, Self.binaryIdentity, loaded.text, String(command.inputs.seed),
                   command.inputs.params.sorted().joined(separator: "\u{1}"), String(command.answerTimeout),
                   command.inputs.memoryLimit ?? "", command.inputs.dataDirectory ?? ""].joined(separator: "\u{0}"),
            scratch: scratch.url)
        let work = Work(count: submissions.count)
        let count = exercises.count
        DispatchQueue.concurrentPerform(iterations: min(command.jobs, submissions.count)) { _ in
            while let index = work.take() {
                let row = grade(submissions[index], exercises: count, context: context)
                work.finish(index, row)
            }
        }
        let graded = work.rows
        let seconds = Date().timeIntervalSince(started)
        if command.json {
            Console.line(Self.json(graded, lesson: lesson, maxPoints: maxPoints))
        } else {
            Console.line(Self.table(graded, exercises: exercises.count, maxPoints: maxPoints))
            let cached = graded.filter(\.fromCache).count
            Console.line(String(format: "%d submissions graded in %.1f s (%d from the grading cache; %d cells ran to prepare the states)",
                                graded.count, seconds, cached, preparation.cellsRun))
        }
        // The grades are printed first: a gradebook or a page that cannot be written loses none of them.
        var unwritten = graded.contains(where: \.feedbackUnwritten)
        if let gradebook = command.gradebook {
            do {
                try AtomicFile.write(Self.csv(graded, exercises: exercises.count), to: URL(fileURLWithPath: gradebook))
            } catch {
                Console.error("cannot write the gradebook \(gradebook): \(error.localizedDescription)")
                unwritten = true
            }
        }
        // Every student gets a page: those not graded, one saying why.
        if let feedback = command.feedback {
            for row in graded where row.points.isEmpty {
                let html = FeedbackPage.notGraded(lesson: loaded.document, student: row.student,
                                                  reason: row.note ?? "not graded")
                do {
                    try Grade.writeFeedback(html, student: row.student, folder: feedback)
                } catch {
                    unwritten = true
                }
            }
        }
        if unwritten { throw ExitCode(2) }
    }

    /// The folder's files, sorted: `.md` files are submissions; anything else that is not hidden
    /// gets a row saying why it was not graded.
    static func submissions(in folder: String) throws -> [(name: String, url: URL?, note: String?)] {
        let url = URL(fileURLWithPath: folder, isDirectory: true)
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
        } catch {
            Console.error("\(folder): error: cannot read the folder: \(error.localizedDescription)")
            throw ExitCode(2)
        }
        var result: [(name: String, url: URL?, note: String?)] = []
        for name in names where !name.hasPrefix(".") {
            let file = url.appendingPathComponent(name)
            var status = stat()
            guard lstat(file.path, &status) == 0 else { continue }
            let kind = status.st_mode & S_IFMT
            if kind == S_IFDIR { continue }
            let isMarkdown = name.lowercased().hasSuffix(".md")
            let student = isMarkdown ? String(name.dropLast(3)) : name
            if kind == S_IFLNK {
                result.append((student, nil, "a symbolic link, not a submission: not graded"))
            } else if kind != S_IFREG {
                result.append((student, nil, "not a regular file: not graded"))
            } else if !isMarkdown {
                result.append((student, nil, "not a Markdown file (.md): not graded"))
            } else {
                result.append((student, file, nil))
            }
        }
        return result
    }

    /// What a submission's grading process left: its exit, output, and feedback page.
    struct Graded: Codable {
        /// The exit status, or the signal that ended it (`signal` true).
        var status: Int32
        var signal: Bool
        var stdout: Data
        var stderr: String
        var feedback: String?
    }

    /// Grades one submission in a process of its own, or takes its grading from the grading
    /// cache when neither it nor the lesson changed since.
    private func grade(_ submission: (name: String, url: URL?, note: String?), exercises: Int,
                       context: GradingContext) -> Row {
        var row = Row(student: submission.name, note: submission.note)
        guard let url = submission.url else { return row }
        let key = context.key(for: url)
        let graded: Graded
        if let key, let data = context.cache.loadGrade(key: key), let cached = try? JSONDecoder().decode(Graded.self, from: data) {
            graded = cached
            row.fromCache = true
        } else {
            graded = runGrader(url, exercises: exercises, student: submission.name, scratch: context.scratch)
            // Only a grading that finished is kept: a crash or a kill may not happen again.
            if let key, !graded.signal, let data = try? JSONEncoder().encode(graded) {
                try? context.cache.storeGrade(data, key: key)
            }
        }
        if let feedback = command.feedback, let page = graded.feedback {
            do {
                try Grade.writeFeedback(page, student: submission.name, folder: feedback)
            } catch {
                row.feedbackUnwritten = true
            }
        }
        if graded.signal {
            row.note = graded.status == SIGKILL
                ? "the grading process was killed (past the time its answers may take, or out of memory)"
                : "the grading process crashed (signal \(graded.status))"
            return row
        }
        guard graded.status == 0 || graded.status == 1,
              let object = try? JSONSerialization.jsonObject(with: graded.stdout) as? [String: Any],
              let exercisesJSON = object["exercises"] as? [[String: Any]] else {
            let reason = graded.stderr.split(separator: "\n").first { $0.contains("error") }.map(String.init)
                ?? graded.stderr.split(separator: "\n").last.map(String.init) ?? "exit status \(graded.status)"
            row.note = "not graded: " + reason.replacingOccurrences(of: url.path, with: url.lastPathComponent)
            return row
        }
        row.exercisesJSON = try? JSONSerialization.data(withJSONObject: exercisesJSON)
        for exercise in exercisesJSON {
            guard let number = exercise["exercise"] as? Int else { continue }
            row.points[number] = exercise["points"] as? Double ?? 0
            row.results[number] = exercise["result"] as? String
        }
        row.total = row.points.values.reduce(0, +)
        return row
    }

    /// Runs `lesson grade FILE --saved-states-only --json` for one submission.
    private func runGrader(_ url: URL, exercises: Int, student: String, scratch: URL) -> Graded {
        // Its feedback page goes to a private folder first, to be kept in the grading cache.
        let pages = scratch.appendingPathComponent(UUID().uuidString, isDirectory: true)
        var arguments = ["grade", url.path, "--against", lesson, "--json", "--saved-states-only",
                         "--answer-timeout", String(command.answerTimeout), "--seed", String(command.inputs.seed),
                         "--feedback", pages.path]
        for param in command.inputs.params { arguments += ["--param", param] }
        if let data = command.inputs.dataDirectory { arguments += ["--data", data] }
        if let limit = command.inputs.memoryLimit { arguments += ["--memory-limit", limit] }
        // Longer than every answer may take, with room for loading the states: killed.
        let allowed = command.answerTimeout * Double(exercises) + 120
        let finished: ChildProcess.Finished
        do {
            finished = try ChildProcess.run(SelfExecutable.path, arguments, keepStdout: true, stderrLimit: 64 << 10,
                                            killAfter: allowed)
        } catch {
            return Graded(status: 127, signal: false, stdout: Data(),
                          stderr: "error: the grading process could not start: \(error.localizedDescription)")
        }
        let page = try? String(contentsOf: pages.appendingPathComponent("\(student).html"), encoding: .utf8)
        try? FileManager.default.removeItem(at: pages)
        return Graded(status: finished.status, signal: finished.signalled, stdout: finished.stdout,
                      stderr: finished.stderr, feedback: page)
    }

    /// The grading program itself (its size and time of last change): a rebuilt `lesson` may
    /// grade differently, so its earlier grades are not taken.
    static var binaryIdentity: String {
        let path = SelfExecutable.path
        var status = stat()
        guard stat(path, &status) == 0 else { return path }
        return "\(path) \(status.st_size) \(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec)"
    }

    /// What every submission's grading shares: the grading cache, its key's ingredients, and
    /// a private folder for the processes' feedback pages.
    struct GradingContext: Sendable {
        let cache: CellCache
        /// Everything but the submission that decides its grade.
        let base: String
        let scratch: URL

        /// SHA-256 of the lesson, the options and the submission's bytes; nil when unreadable.
        func key(for submission: URL) -> String? {
            guard let data = try? Data(contentsOf: submission) else { return nil }
            return SHA256.hex(Data(base.utf8) + Data([0]) + data)
        }
    }

    /// The submissions still to grade and the rows so far, shared by the grading threads.
    private final class Work: @unchecked Sendable {
        // @unchecked: every var is only touched with `lock` held.
        private let lock = NSLock()
        private var next = 0
        private var done = 0
        private var results: [Row?]

        init(count: Int) {
            results = Array(repeating: nil, count: count)
        }

        func take() -> Int? {
            lock.withLock {
                guard next < results.count else { return nil }
                next += 1
                return next - 1
            }
        }

        func finish(_ index: Int, _ row: Row) {
            lock.withLock {
                results[index] = row
                done += 1
                Console.stderr("graded \(done) of \(results.count): \(row.student)" + (row.note.map { " (\($0))" } ?? ""))
            }
        }

        var rows: [Row] { lock.withLock { results.compactMap { $0 } } }
    }

    // MARK: What comes out

    static func table(_ rows: [Row], exercises: Int, maxPoints: [Double]) -> String {
        let header = ["student"] + (1...exercises).map { "ex \($0)" } + ["total", "note"]
        let body = rows.map { row in
            [row.student] + (1...exercises).map { number in
                row.points[number].map { "\(points($0)) \(row.results[number] ?? "")" } ?? "–"
            } + [row.note == nil ? points(row.total) : "–", row.note ?? ""]
        }
        var widths = header.map(\.count)
        for line in body {
            for (column, cell) in line.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        let out = maxPoints.map(points).joined(separator: " + ")
        return ([line(header)] + body.map(line) + ["points out of \(points(maxPoints.reduce(0, +))) (\(out))"])
            .joined(separator: "\n")
    }

    /// `2`, `0.5`, `0.33`: points as people write them.
    static func points(_ value: Double) -> String {
        FeedbackPage.points(value)
    }

    /// The gradebook: `student, exercise 1 … exercise N, total, note`, one row a student.
    static func csv(_ rows: [Row], exercises: Int) -> String {
        var lines = [(["student"] + (1...exercises).map { "exercise \($0)" } + ["total", "note"]).map(field)
            .joined(separator: ",")]
        for row in rows {
            let graded = row.note == nil || !row.points.isEmpty
            let cells = [row.student] + (1...exercises).map { graded ? points(row.points[$0] ?? 0) : "" }
                + [graded ? points(row.total) : "", row.note ?? ""]
            lines.append(cells.map(field).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// One CSV field (RFC 4180). A student's file name is theirs to choose: one that starts like
    /// a spreadsheet formula is written as text, so opening the gradebook runs nothing.
    static func field(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@\t\r".contains(first) { value = "'" + value }
        guard value.contains(where: { ",\"\n\r".contains($0) }) || value != value.trimmingCharacters(in: .whitespaces)
        else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func json(_ rows: [Row], lesson: String, maxPoints: [Double]) -> String {
        let students: [[String: Any]] = rows.map { row in
            var object: [String: Any] = ["student": row.student, "total": row.total]
            if let note = row.note { object["note"] = note }
            if let data = row.exercisesJSON, let exercises = try? JSONSerialization.jsonObject(with: data) {
                object["exercises"] = exercises
            }
            return object
        }
        let object: [String: Any] = ["lesson": lesson, "students": students, "maxPoints": maxPoints,
                                     "total": maxPoints.reduce(0, +)]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
