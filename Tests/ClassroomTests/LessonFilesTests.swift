@testable import Classroom
import Foundation
import Notebook
import TestSupport
import Testing

@Suite("files a served lesson may load")
struct LessonFilesTests {
    static let png = Data([0x89, 0x50, 0x4E, 0x47])

    /// A lesson's folder: linked and unlinked files, the cache, another lesson, symbolic links.
    static func folder(outside: TemporaryDirectory) throws -> (folder: TemporaryDirectory, lesson: URL) {
        let folder = try TemporaryDirectory()
        let lesson = try folder.write(Data("# Lesson\n".utf8), to: "lesson.md")
        try folder.write(png, to: "img/a.png")
        try folder.write(png, to: "my figure.png")
        try folder.write(Data("x\n".utf8), to: "data.csv")
        try folder.write(Data("# Other\n".utf8), to: "other.md")
        try folder.write(Data("w".utf8), to: "model.safetensors")
        try folder.write(Data("<p>SECRET-SOLUTION</p>".utf8), to: "Output/lesson.html")
        try folder.write(Data("c".utf8), to: ".lesson-cache/lesson/entry.cell")
        try folder.write(Data("h".utf8), to: ".hidden/x.png")
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("folder.png"),
                                                withIntermediateDirectories: true)
        let secret = try outside.write(Data("s".utf8), to: "secret.png")
        let links: [(String, String)] = [("escape.png", secret.path), ("inside.png", "img/a.png"),
                                         ("notes.txt", "lesson.md"), ("cached.bin", ".lesson-cache/lesson/entry.cell"),
                                         ("img/up.png", "../other.md"), ("dangling.png", "nowhere.png")]
        for (name, target) in links {
            try FileManager.default.createSymbolicLink(atPath: folder.url.appendingPathComponent(name).path,
                                                       withDestinationPath: target)
        }
        return (folder, lesson)
    }

    @Test("the prose's relative links to regular files inside the folder are served, under their decoded paths")
    func served() throws {
        let outside = try TemporaryDirectory()
        defer { outside.remove() }
        let (folder, lesson) = try Self.folder(outside: outside)
        defer { folder.remove() }
        let files = LessonFiles(links: ["img/a.png", "./img/a.png", "my%20figure.png", "my figure.png",
                                        "data.csv?raw=1#top", "inside.png", "img/a%2Epng"], notebook: lesson)
        let real = { (path: String) in LessonFiles.realPath(folder.url.appendingPathComponent(path).path) }
        #expect(Set(files.served.keys) == ["img/a.png", "my figure.png", "data.csv", "inside.png"])
        #expect(files.served.values.map(\.path).allSatisfy { $0 == real("img/a.png") || $0 == real("my figure.png")
            || $0 == real("data.csv") })
        #expect(files.served["inside.png"]?.path == real("img/a.png"), "a link that stays inside is fine")
        #expect(files.skipped.isEmpty, "\(files.skipped)")
        #expect(files.file(forRequestPath: "/img/a.png")?.path == real("img/a.png"))
        #expect(files.file(forRequestPath: "/img/a%2Epng?v=2")?.path == real("img/a.png"))
        #expect(files.file(forRequestPath: "/my%20figure.png")?.path == real("my figure.png"))
        #expect(files.file(forRequestPath: "/data.csv?raw=1")?.path == real("data.csv"))
    }

    @Test("links that are not files beside the lesson are ignored without a word", arguments: [
        "#section", "?q", "https://example.com/a.png", "http://x/y.png", "//example.com/a.png", "mailto:a@b.c",
        "data:image/png;base64,AAAA", "javascript:alert(1)", "c:/x.png", "",
    ])
    func notFiles(_ link: String) throws {
        let outside = try TemporaryDirectory()
        defer { outside.remove() }
        let (folder, lesson) = try Self.folder(outside: outside)
        defer { folder.remove() }
        let files = LessonFiles(links: [link], notebook: lesson)
        #expect(files.served.isEmpty && files.skipped.isEmpty)
    }

    @Test("links to what must stay private are refused, each with its reason", arguments: [
        ("lesson.md", LessonFiles.Refusal.markdown), ("LESSON.MD", .markdown), ("other.md", .markdown),
        ("notes.markdown", .markdown), ("other.md#part", .markdown), ("notes.txt", .theLesson),
        ("img/up.png", .markdown), ("escape.png", .outside), ("../outside.png", .outside), ("img/../lesson.md", .outside),
        ("%2e%2e/secret.png", .outside), (".lesson-cache/lesson/entry.cell", .hidden), (".hidden/x.png", .hidden),
        ("cached.bin", .hidden), ("img/.x.png", .hidden), ("/etc/passwd", .notRelative), ("/img/a.png", .notRelative),
        ("img//a.png", .malformed), ("img/", .malformed), (".", .malformed), ("a%00b.png", .malformed),
        ("a%2Fb.png", .malformed), ("a%zz.png", .malformed), ("img\\a.png", .malformed), ("missing.png", .missing),
        ("dangling.png", .missing), ("folder.png", .notAFile), ("img", .notAFile),
        ("Output/lesson.html", .page), ("Output/LESSON.HTM", .missing),
    ])
    func refused(_ link: String, _ reason: LessonFiles.Refusal) throws {
        let outside = try TemporaryDirectory()
        defer { outside.remove() }
        let (folder, lesson) = try Self.folder(outside: outside)
        defer { folder.remove() }
        let files = LessonFiles(links: [link], notebook: lesson)
        #expect(files.served.isEmpty)
        #expect(files.skipped == [LessonFiles.Skipped(link: link, reason: reason)])
    }

    @Test("requests for anything not on the list find nothing, whether or not it exists")
    func requests() throws {
        let outside = try TemporaryDirectory()
        defer { outside.remove() }
        let (folder, lesson) = try Self.folder(outside: outside)
        defer { folder.remove() }
        let files = LessonFiles(links: ["img/a.png"], notebook: lesson)
        for path in ["/lesson.md", "/model.safetensors", "/data.csv", "/.lesson-cache/lesson/entry.cell", "/img",
                     "/img/", "/", "", "img/a.png", "/./img/a.png", "/img/./a.png", "/img//a.png", "//img/a.png",
                     "/img/../img/a.png", "/%2e%2e/x", "/img%2Fa.png", "/img/a.png%00", "/%zz", "/IMG/A.PNG"] {
            #expect(files.file(forRequestPath: path) == nil, "\(path)")
        }
    }

    @Test("the list comes from the prose: links, images, reference links and footnotes; not code")
    func fromDocument() throws {
        let outside = try TemporaryDirectory()
        defer { outside.remove() }
        let (folder, lesson) = try Self.folder(outside: outside)
        defer { folder.remove() }
        let text = """
            # Lesson

            ![a](img/a.png) and [the data][d], [itself](lesson.md).[^1]

            [d]: data.csv

            [^1]: See ![figure](<my figure.png>).

            `[code](model.safetensors)`

            ```swift
            let path = "model.safetensors" // [not prose](model.safetensors)
            ```
            """
        let document = NotebookParser.parse(text: text, file: lesson.path)
        let files = LessonFiles(document: document, notebook: lesson)
        #expect(Set(files.served.keys) == ["img/a.png", "data.csv", "my figure.png"])
        #expect(files.skipped == [LessonFiles.Skipped(link: "lesson.md", reason: .markdown)])
    }

    @Test("content types for what lessons show; Markdown is not among them")
    func contentTypes() {
        #expect(LessonFiles.contentType(of: URL(fileURLWithPath: "/a/b.PNG")) == "image/png")
        #expect(LessonFiles.contentType(of: URL(fileURLWithPath: "/a/b.svg")) == "image/svg+xml")
        #expect(LessonFiles.contentType(of: URL(fileURLWithPath: "/a/b.bin")) == "application/octet-stream")
        #expect(LessonFiles.contentType(of: URL(fileURLWithPath: "/a/b.md")) == "application/octet-stream")
    }
}

@Suite("the live training chart")
struct LiveTrainingChartTests {
    @Test("train phases become a running curve, valid phases one point per epoch")
    func curve() {
        var chart = LiveTrainingChart()
        #expect(!chart.hasPoints)
        for epoch in 1...2 {
            for step in stride(from: 0, through: 100, by: 10) {
                chart.add(.init(phase: "Epoch \(epoch)/2 train", completed: step, total: 100,
                                perplexity: 500.0 / Double(epoch) - Double(step)))
            }
            chart.add(.init(phase: "Epoch \(epoch)/2 valid", completed: 50, total: 100, perplexity: 1))
            chart.add(.init(phase: "Epoch \(epoch)/2 valid", completed: 100, total: 100, perplexity: 300.0 / Double(epoch)))
        }
        chart.add(.init(phase: "test", completed: 10, total: 10, perplexity: 99))
        chart.add(.init(phase: "Epoch 3/3 train", completed: 1, total: 10, perplexity: nil))
        #expect(chart.hasPoints)
        // Epoch 2's first point (x = 1) is as close as can be to epoch 1's last: thinned.
        #expect(chart.train.count == 21)
        #expect(chart.train.first?.x == 0 && chart.train.last?.x == 2)
        #expect(chart.train[10].x == 1 && chart.train[10].y == 400)
        #expect(chart.valid.map(\.x) == [1, 2] && chart.valid.map(\.y) == [300, 150])
        let drawn = chart.chart
        #expect(drawn.logScale && drawn.series.map(\.name) == ["train (running)", "valid"])
    }

    @Test("points closer than a hundredth of an epoch are thinned, the epoch's end always kept")
    func thinning() {
        var chart = LiveTrainingChart()
        for step in 0...1000 {
            chart.add(.init(phase: "Epoch 1 train", completed: step, total: 1000, perplexity: 100))
        }
        #expect(chart.train.count == 101)
        #expect(chart.train.last?.x == 1)
    }
}
