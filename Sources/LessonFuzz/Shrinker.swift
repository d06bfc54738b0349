import Foundation

/// `--shrink FOLDER`: makes a saved finding's input smaller while it still fails the same way,
/// by deleting runs of lines (halves, quarters, ... single lines) and then runs of characters in
/// the longest lines, each candidate replayed in a child process under a time limit. The result
/// goes to `FOLDER/shrunk/`.
struct Shrinker {
    let folder: URL
    /// Seconds a replay may take before it counts as a hang.
    let timeout: Double
    /// Extra arguments for the replaying child (limits).
    let arguments: [String]

    func run() throws {
        guard var input = FuzzInput.load(from: folder) else { throw ShrinkError("\(folder.path) holds no lesson.md") }
        let target = outcome(of: input)
        Console.say("shrinking a \(target) (\(input.lesson.count) bytes)")
        guard target != "ok" else { throw ShrinkError("the input runs without findings here; nothing to shrink") }
        for pass in 0..<2 {
            input.lesson = shrinkLines(input.lesson, keeping: target) { input.replacingLesson($0) }
            if let student = input.student {
                input.student = shrinkLines(student, keeping: target) { input.replacingStudent($0) }
            }
            if pass == 0 { input.lesson = shrinkLongLines(input.lesson, keeping: target) { input.replacingLesson($0) } }
        }
        let out = folder.appendingPathComponent("shrunk")
        try input.save(in: out)
        Console.say("\(input.lesson.count) bytes left: \(out.appendingPathComponent(FuzzInput.lessonName).path)")
    }

    /// Deletes chunks of lines, largest first, while `target` still happens.
    private func shrinkLines(_ bytes: [UInt8], keeping target: String, _ with: ([UInt8]) -> FuzzInput) -> [UInt8] {
        var lines = Self.lines(bytes)
        var size = max(lines.count / 2, 1)
        while size >= 1 {
            var start = 0
            while start < lines.count {
                var candidate = lines
                candidate.removeSubrange(start..<min(start + size, lines.count))
                if outcome(of: with(Self.join(candidate))) == target {
                    lines = candidate
                } else {
                    start += size
                }
            }
            size /= 2
        }
        return Self.join(lines)
    }

    /// In the five longest lines, deletes chunks of characters while `target` still happens.
    private func shrinkLongLines(_ bytes: [UInt8], keeping target: String, _ with: ([UInt8]) -> FuzzInput) -> [UInt8] {
        var lines = Self.lines(bytes)
        let longest = lines.indices.sorted { lines[$0].count > lines[$1].count }.prefix(5)
        for index in longest where lines[index].count > 20 {
            var size = lines[index].count / 2
            while size >= 4 {
                var start = 0
                while start < lines[index].count {
                    var candidate = lines
                    candidate[index].removeSubrange(start..<min(start + size, candidate[index].count))
                    if outcome(of: with(Self.join(candidate))) == target { lines = candidate } else { start += size }
                }
                size /= 2
            }
        }
        return Self.join(lines)
    }

    /// `crash`, `hang`, the kinds of findings (`invariant escape`) or `ok`, from a child replaying `input`.
    func outcome(of input: FuzzInput) -> String {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("lesson-fuzz-shrink-\(getpid())")
        try? FileManager.default.removeItem(at: scratch)
        guard (try? input.save(in: scratch.appendingPathComponent("input"))) != nil else { return "unsaved" }
        let child = Process()
        child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        child.arguments = ["--replay-dir", scratch.appendingPathComponent("input").path,
                           "--out", scratch.appendingPathComponent("out").path] + arguments
        let log = scratch.appendingPathComponent("stderr.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        child.standardError = FileHandle(forWritingAtPath: log.path)
        child.standardOutput = FileHandle.nullDevice
        guard (try? child.run()) != nil else { return "unstarted" }
        let deadline = Date().addingTimeInterval(timeout)
        while child.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if child.isRunning {
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            return "hang"
        }
        let text = (try? Data(contentsOf: log)) ?? Data()
        if child.terminationReason == .uncaughtSignal { return "crash" }
        let kinds = Finding.Kind.allCases.filter { kind in
            String(decoding: text, as: UTF8.self).contains("\n\(kind.rawValue): ")
                || String(decoding: text, as: UTF8.self).hasPrefix("\(kind.rawValue): ")
        }
        return kinds.isEmpty ? "ok" : kinds.map(\.rawValue).joined(separator: " ")
    }

    private static func lines(_ bytes: [UInt8]) -> [[UInt8]] {
        bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
    }

    private static func join(_ lines: [[UInt8]]) -> [UInt8] {
        Array(lines.joined(separator: [UInt8(ascii: "\n")]))
    }
}

struct ShrinkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension FuzzInput {
    func replacingLesson(_ bytes: [UInt8]) -> FuzzInput {
        FuzzInput(origin: origin, lesson: bytes, student: student)
    }

    func replacingStudent(_ bytes: [UInt8]) -> FuzzInput {
        FuzzInput(origin: origin, lesson: lesson, student: bytes)
    }
}
