import Foundation
import Notebook

/// Opens a cell's code in the user's text editor and reads back what they saved, the way `git
/// commit` and IPython's `%edit` do: `$VISUAL` (unless the terminal is `dumb`), else `$EDITOR`,
/// each a command line the shell runs with the file's path after it (`code --wait` works),
/// else the first of `editor`, `nano`, `vim`, `vi` on the PATH.
///
/// The code goes into a file of its own in a private folder (removed after). The editor gets
/// the terminal when standard input is one; otherwise (commands piped in) its standard input
/// is /dev/null, so it can never read the stepper's commands. Nothing the editor does changes
/// the cell unless it exits with status 0 having saved non-empty UTF-8 text that differs.
struct CellEditor {
    enum Outcome: Equatable {
        /// The saved text: LF line endings, no newline at its end.
        case changed(String)
        /// Saved as it was (or not saved).
        case unchanged
        /// Why nothing came of it, as a sentence to show.
        case failed(String)
    }

    let environment: [String: String]
    /// Whether standard input is a terminal (the editor then shares it).
    let terminal: Bool

    /// The command line to run and where it came from; nil when no editor can be found.
    func command() -> (line: String, source: String)? {
        func value(_ name: String) -> String? {
            guard let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        if environment["TERM"] != "dumb", let visual = value("VISUAL") { return (visual, "$VISUAL") }
        if let editor = value("EDITOR") { return (editor, "$EDITOR") }
        let folders = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        for name in ["editor", "nano", "vim", "vi"] {
            for folder in folders where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
                return (name, "the default (neither VISUAL nor EDITOR is set)")
            }
        }
        return nil
    }

    /// Lets the user edit `text` in a file named `name` (e.g. `cell-3.swift`: the extension tells
    /// the editor the language).
    func edit(_ text: String, name: String) -> Outcome {
        guard let (line, source) = command() else {
            return .failed("No text editor found: set EDITOR to one (e.g. export EDITOR=nano) and press e again.")
        }
        let folder: PrivateFolder
        do {
            folder = try PrivateFolder(prefix: "lesson-edit")
        } catch {
            return .failed("The code cannot be put in a file to edit: \(error.localizedDescription).")
        }
        defer { folder.remove() }
        let file = folder.url.appendingPathComponent(name)
        let original = Self.tidy(text)
        do {
            try Data((original + "\n").utf8).write(to: file)
        } catch {
            return .failed("The code cannot be put in a file to edit: \(error.localizedDescription).")
        }
        let status = run(line, file: file.path)
        switch status {
        case .exited(0):
            break
        case .exited(127):
            return .failed("The editor `\(line)` (from \(source)) could not be started: no such command. "
                           + "Set EDITOR to an editor this machine has.")
        case .exited(126):
            return .failed("The editor `\(line)` (from \(source)) cannot be run: it is not executable.")
        case .exited(let code):
            return .failed("The editor `\(line)` ended with exit status \(code), so its text was not taken.")
        case .signalled(let signal):
            return .failed("The editor `\(line)` was stopped by signal \(signal), so its text was not taken.")
        case .notStarted(let reason):
            return .failed("The editor `\(line)` could not be started: \(reason).")
        }
        guard let data = try? Data(contentsOf: file) else {
            return .failed("The editor left no file behind (\(name) was removed), so there is nothing to run.")
        }
        guard data.count <= NotebookStepper.maxEditBytes else {
            return .failed("The edited code is \(data.count) bytes; a cell may have at most \(NotebookStepper.maxEditBytes).")
        }
        guard let saved = String(data: data, encoding: .utf8) else {
            return .failed("The editor saved bytes that are not UTF-8 text, so they were not taken.")
        }
        let edited = Self.tidy(saved)
        if edited.allSatisfy(\.isWhitespace) {
            return .failed("The editor saved an empty file, so there is nothing to run.")
        }
        return edited == original ? .unchanged : .changed(edited)
    }

    /// For an editor that returned with the file unchanged: when its command is a graphical
    /// editor that hands the file to a window and returns at once unless told to wait, how to
    /// make it wait; nil otherwise.
    func waitHint() -> String? {
        guard let (line, _) = command() else { return nil }
        let words = line.split(separator: " ").map(String.init)
        guard let program = words.first.map({ URL(fileURLWithPath: $0).lastPathComponent }) else { return nil }
        let waits: [String: [String]] = ["code": ["--wait", "-w"], "codium": ["--wait", "-w"], "subl": ["--wait", "-w"],
                                         "atom": ["--wait", "-w"], "zed": ["--wait", "-w"], "gvim": ["-f", "--nofork"],
                                         "mate": ["-w", "--wait"], "gedit": ["-w", "--wait"], "kate": ["-b", "--block"]]
        guard let flags = waits[program], !words.dropFirst().contains(where: flags.contains) else { return nil }
        return "`\(program)` returns at once unless told to wait: set EDITOR=\"\(program) \(flags[0])\""
    }

    /// The notebook parser's normalization (LF line endings, no byte order mark), and no blank
    /// lines at the end.
    static func tidy(_ text: String) -> String {
        var lines = NotebookParser.normalized(text).split(separator: "\n", omittingEmptySubsequences: false)
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    enum Status: Equatable {
        case exited(Int32)
        case signalled(Int32)
        case notStarted(String)
    }

    /// Runs `sh -c 'LINE "$1"' lesson-edit FILE` in the foreground (our process group, so a
    /// full-screen editor owns the terminal), with the signals we ignore back at their defaults,
    /// and waits for it. The file's path reaches the editor as an argument, never as shell text.
    private func run(_ line: String, file: String) -> Status {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if !terminal { posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGQUIT, SIGPIPE, SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var noMask = sigset_t()
        sigemptyset(&noMask)
        posix_spawnattr_setsigmask(&attributes, &noMask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let arguments = ["sh", "-c", line + " \"$1\"", "lesson-edit", file]
        var pointers: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in pointers { free(pointer) } }
        var environment = self.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in environment { free(pointer) } }
        var pid: pid_t = 0
        let started = posix_spawn(&pid, "/bin/sh", &actions, &attributes, &pointers, &environment)
        guard started == 0 else { return .notStarted(String(cString: strerror(started))) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { return .notStarted("waiting for it failed: \(String(cString: strerror(errno)))") }
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import.
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
    }
}
