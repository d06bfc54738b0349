import Foundation

/// Counts as the run goes: inputs done, findings by kind, each finding's folder and first line.
struct Tally {
    struct Entry {
        var kind: Finding.Kind
        var index: Int
        var folder: String
        var message: String
    }

    var done = 0
    /// Inputs by how long they took: under 0.1 s, under 1 s, under 5 s, longer (skipped known
    /// inputs count as 0 ms; inputs that killed their worker are not timed).
    private(set) var timeBands = [0, 0, 0, 0]
    /// The slowest inputs, slowest first: where a run's time goes.
    private(set) var slowest: [(index: Int, milliseconds: Int)] = []
    private(set) var inputMilliseconds = 0
    /// The run was stopped before every input ran.
    var interrupted = false
    /// Inputs not run because they contain a known problem, by the problem's name.
    var known: [String: Int] = [:]
    private(set) var findings: [Entry] = []
    let started = Date()

    var seconds: Double { Date().timeIntervalSince(started) }
    var rate: Double { seconds > 0 ? Double(done) / seconds : 0 }

    /// Counts an input that finished in `milliseconds`.
    mutating func finished(index: Int, milliseconds: Int) {
        done += 1
        inputMilliseconds += milliseconds
        timeBands[milliseconds < 100 ? 0 : milliseconds < 1000 ? 1 : milliseconds < 5000 ? 2 : 3] += 1
        if slowest.count < 10 || milliseconds > (slowest.last?.milliseconds ?? 0) {
            slowest.append((index, milliseconds))
            slowest.sort { $0.milliseconds > $1.milliseconds }
            if slowest.count > 10 { slowest.removeLast() }
        }
    }

    func count(_ kind: Finding.Kind) -> Int {
        findings.filter { $0.kind == kind }.count
    }

    /// Records a finding and says so on stderr at once.
    mutating func add(kind: Finding.Kind, index: Int, folder: String, message: String) {
        findings.append(Entry(kind: kind, index: index, folder: folder, message: message))
        Console.say("FINDING \(kind.rawValue) at index \(index): \(message.prefix(300)) -> \(folder)")
    }

    func progressLine(total: Int) -> String {
        let counts = Finding.Kind.allCases.map { "\($0.rawValue) \(count($0))" }.joined(separator: ", ")
        let skipped = known.values.reduce(0, +)
        return "\(done)/\(total) inputs (\(skipped) known, not run) in \(Int(seconds)) s, \(String(format: "%.2f", rate)) inputs/s; findings: \(counts)"
    }
}

/// Reading a saved finding back for summaries.
enum FindingSummary {
    /// The finding's message's first line (from `finding.txt`).
    static func firstLine(in folder: URL) -> String {
        guard let text = try? String(contentsOf: folder.appendingPathComponent("finding.txt"), encoding: .utf8) else { return "" }
        let parts = text.components(separatedBy: "\n\n")
        return parts.dropFirst().first?.split(separator: "\n").first.map(String.init) ?? ""
    }

    /// The lines of a crash's stderr that say what happened: the runtime's message and the first
    /// frames of the crashed thread.
    static func stackTop(_ stderr: String) -> String {
        let lines = stderr.split(separator: "\n").map(String.init)
        let telling = lines.filter { line in
            line.contains("Fatal error") || line.contains("Crash") || line.contains("crashed") || line.contains("error:")
                || line.range(of: #"^\s*\d+ .* in "#, options: .regularExpression) != nil
        }
        return telling.prefix(14).joined(separator: "\n")
    }
}

/// Lines on stderr (progress and findings go there, so stdout stays free for workers' protocol).
enum Console {
    static func say(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
