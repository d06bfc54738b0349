import Foundation

/// Paths the tests need, found from this file rather than from fixed absolute paths.
public enum TestPaths {
    /// The package root: the nearest directory above this file holding Package.swift.
    public static func packageRoot(filePath: String = #filePath) -> URL {
        var directory = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return directory
            }
            directory = directory.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }

    /// The real Penn Treebank: `shared/data/ptb` beside the package (as in CI and in /work).
    public static var realData: URL {
        packageRoot().appendingPathComponent("../shared/data/ptb").standardizedFileURL
    }
}

/// A fresh directory under the system temporary directory, removed by `remove()`.
public struct TemporaryDirectory {
    public let url: URL

    public init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("engine-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `contents` to `relativePath`, creating folders as needed; returns the file URL.
    @discardableResult
    public func write(_ contents: Data, to relativePath: String) throws -> URL {
        let file = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try contents.write(to: file)
        return file
    }

    /// Writes a corpus's three files into `relativeDirectory` (default: the root).
    @discardableResult
    public func writeCorpus(train: String, valid: String, test: String, in relativeDirectory: String = ".") throws -> URL {
        for (name, text) in [("train", train), ("valid", valid), ("test", test)] {
            try write(Data(text.utf8), to: "\(relativeDirectory)/ptb.\(name).txt")
        }
        return url.appendingPathComponent(relativeDirectory).standardizedFileURL
    }

    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
