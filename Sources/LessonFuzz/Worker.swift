import Foundation

/// A worker process: runs inputs `from..<to` one after another in its own folder, telling the
/// supervisor on stdout (`done INDEX MILLISECONDS`, `finding INDEX KIND FOLDER`). Before each
/// input it writes the input and its index to its folder, so if the input kills the process the
/// supervisor knows which one did and keeps it.
struct Worker {
    let generator: InputGenerator
    let store: FindingStore
    let folder: URL
    let limits: RunLimits
    /// Whether inputs with a known problem are counted instead of run (`KnownIssue`).
    let skipKnown: Bool

    func run(from: Int, to: Int) throws {
        // Ctrl-C reaches the whole process group; the supervisor decides when workers stop.
        signal(SIGINT, SIG_IGN)
        _ = FileManager.default.changeCurrentDirectoryPath(folder.path)
        unsetenv("LESSON_DATA_DIR")
        let sandbox = try Sandbox(folder: folder)
        try writeCurrent(index: -1, input: nil)
        let watch = EscapeWatch(sandbox: sandbox, outputFolder: store.root)
        let runner = InputRunner(sandbox: sandbox, watch: watch, limits: limits)
        for index in from..<to {
            // The index first: making the input runs product code too (the student's handout),
            // and a crash there must be laid at this input, not the one before.
            try writeCurrent(index: index, input: nil)
            let input = generator.input(seed: store.seed, index: index)
            if skipKnown, let issue = KnownIssue.first(in: input) {
                Self.say("known \(index) \(issue.name)")
                Self.say("done \(index) 0")
                continue
            }
            try writeCurrent(index: index, input: input)
            let started = Date()
            let findings = runner.run(input, index: index)
            for finding in findings {
                let saved = store.save(finding, input: input)
                Self.say("finding \(index) \(finding.kind.rawValue) \(saved?.path ?? "-")")
            }
            Self.say("done \(index) \(Int(Date().timeIntervalSince(started) * 1000))")
        }
    }

    /// The input about to run, and its index, in the worker's folder.
    private func writeCurrent(index: Int, input: FuzzInput?) throws {
        let saved = folder.appendingPathComponent(WorkerFiles.input)
        try? FileManager.default.removeItem(at: saved)
        try input?.save(in: saved)
        try Data("\(index)\n".utf8).write(to: folder.appendingPathComponent(WorkerFiles.current))
    }

    /// One protocol line on stdout, flushed at once (the supervisor reads it as it comes).
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
