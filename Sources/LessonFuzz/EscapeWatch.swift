import Foundation

/// Notices writes outside the sandbox: a change anywhere in the canary tree (a file created,
/// changed, deleted, or a link retargeted), a new entry in the worker's folder or its parent,
/// and any file named `fzesc…` (the names hostile paths use) in the places a path could reach:
/// the worker's folder, the output folder, `/tmp`, the home folder.
struct EscapeWatch {
    private let sandbox: Sandbox
    private let canaryState: [String: String]
    private let workerEntries: Set<String>
    private let watchedFolders: [URL]

    init(sandbox: Sandbox, outputFolder: URL) {
        self.sandbox = sandbox
        canaryState = Self.state(of: sandbox.canary)
        workerEntries = Self.entries(of: sandbox.folder)
        let home = FileManager.default.homeDirectoryForCurrentUser
        watchedFolders = [sandbox.folder, sandbox.folder.deletingLastPathComponent(), outputFolder,
                          URL(fileURLWithPath: "/tmp"), home, sandbox.canary]
    }

    /// What changed outside the sandbox since the watch began; empty when nothing did.
    func problems() -> [String] {
        var problems: [String] = []
        let now = Self.state(of: sandbox.canary)
        for (path, was) in canaryState.sorted(by: { $0.key < $1.key }) where now[path] != was {
            problems.append("canary entry \(path) changed: was \(was), now \(now[path] ?? "missing")")
        }
        for path in now.keys.sorted() where canaryState[path] == nil {
            problems.append("canary gained \(path): \(now[path] ?? "")")
        }
        let entries = Self.entries(of: sandbox.folder)
        for entry in entries.subtracting(workerEntries).sorted() where !WorkerFiles.names.contains(entry) && entry != "box" {
            problems.append("new entry in the worker's folder: \(entry)")
        }
        let boxEntries = Self.entries(of: sandbox.box).subtracting(["lesson", "Output", "scratch"])
        for entry in boxEntries.sorted() {
            problems.append("new entry in the sandbox outside the lesson and report folders: box/\(entry)")
        }
        for folder in watchedFolders {
            for entry in Self.entries(of: folder).sorted() where entry.contains("fzesc") {
                problems.append("file \(folder.appendingPathComponent(entry).path) exists")
            }
        }
        return problems
    }

    /// Every entry under `folder` (links not followed) with its kind, size and content digest.
    private static func state(of folder: URL) -> [String: String] {
        var result: [String: String] = [:]
        let manager = FileManager.default
        guard let names = manager.subpaths(atPath: folder.path) else { return result }
        for name in names {
            let path = folder.appendingPathComponent(name).path
            if let target = try? manager.destinationOfSymbolicLink(atPath: path) {
                result[name] = "link to \(target)"
            } else if let data = manager.contents(atPath: path) {
                result[name] = "file of \(data.count) bytes, digest \(digest(data))"
            } else {
                result[name] = "folder"
            }
        }
        return result
    }

    private static func entries(of folder: URL) -> Set<String> {
        Set((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
    }

    /// FNV-1a: enough to notice any change to the canary's few small files.
    private static func digest(_ data: Data) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in data {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return String(hash, radix: 16)
    }
}
