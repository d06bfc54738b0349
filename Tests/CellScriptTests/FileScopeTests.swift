import Foundation
import Testing
import TestSupport
@testable import CellScript

/// What cells' paths may name, on a real folder tree: `class/lesson` (the lesson's folder),
/// `class/Output` (the report folder), `data` (read-only), `secret` (outside), and symbolic
/// links from the lesson's folder to each.
@Suite struct FileScopeTests {
    struct Tree {
        let root: TemporaryDirectory
        var lesson: URL { root.url.appendingPathComponent("class/lesson") }
        var output: URL { root.url.appendingPathComponent("class/Output") }
        var data: URL { root.url.appendingPathComponent("data") }
        var secret: URL { root.url.appendingPathComponent("secret") }

        init() throws {
            root = try TemporaryDirectory()
            try root.write(Data("weights".utf8), to: "class/lesson/model.safetensors")
            try root.write(Data("# lesson".utf8), to: "class/lesson/lesson.md")
            try root.write(Data("old".utf8), to: "class/lesson/sub/inner.bin")
            try root.write(Data("report".utf8), to: "class/Output/old.html")
            try root.write(Data("corpus".utf8), to: "data/ptb.train.txt")
            try root.write(Data("root:x:0:0".utf8), to: "secret/passwd")
            let links = FileManager.default
            try links.createSymbolicLink(at: lesson.appendingPathComponent("out"), withDestinationURL: secret)
            try links.createSymbolicLink(at: lesson.appendingPathComponent("leak.bin"),
                                         withDestinationURL: secret.appendingPathComponent("passwd"))
            try links.createSymbolicLink(at: lesson.appendingPathComponent("corpus"), withDestinationURL: data)
        }

        func scope(scratch: URL? = nil) -> FileScope {
            FileScope(lessonFolder: lesson, reportFolder: output, readOnlyFolders: [data], scratch: scratch)
        }
    }

    private static func refusal(_ scope: FileScope, _ path: String, _ access: FileScope.Access) -> String? {
        do {
            _ = try scope.resolve(path, for: access, what: "save(_:to:)")
            return nil
        } catch let error as ScriptError {
            return error.message + " | " + error.notes.joined(separator: " | ")
        } catch {
            return "\(error)"
        }
    }

    @Test func relativePathsStartAtTheLessonsFolder() throws {
        let tree = try Tree()
        defer { tree.root.remove() }
        let scope = tree.scope()
        let lesson = tree.lesson.resolvingSymlinksInPath().path
        #expect(try scope.resolve("model.safetensors", for: .read, what: "load").path == lesson + "/model.safetensors")
        #expect(try scope.resolve("./sub/../new.safetensors", for: .write, what: "save").path == lesson + "/new.safetensors")
        #expect(try scope.resolve("sub/inner.bin", for: .write, what: "save").path == lesson + "/sub/inner.bin")
    }

    @Test func theReportFolderIsWritableAndTheDataFolderOnlyReadable() throws {
        let tree = try Tree()
        defer { tree.root.remove() }
        let scope = tree.scope()
        #expect(try scope.resolve("../Output/m.safetensors", for: .write, what: "save").lastPathComponent == "m.safetensors")
        #expect(try scope.resolve("../../data", for: .read, what: "ptbRawData").path
                == tree.data.resolvingSymlinksInPath().path)
        #expect(try scope.resolve("corpus", for: .read, what: "ptbRawData").path
                == tree.data.resolvingSymlinksInPath().path, "a link into the data folder may be read")
        let written = Self.refusal(scope, "../../data/ptb.train.txt", .write)
        #expect(written?.contains("the data folder is read-only") == true, "\(written ?? "allowed")")
    }

    /// Each way out of the allowed folders, refused with the rule and without a byte of the file.
    @Test(arguments: [
        ("/etc/passwd", FileScope.Access.read, "it is an absolute path"),
        ("/tmp/x.safetensors", .write, "it is an absolute path"),
        ("~/x.safetensors", .write, "`~` is not expanded"),
        ("~root/.ssh/id_rsa", .read, "`~` is not expanded"),
        ("../../secret/passwd", .read, "it leads out of the lesson's folder"),
        ("../../secret/new.safetensors", .write, "it leads out of the lesson's folder"),
        ("sub/../../../secret/passwd", .read, "it leads out of the lesson's folder"),
        ("../../../../../../../../../../etc/passwd", .read, "it leads out of the lesson's folder"),
        ("out/passwd", .read, "a symbolic link on it leads out"),
        ("out/planted.safetensors", .write, "a symbolic link on it leads out"),
        ("leak.bin", .read, "a symbolic link on it leads out"),
        ("leak.bin", .write, "a symbolic link on it leads out"),
        (".lesson-cache/lesson/x.cell", .write, "hidden name"),
        ("../.git/hooks/pre-commit", .write, "hidden name"),
        ("lesson.md", .write, "cells may not write Markdown files"),
        ("notes.MARKDOWN", .write, "cells may not write Markdown files"),
        ("a\u{0}b", .read, "NUL"),
        (".", .write, "not a file"),
        ("sub/..", .write, "it leads out of the lesson's folder"),
    ])
    func escapesAreRefused(_ path: String, _ access: FileScope.Access, _ reason: String) throws {
        let tree = try Tree()
        defer { tree.root.remove() }
        let message = try #require(Self.refusal(tree.scope(), path, access), "\(path) was allowed")
        #expect(message.contains(reason), "\(message)")
        #expect(message.contains("cells may read and write files only inside the lesson's folder"), "\(message)")
        #expect(!message.contains("root:x"), "no byte of the file is shown")
        #expect(!FileManager.default.fileExists(atPath: tree.secret.appendingPathComponent("planted.safetensors").path))
    }

    @Test func aMissingFileSaysSoOnlyInsideTheAllowedFolders() throws {
        let tree = try Tree()
        defer { tree.root.remove() }
        let inside = Self.refusal(tree.scope(), "missing.safetensors", .read)
        #expect(inside?.contains("there is no file or folder \"missing.safetensors\"") == true, "\(inside ?? "")")
        let outside = Self.refusal(tree.scope(), "../../secret/missing", .read)
        #expect(outside?.contains("is refused") == true && outside?.contains("no file") == false,
                "whether a file exists outside is not revealed: \(outside ?? "")")
        let folder = Self.refusal(tree.scope(), "nofolder/m.safetensors", .write)
        #expect(folder?.contains("the folder \"nofolder\" does not exist") == true, "\(folder ?? "")")
    }

    /// Grading: writes go to the private copy at the same relative path, reads find them there
    /// first, and the lesson's folder and the report folder are never written.
    @Test func aScratchFolderTakesEveryWrite() throws {
        let tree = try Tree()
        defer { tree.root.remove() }
        let scratch = tree.root.url.appendingPathComponent("scratch")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let scope = tree.scope(scratch: scratch)
        let real = scratch.resolvingSymlinksInPath().path
        #expect(try scope.resolve("model.safetensors", for: .write, what: "save").path == real + "/model.safetensors")
        #expect(try scope.resolve("model.safetensors", for: .read, what: "load").path
                == tree.lesson.resolvingSymlinksInPath().path + "/model.safetensors", "not written yet: the lesson's")
        try Data("new".utf8).write(to: scratch.appendingPathComponent("model.safetensors"))
        #expect(try scope.resolve("model.safetensors", for: .read, what: "load").path == real + "/model.safetensors")
        #expect(try scope.resolve("sub/x.bin", for: .write, what: "save").path == real + "/sub/x.bin")
        #expect(FileManager.default.fileExists(atPath: real + "/sub"), "the lesson's folder is mirrored as needed")
        let report = Self.refusal(scope, "../Output/m.safetensors", .write)
        #expect(report?.contains("into a scratch folder of their own") == true, "\(report ?? "allowed")")
        let escape = Self.refusal(scope, "../../secret/x.safetensors", .write)
        #expect(escape != nil)
        #expect(Self.refusal(scope, "out/passwd", .read)?.contains("symbolic link") == true)
    }
}
