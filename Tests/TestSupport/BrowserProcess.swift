#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A browser child process whose fd 3 reads our commands and whose fd 4 writes its replies.
///
/// Foundation's `Process` cannot place pipes at fds 3 and 4, so this spawns with
/// `posix_spawn` and dup2 file actions. Every descriptor the parent keeps is close-on-exec
/// and non-blocking; the child gets exactly stdin (/dev/null), stdout (/dev/null),
/// stderr (a log file) and the two pipe ends. The child leads its own process group so
/// that a last-resort kill also reaches the renderers it started.
final class BrowserProcess {
    let pid: pid_t
    /// The parent's end of the command pipe (the child reads the other end as fd 3).
    let commandFD: Int32
    /// The parent's end of the reply pipe (the child writes the other end as fd 4).
    let replyFD: Int32
    /// Where the child's standard error goes, for the tail quoted in errors.
    let stderrLog: URL
    private(set) var exitStatus: Int32?

    /// Starts `executable` with `arguments` (argv[0] excluded).
    /// - Throws: `HeadlessBrowser.Failure.launch` when a pipe, the log or the spawn fails.
    init(executable: String, arguments: [String], stderrLog: URL) throws {
        self.stderrLog = stderrLog
        let commands = try Self.pipeAboveStandardDescriptors()
        let replies: (read: Int32, write: Int32)
        do {
            replies = try Self.pipeAboveStandardDescriptors()
        } catch {
            close(commands.read); close(commands.write)
            throw error
        }
        let childEnds = [commands.read, replies.write]
        let parentEnds = [commands.write, replies.read]
        do {
            pid = try Self.spawn(executable: executable, arguments: arguments,
                                 commandRead: commands.read, replyWrite: replies.write, stderrPath: stderrLog.path)
        } catch {
            (childEnds + parentEnds).forEach { close($0) }
            throw error
        }
        // The child holds its own copies; ours would keep the reply pipe open after it exits.
        childEnds.forEach { close($0) }
        for fd in parentEnds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        commandFD = commands.write
        replyFD = replies.read
    }

    /// A pipe whose two ends are close-on-exec and numbered 10 or above, so the dup2 actions
    /// that place them at 3 and 4 can never overwrite one another.
    private static func pipeAboveStandardDescriptors() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw HeadlessBrowser.Failure.launch(reason: "pipe: \(errnoText())") }
        defer { close(fds[0]); close(fds[1]) }
        let read = fcntl(fds[0], F_DUPFD_CLOEXEC, Int32(10))
        let write = fcntl(fds[1], F_DUPFD_CLOEXEC, Int32(10))
        guard read >= 0, write >= 0 else {
            let reason = errnoText()
            if read >= 0 { close(read) }
            if write >= 0 { close(write) }
            throw HeadlessBrowser.Failure.launch(reason: "fcntl(F_DUPFD_CLOEXEC): \(reason)")
        }
        return (read, write)
    }

    private static func spawn(executable: String, arguments: [String],
                              commandRead: Int32, replyWrite: Int32, stderrPath: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, commandRead, 3)
        posix_spawn_file_actions_adddup2(&actions, replyWrite, 4)
        // Other threads of the test process may hold descriptors without close-on-exec (a
        // pipe another test is reading to EOF); the browser must not keep those open.
        // (glibc ignores a close action whose descriptor was closed meanwhile.)
        for fd in inheritableDescriptors() where fd > 4 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGHUP] { sigaddset(&defaultSignals, signal) }
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw HeadlessBrowser.Failure.launch(reason: "posix_spawn \(executable): \(String(cString: strerror(result)))")
        }
        return pid
    }

    /// The descriptors of this process that an exec would pass on (no close-on-exec).
    private static func inheritableDescriptors() -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return names.compactMap { Int32($0) }.filter { fd in
            let flags = fcntl(fd, F_GETFD)
            return flags >= 0 && flags & FD_CLOEXEC == 0
        }
    }

    /// The last `lines` lines of the child's standard error, without its D-Bus complaints:
    /// chromium logs several on any machine without a desktop session, and they would
    /// push the line that explains a failure out of the tail.
    func stderrTail(lines: Int = 12) -> String {
        guard let data = try? Data(contentsOf: stderrLog) else { return "" }
        let meaningful = String(decoding: data, as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: true)
            .filter { !$0.contains(":ERROR:dbus/") }
        return meaningful.suffix(lines).joined(separator: "\n")
    }

    /// Reaps the child if it has exited; returns its wait status, nil while it runs.
    @discardableResult
    func reapIfExited() -> Int32? {
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid {
            exitStatus = status
        } else if result < 0 && errno == ECHILD {
            exitStatus = -1
        }
        return exitStatus
    }

    /// Waits up to `timeout` seconds for the child to exit; true when it has.
    func waitForExit(timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while reapIfExited() == nil {
            if Date() >= deadline { return false }
            usleep(20_000)
        }
        return true
    }

    /// Closes our pipe ends (the browser quits when its command pipe reaches EOF), then
    /// SIGTERM, then SIGKILL for the whole group; always reaps the child.
    func terminate(grace: TimeInterval) {
        close(commandFD)
        if !waitForExit(timeout: grace) {
            kill(pid, SIGTERM)
            if !waitForExit(timeout: grace) {
                kill(-pid, SIGKILL)
                _ = waitForExit(timeout: grace)
            }
        }
        close(replyFD)
        // Renderers or helpers orphaned by an unclean exit are still in the group.
        kill(-pid, SIGKILL)
    }

    /// A readable account of the child's wait status.
    static func describe(status: Int32) -> String {
        if status == -1 { return "exited (status unknown)" }
        let signal = status & 0x7f
        if signal == 0 { return "exited with status \((status >> 8) & 0xff)" }
        return "was killed by signal \(signal)"
    }
}

func errnoText() -> String {
    String(cString: strerror(errno))
}
