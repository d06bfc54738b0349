import ArgumentParser
import Foundation
import Notebook

/// `lesson cache info|clear NOTEBOOK`: what the cell cache beside a notebook holds.
struct Cache: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show or empty a notebook's cell cache.",
        discussion: """
            `lesson run` stores each cell's outputs (and, after slow cells, the session state) in \
            .lesson-cache/<notebook>/ beside the notebook, so the next run resumes at the first \
            changed cell. The states keep their large arrays (tensors, word ids) in blobs/, one \
            file per distinct array, shared by every state that holds it. Entries and blobs are \
            checked (checksums, sizes, data files) before use; a bad one is recomputed.
            """,
        subcommands: [Info.self, Prune.self, Clear.self])

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the cached cells and their sizes.")

        @ArgumentParser.Argument(help: ArgumentHelp("The notebook.", valueName: "notebook"))
        var notebook: String

        func run() throws {
            let folder = CellCache.folder(forNotebook: URL(fileURLWithPath: notebook))
            let info = CellCache(folder: folder).info()
            Console.line("\(folder.path): \(info.entries.count) entr\(info.entries.count == 1 ? "y" : "ies") and "
                         + "\(info.blobCount) array blob\(info.blobCount == 1 ? "" : "s") (\(ByteCount.text(info.blobBytes))), "
                         + ByteCount.text(info.totalBytes) + " in all")
            for entry in info.entries {
                Console.line(CacheListing.line(entry))
            }
        }
    }

    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete the cached cells the last complete run does not use.",
            discussion: """
                Entries of earlier runs (other parameters, cells edited since) stay in the cache \
                until pruned or cleared, and a saved session state can be hundreds of megabytes. \
                This keeps exactly what the last complete `lesson run` of the notebook used, so \
                running it again is still taken from the cache.
                """)

        @ArgumentParser.Argument(help: ArgumentHelp("The notebook.", valueName: "notebook"))
        var notebook: String

        func run() throws {
            let folder = CellCache.folder(forNotebook: URL(fileURLWithPath: notebook))
            let cache = CellCache(folder: folder)
            let removed: [CacheInfo.Entry]?
            do {
                removed = try cache.prune()
            } catch {
                Console.error("cannot prune \(folder.path): \(error)")
                throw ExitCode(1)
            }
            guard let removed else {
                Console.line("Nothing pruned: \(folder.path) records no complete run to keep (lesson cache clear empties it)")
                return
            }
            let left = cache.info()
            Console.line("Removed \(removed.count) cached cell\(removed.count == 1 ? "" : "s") "
                         + "(\(ByteCount.text(removed.reduce(0) { $0 + $1.bytes }))) the last run does not use, and the "
                         + "array blobs no state needs; \(left.entries.count) left, \(ByteCount.text(left.totalBytes)) in all")
        }
    }

    struct Clear: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a notebook's cached cells.")

        @ArgumentParser.Argument(help: ArgumentHelp("The notebook.", valueName: "notebook"))
        var notebook: String

        func run() throws {
            let folder = CellCache.folder(forNotebook: URL(fileURLWithPath: notebook))
            let cache = CellCache(folder: folder)
            let before = cache.info()
            do {
                try cache.clear()
            } catch {
                Console.error("cannot clear \(folder.path): \(error)")
                throw ExitCode(1)
            }
            Console.line("Removed \(before.entries.count) cached cell\(before.entries.count == 1 ? "" : "s") "
                         + "(\(ByteCount.text(before.totalBytes))) from \(folder.path)")
        }
    }
}

/// `1.2 MB`-style sizes.
enum ByteCount {
    static func text(_ bytes: Int) -> String {
        let units = ["bytes", "KB", "MB", "GB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(bytes) bytes" : String(format: "%.1f", value) + " " + units[unit]
    }
}

/// One line of `lesson cache info`: `cell 38 train  24.1 MB  2026-11-29T18:48:35Z  3f2a…`.
enum CacheListing {
    static func line(_ entry: CacheInfo.Entry) -> String {
        var parts = ["  " + (entry.cellIndex.map { "cell \($0)" } ?? "cell ?")]
        if let label = entry.label { parts.append(label) }
        if entry.isGradingState { parts.append("(saved for grading the exercise after it)") }
        parts.append(ByteCount.text(entry.bytes))
        if let date = entry.createdAt { parts.append(ISO8601DateFormatter().string(from: date)) }
        parts.append(String(entry.key.hex.prefix(12)))
        if let problem = entry.problem { parts.append("(\(problem); it will be recomputed)") }
        return parts.joined(separator: "  ")
    }
}
