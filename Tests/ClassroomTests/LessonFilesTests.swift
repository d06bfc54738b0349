@testable import Classroom
import Foundation
import TestSupport
import Testing

@Suite("files a served lesson may load")
struct LessonFilesTests {
    @Test("files inside the folder are found; everything else is refused")
    func lookups() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let image = try folder.write(Data([1, 2, 3]), to: "img/a.png")
        try folder.write(Data(), to: ".hidden/x.txt")
        let outside = try TemporaryDirectory()
        defer { outside.remove() }
        let secret = try outside.write(Data("s".utf8), to: "secret.txt")
        try FileManager.default.createSymbolicLink(at: folder.url.appendingPathComponent("img/escape.png"),
                                                   withDestinationURL: secret)
        try FileManager.default.createSymbolicLink(at: folder.url.appendingPathComponent("inside.png"),
                                                   withDestinationURL: image)
        let files = LessonFiles(folder: folder.url)
        #expect(files.lookup(requestPath: "/img/a.png") == .file(image.resolvingSymlinksInPath()))
        #expect(files.lookup(requestPath: "/img/a%2Epng?v=2") == .file(image.resolvingSymlinksInPath()))
        #expect(files.lookup(requestPath: "/inside.png") == .file(image.resolvingSymlinksInPath()),
                "a link that stays inside is fine")
        #expect(files.lookup(requestPath: "/img/b.png") == .notFound)
        for path in ["/", "/img", "/../x", "/img/../../x", "/%2e%2e/x", "/img/%2E%2E/%2e%2e/x", "/.hidden/x.txt",
                     "/img/escape.png", "/a%00b", "/a\\b", "/%zz"] {
            #expect(files.lookup(requestPath: path) == .refused, "\(path)")
        }
    }

    @Test("content types for what lessons show")
    func contentTypes() {
        #expect(LessonFiles.contentType(of: URL(fileURLWithPath: "/a/b.PNG")) == "image/png")
        #expect(LessonFiles.contentType(of: URL(fileURLWithPath: "/a/b.svg")) == "image/svg+xml")
        #expect(LessonFiles.contentType(of: URL(fileURLWithPath: "/a/b.bin")) == "application/octet-stream")
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
