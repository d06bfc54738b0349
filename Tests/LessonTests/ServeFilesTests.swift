import Foundation
import TestSupport
import Testing

/// `lesson serve --student` must not hand out what the page withholds: the lesson's own
/// Markdown holds every solution. The server answers only the files the prose links.
@Suite("lesson serve answers only the files the lesson's prose links", .serialized)
struct ServeFilesTests {
    static let lesson = """
        # Linked files

        ![A chart](images/chart.png "the chart"), ![a spaced name](<my figure.png>), the
        [data](my%20data.csv?raw=1#top), [the next lesson](other.md), [this one](lesson.md),
        [a way out](escape.png), [a disguise](notes.png), [up](../outside.png) and [home](/etc/passwd).

        ```swift
        //| label: the answer
        //| solution: true
        //| check: answer == 42
        let answer = 40 + 2 // SECRET-SOLUTION
        ```
        """

    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])

    /// The lesson's folder as a teacher's might be: linked files, unlinked ones, the cache,
    /// another lesson, and symbolic links that lead out of the folder or to Markdown.
    static func prepare(_ folder: TemporaryDirectory, outside: TemporaryDirectory) throws {
        try folder.write(png, to: "images/chart.png")
        try folder.write(png, to: "my figure.png")
        try folder.write(Data("x,y\n1,2\n".utf8), to: "my data.csv")
        try folder.write(Data("# Next\n\n```swift\nlet other = 1 // SECRET-OTHER\n```\n".utf8), to: "other.md")
        try folder.write(Data("SECRET-WEIGHTS".utf8), to: "model.safetensors")
        try folder.write(Data("SECRET-NOTES".utf8), to: "notes.txt")
        try folder.write(Data("SECRET-CACHE".utf8), to: ".lesson-cache/lesson/entry.cell")
        let secret = try outside.write(Data("SECRET-OUTSIDE".utf8), to: "secret.png")
        try outside.write(png, to: "outside.png")
        let manager = FileManager.default
        try manager.createSymbolicLink(at: folder.url.appendingPathComponent("escape.png"), withDestinationURL: secret)
        try manager.createSymbolicLink(atPath: folder.url.appendingPathComponent("notes.png").path,
                                       withDestinationPath: "lesson.md")
    }

    @Test("--student: the lesson's Markdown, unlinked files and the cache are 404; linked files are served")
    func onlyLinkedFiles() throws {
        let outside = try TemporaryDirectory()
        defer { outside.remove() }
        let served = try ServedLesson(Self.lesson, arguments: ["--student"]) { try Self.prepare($0, outside: outside) }
        defer { served.stop() }

        let chart = try served.get("/images/chart.png")
        #expect(chart.status == 200 && chart.headers["content-type"] == "image/png", "\(chart)")
        let spaced = try served.get("/my%20figure.png")
        #expect(spaced.status == 200 && spaced.headers["content-type"] == "image/png", "\(spaced)")
        for path in ["/my%20data.csv", "/my%20data.csv?raw=1"] {
            let data = try served.get(path)
            #expect(data.status == 200 && data.body == "x,y\n1,2\n", "\(path): \(data)")
        }

        let missing = try served.get("/no-such-file.png")
        #expect(missing.status == 404)
        let refused = ["/lesson.md", "/lesson.md?raw=1", "/%6cesson.md", "/other.md", "/model.safetensors", "/notes.txt",
                       "/notes.png", "/escape.png", "/.lesson-cache/lesson/entry.cell", "/images", "/images/",
                       "/images/../lesson.md", "/images/%2e%2e/lesson.md", "/./lesson.md", "/../outside.png",
                       "/%2e%2e/outside.png", "/outside.png", "/etc/passwd", "/../../../../etc/passwd", "/%00",
                       "/images/../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/images/%2E%2E/%2E%2E/etc/passwd",
                       "/..%2f..%2fetc%2fpasswd", "/images%2Fchart.png",
                       "/images/chart.png%00.md", "/IMAGES/chart.png"]
        for path in refused {
            let reply = try served.get(path)
            #expect(reply.status == 404, "\(path): \(reply)")
            #expect(reply.body == missing.body, "\(path): a refusal reads like a missing file")
            #expect(!reply.body.contains("SECRET") && !reply.body.contains("root:"), "\(path): \(reply)")
        }
        // A linked file swapped for a link to somewhere else after the server started is not
        // followed: it is checked again when read.
        let manager = FileManager.default
        let chartPath = served.directory.url.appendingPathComponent("images/chart.png").path
        try manager.removeItem(atPath: chartPath)
        try manager.createSymbolicLink(atPath: chartPath, withDestinationPath: served.directory.url.appendingPathComponent("lesson.md").path)
        let swapped = try served.get("/images/chart.png")
        #expect(swapped.status == 404 && !swapped.body.contains("SECRET"), "\(swapped)")
        // The page and the state still withhold the solution, as before.
        #expect(!(try served.get("/").body.contains("SECRET-SOLUTION")))
        #expect(!(try served.get("/api/state").body.contains("SECRET-SOLUTION")))
    }
}

/// What a real browser requests for the prose's images (it percent-encodes a space, keeps a
/// `%20` as written) is what the allow-list holds.
@Suite("linked images in a browser", .serialized,
       .enabled(if: HeadlessBrowser.isAvailable, "needs chromium (make test installs it)"))
struct ServeFilesBrowserTests {
    /// A 1x1 PNG.
    static let pixel = Data(base64Encoded:
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==") ?? Data()

    @Test("linked images load, under any spelling of their names; an image that is a lesson does not")
    func imagesLoad() throws {
        let lesson = """
            # Images

            ![plain](images/chart.png) ![spaced](<my figure.png>) ![encoded](my%20photo.png)
            ![accented](caf%C3%A9.png) ![disguised lesson](notes.png)
            """
        let served = try ServedLesson(lesson) { folder in
            for name in ["images/chart.png", "my figure.png", "my photo.png", "café.png"] {
                try folder.write(Self.pixel, to: name)
            }
            try FileManager.default.createSymbolicLink(atPath: folder.url.appendingPathComponent("notes.png").path,
                                                       withDestinationPath: "lesson.md")
        }
        let browser = try HeadlessBrowser()
        defer { served.stop(); browser.close() }
        try browser.navigate(to: "http://127.0.0.1:\(served.port)/")
        try browser.waitUntil("document.images.length === 5 && Array.from(document.images).every(i => i.complete)",
                              timeout: 10)
        let widths = try browser.evaluate("Array.from(document.images).map(i => i.alt + '=' + i.naturalWidth).join(' ')")
        #expect(widths as? String == "plain=1 spaced=1 encoded=1 accented=1 disguised lesson=0")
    }
}
