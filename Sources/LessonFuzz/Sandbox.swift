import Foundation

/// The folders one worker runs inputs in, rebuilt fresh before every input:
///
/// ```
/// W/                       the worker's folder (and working directory)
///   canary/                must never change, and its bytes must never show up anywhere
///     secret.txt, model.safetensors, ptb/ptb.{train,valid,test}.txt
///   box/                   the sandbox, emptied before each input
///     lesson/              the lesson's folder: lesson.md, student.md, data/ (a tiny corpus)
///       canary-link -> ../../canary     file-link.safetensors -> ../../canary/model.safetensors
///       data-link -> ../../canary/ptb   dangling.safetensors -> ../../canary/fzesc-dangling.safetensors
///     Output/              the report folder; canary-link -> ../../canary
///     scratch/             where grading runs' writes go
/// ```
struct Sandbox {
    /// Text in every canary file: it must never appear in anything a run produces.
    static let canaryToken = "zqcanarytokenzq"

    let folder: URL
    var canary: URL { folder.appendingPathComponent("canary") }
    var box: URL { folder.appendingPathComponent("box") }
    var lesson: URL { box.appendingPathComponent("lesson") }
    var output: URL { box.appendingPathComponent("Output") }
    var scratch: URL { box.appendingPathComponent("scratch") }
    var data: URL { lesson.appendingPathComponent("data") }

    /// Makes the worker folder and its canary (once per worker).
    init(folder: URL) throws {
        self.folder = folder.standardizedFileURL
        let manager = FileManager.default
        try? manager.removeItem(at: canary)
        try manager.createDirectory(at: canary.appendingPathComponent("ptb"), withIntermediateDirectories: true)
        let token = Self.canaryToken
        try Data("\(token) secret\n".utf8).write(to: canary.appendingPathComponent("secret.txt"))
        try Data("\(token) not a checkpoint".utf8).write(to: canary.appendingPathComponent("model.safetensors"))
        try Self.writeCorpus(in: canary.appendingPathComponent("ptb"), words: ["\(token)", "\(token)b", "the", "a"])
    }

    /// Empties the sandbox and lays it out again, with the lesson (and student) files.
    func reset(lesson lessonBytes: [UInt8], student: [UInt8]?) throws {
        let manager = FileManager.default
        try? manager.removeItem(at: box)
        for folder in [lesson, output, scratch, data] {
            try manager.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        try Self.writeCorpus(in: data, words: ["the", "small", "dog", "runs", "a", "cat", "sleeps", "near", "house"])
        let links = [(lesson, "canary-link", "../../canary"), (lesson, "file-link.safetensors", "../../canary/model.safetensors"),
                     (lesson, "data-link", "../../canary/ptb"), (lesson, "dangling.safetensors", "../../canary/fzesc-dangling.safetensors"),
                     (output, "canary-link", "../../canary")]
        for (folder, name, target) in links {
            try manager.createSymbolicLink(atPath: folder.appendingPathComponent(name).path, withDestinationPath: target)
        }
        try Data(lessonBytes).write(to: lesson.appendingPathComponent(FuzzInput.lessonName))
        if let student { try Data(student).write(to: lesson.appendingPathComponent(FuzzInput.studentName)) }
    }

    /// Three small PTB-format files made of `words`, so `ptbRawData` reads them quickly.
    private static func writeCorpus(in folder: URL, words: [String]) throws {
        var random = FuzzRandom(seed: 7)
        for name in ["ptb.train.txt", "ptb.valid.txt", "ptb.test.txt"] {
            let lines = (0..<60).map { _ in
                " " + (0..<random.int(3...9)).map { _ in random.pick(words) }.joined(separator: " ") + " "
            }
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: folder.appendingPathComponent(name))
        }
    }
}
