import Foundation
import TestSupport
import Testing

/// Whether Python's `pypdf` can be imported here (the tests read PDFs with it).
enum PDFReader {
    static var available: Bool {
        (try? LessonCommand.runTool("/usr/bin/env", ["python3", "-c", "import pypdf"]).status) == 0
    }
}

/// `lesson run --pdf`: the report and the student's report printed by headless Chromium.
@Suite("lesson run --pdf", .serialized,
       .enabled(if: HeadlessBrowser.isAvailable && PDFReader.available, "needs chromium and pypdf (make test installs them)"))
struct PDFCommandTests {
    static let longLine = "let sentence = \"" + (0..<40).map { "word\($0)" }.joined(separator: " ") + "\""

    static let lesson = """
        # Printed

        A handout for paper.

        ```swift
        \(longLine)
        sentence.count
        ```

        ```swift
        plot(["a": [1.0, 3.0, 2.0]], title: "A line to keep whole")
        ```

        ```swift
        //| solution: true
        //| check: answer == 42
        let answer = 6 * 7 // PRINTED-SOLUTION
        ```
        """

    /// The text of every page, joined (pypdf), and the page count.
    static func text(of pdf: URL) throws -> (text: String, pages: Int) {
        let run = try LessonCommand.runTool("/usr/bin/env", ["python3", "-c", """
            import json, sys, pypdf
            reader = pypdf.PdfReader(sys.argv[1])
            print(json.dumps({"pages": len(reader.pages), "text": "\\n".join(p.extract_text() for p in reader.pages)}))
            """, pdf.path])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run)")
        return (object["text"] as? String ?? "", object["pages"] as? Int ?? 0)
    }

    @Test("the report and the student's report print to PDF; the student's has no solution; long code wraps")
    func printsBoth() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try directory.write(Data(Self.lesson.utf8), to: "lesson.md")
        let instructor = try LessonCommand.run(["run", "lesson.md", "--pdf", "--no-cache"], in: directory.url)
        #expect(instructor.status == 0 && instructor.stdout.contains("PDF: Output/lesson.pdf"), "\(instructor)")
        let student = try LessonCommand.run(["run", "lesson.md", "--student", "--pdf", "--no-cache"], in: directory.url)
        #expect(student.status == 0 && student.stdout.contains("PDF: Output/lesson.student.pdf"), "\(student)")

        let full = try Self.text(of: directory.url.appendingPathComponent("Output/lesson.pdf"))
        #expect(full.pages >= 1 && full.text.contains("PRINTED-SOLUTION"), "the instructor's has the solution")
        let handout = try Self.text(of: directory.url.appendingPathComponent("Output/lesson.student.pdf"))
        #expect(handout.pages >= 1 && handout.text.contains("Exercise 1"))
        #expect(!handout.text.contains("PRINTED-SOLUTION") && !handout.text.contains("6 * 7"), "no solution on paper")
        // Wrapped, not cut: the last word of the long line is on the page, on a later line than the first.
        let words = handout.text.components(separatedBy: .whitespacesAndNewlines).joined(separator: " ")
        #expect(words.contains("word0") && words.contains("word39"), "\(handout.text)")
        let lines = handout.text.split(separator: "\n")
        let first = lines.firstIndex { $0.contains("word0") }
        let last = lines.firstIndex { $0.contains("word39") }
        #expect(first != nil && last != nil && last! > first!, "the long line wraps onto more lines")
    }

    @Test("without Chromium --pdf says so and keeps the HTML report")
    func withoutChromium() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try directory.write(Data(Self.lesson.utf8), to: "lesson.md")
        let run = try LessonCommand.run(["run", "lesson.md", "--pdf", "--no-cache"],
                                        environment: ["LESSON_CHROMIUM": "/nonexistent/chromium"], in: directory.url)
        #expect(run.status == 2 && run.stderr.contains("--pdf needs Chromium"), "\(run)")
        #expect(FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("Output/lesson.html").path))
    }
}
