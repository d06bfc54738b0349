import Foundation

/// Where findings are kept: `OUT/<kind>s/<seed>-<index>/` with the input's files, `finding.txt`
/// (kind, message, how to replay) and for crashes and hangs the tail of the worker's stderr.
struct FindingStore: Sendable {
    let root: URL
    let seed: UInt64

    func folder(_ kind: Finding.Kind, index: Int) -> URL {
        root.appendingPathComponent(kind.folder).appendingPathComponent("\(seed)-\(index)")
    }

    /// Saves `finding` with its input; returns the folder (nil if it could not be written).
    @discardableResult
    func save(_ finding: Finding, input: FuzzInput?, stderrTail: String? = nil) -> URL? {
        let folder = self.folder(finding.kind, index: finding.index)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try input?.save(in: folder)
            var text = "kind: \(finding.kind.rawValue)\nseed: \(seed)\nindex: \(finding.index)\n"
            text += "origin: \(input?.origin ?? "unknown")\n"
            text += "replay: lesson-fuzz --replay \(seed):\(finding.index)   or   lesson-fuzz --replay-dir \(folder.path)\n\n"
            text += finding.message + "\n"
            try Data(text.utf8).write(to: folder.appendingPathComponent("finding.txt"))
            if let stderrTail {
                try Data(stderrTail.utf8).write(to: folder.appendingPathComponent("stderr-tail.txt"))
            }
            return folder
        } catch {
            FileHandle.standardError.write(Data("lesson-fuzz: cannot save a finding in \(folder.path): \(error)\n".utf8))
            return nil
        }
    }
}
