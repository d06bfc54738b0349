import Foundation
import TestSupport
import Testing

/// Whether Jupyter's `nbformat` and `nbconvert` can be imported here.
enum Jupyter {
    static var available: Bool {
        (try? LessonCommand.runTool("/usr/bin/env", ["python3", "-c", "import nbformat, nbconvert"]).status) == 0
    }
}

/// `lesson export --to ipynb` and `lesson import`, checked by Jupyter's own `nbformat` and
/// `nbconvert` (installed by `make test`, for the tests only).
@Suite("lesson export and import: Jupyter notebooks", .serialized,
       .enabled(if: Jupyter.available, "needs Python's nbformat and nbconvert (make test installs them)"))
struct IpynbCommandTests {
    static let lesson = """
        ---
        title: Export me
        params:
          scale: 3
        ---

        # Export me

        Some *prose* with a [link](https://example.org).

        ```swift
        //| label: numbers
        let numbers = [1, 2, 3].map { $0 * scale }
        print("printed <b>as text</b>")
        numbers
        ```

        ```swift
        plot(["a": [1.0, 2.0, 4.0]], title: "A line")
        ```

        ```swift
        //| error: allow
        let broken = numbers[7]
        ```

        ```swift
        //| solution: true
        //| check: total == 18
        //| hidden-check: total > 0
        let total = numbers.reduce(0, +) // THE SOLUTION
        ```
        """

    static func python(_ script: String, _ arguments: [String], in directory: URL) throws -> LessonCommand.Result {
        try LessonCommand.runTool("/usr/bin/env", ["python3", "-c", script] + arguments, in: directory)
    }

    @Test("every figure of an exported notebook has ids of its own, so each one's label finds its own title")
    func figureIds() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let lesson = "```swift\nplot([\"a\": [1.0, 2.0]], title: \"First\")\nplot([\"b\": [3.0, 1.0]], title: \"Second\")\n```\n\n"
            + "```swift\nplot([\"c\": [2.0, 2.0]], title: \"Third\")\n```\n"
        _ = try directory.write(Data(lesson.utf8), to: "lesson.md")
        let run = try LessonCommand.run(["export", "lesson.md", "--to", "ipynb", "-o", "lesson.ipynb"], in: directory.url)
        #expect(run.status == 0, "\(run)")
        let text = try String(contentsOf: directory.url.appendingPathComponent("lesson.ipynb"), encoding: .utf8)
        let titles = text.matches(of: /id=\\"([^"\\]+)-title\\"/).map { String($0.1) }
        #expect(titles.count == 3 && Set(titles).count == 3, "\(titles)")
        let labels = text.matches(of: /aria-labelledby=\\"([^"\\]+)-title/).map { String($0.1) }
        #expect(labels == titles, "each figure is labelled by its own title")
    }

    @Test("the export validates with nbformat, and nbconvert renders its outputs")
    func exportValidates() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try directory.write(Data(Self.lesson.utf8), to: "lesson.md")
        let run = try LessonCommand.run(["export", "lesson.md", "--to", "ipynb", "-o", "lesson.ipynb"], in: directory.url)
        #expect(run.status == 0, "\(run)")
        let check = try Self.python("""
            import json, sys, nbformat
            nb = nbformat.read(sys.argv[1], as_version=4)
            nbformat.validate(nb)
            code = [c for c in nb.cells if c.cell_type == "code"]
            print(json.dumps({
              "kernel": nb.metadata.kernelspec.language, "language": nb.metadata.language_info.name,
              "cells": [c.cell_type for c in nb.cells], "counts": [c.execution_count for c in code],
              "outputs": [[o.output_type for o in c.outputs] for c in code],
              "options": [c.metadata.get("lesson", {}) for c in code],
              "minor": nb.nbformat_minor}))
            """, ["lesson.ipynb"], in: directory.url)
        #expect(check.status == 0, "\(check)")
        let facts = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        #expect(facts["kernel"] as? String == "swift" && facts["language"] as? String == "swift")
        #expect(facts["minor"] as? Int == 5)
        #expect(facts["cells"] as? [String] == ["markdown", "code", "code", "code", "code"])
        #expect(facts["counts"] as? [Int] == [1, 2, 3, 4])
        let outputs = try #require(facts["outputs"] as? [[String]])
        #expect(outputs[0] == ["stream", "execute_result"])
        #expect(outputs[1] == ["display_data"])
        #expect(outputs[2] == ["error"])
        #expect(outputs[3] == ["stream"], "the checks, as ✓ lines")
        let options = try #require(facts["options"] as? [[String: Any]])
        #expect(options[0]["label"] as? String == "numbers" && options[2]["error"] as? String == "allow")
        #expect(options[3]["check"] as? [String] == ["total == 18"])

        let html = try LessonCommand.runTool("/usr/bin/env", ["python3", "-m", "nbconvert", "--to", "html", "lesson.ipynb",
                                                              "--output", "rendered"], in: directory.url)
        #expect(html.status == 0, "\(html)")
        let page = try String(contentsOf: directory.url.appendingPathComponent("rendered.html"), encoding: .utf8)
        #expect(page.contains("printed &lt;b&gt;as text&lt;/b&gt;"), "stream text, escaped")
        #expect(page.contains("array([3, 6, 9]") || page.contains("[3, 6, 9]"), "the value")
        #expect(page.contains("data:image/svg+xml;base64,") || page.contains("<svg"), "the figure")
        #expect(page.contains("index 7 is out of range") || page.contains("out of range"), "the error")
        #expect(page.contains("✓ check: total == 18"))

        // The student's notebook: no solution, no hidden check.
        let student = try LessonCommand.run(["export", "lesson.md", "--student", "-o", "student.ipynb"], in: directory.url)
        #expect(student.status == 0, "\(student)")
        let text = try String(contentsOf: directory.url.appendingPathComponent("student.ipynb"), encoding: .utf8)
        #expect(!text.contains("THE SOLUTION") && !text.contains("total > 0") && text.contains("Exercise 1"))
    }

    @Test("import turns an exported notebook back into the same cells and options")
    func roundTrip() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try directory.write(Data(Self.lesson.utf8), to: "lesson.md")
        #expect(try LessonCommand.run(["export", "lesson.md", "-o", "lesson.ipynb"], in: directory.url).status == 0)
        let imported = try LessonCommand.run(["import", "lesson.ipynb", "-o", "again.md"], in: directory.url)
        #expect(imported.status == 0, "\(imported)")
        let again = try LessonCommand.run(["run", "again.md", "--no-cache", "-o", "again.html"], in: directory.url)
        #expect(again.status == 0, "the imported lesson runs: \(again)")
        let text = try String(contentsOf: directory.url.appendingPathComponent("again.md"), encoding: .utf8)
        for line in ["//| label: numbers", "//| error: allow", "//| solution: true", "//| check: total == 18",
                     "//| hidden-check: total > 0", "let total = numbers.reduce(0, +) // THE SOLUTION", "scale: 3"] {
            #expect(text.contains(line), "\(line)\n\(text)")
        }
        #expect(try LessonCommand.run(["import", "lesson.ipynb", "-o", "again.md"], in: directory.url).status == 2,
                "an existing file is not replaced")
    }

    @Test("a Python notebook's code stays as eval: false cells; prose fences stay prose; broken files are refused")
    func foreignAndBroken() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let python = """
            {"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"name": "python3", "language": "python",
             "display_name": "Python 3"}, "language_info": {"name": "python"}},
             "cells": [
              {"cell_type": "markdown", "id": "a", "metadata": {}, "source": ["# Title\\n", "```swift\\n", "print(\\"not a cell\\")\\n", "```"]},
              {"cell_type": "code", "id": "b", "metadata": {}, "execution_count": 1, "outputs": [],
               "source": "import numpy as np\\nprint('```')"}
             ]}
            """
        _ = try directory.write(Data(python.utf8), to: "py.ipynb")
        #expect(try LessonCommand.run(["import", "py.ipynb"], in: directory.url).status == 0)
        let text = try String(contentsOf: directory.url.appendingPathComponent("py.md"), encoding: .utf8)
        #expect(text.contains("```swift-example") && text.contains("//| eval: false") && text.contains("import numpy"))
        let run = try LessonCommand.run(["run", "py.md", "--no-cache", "-o", "py.html"], in: directory.url)
        #expect(run.status == 0, "nothing of the Python notebook runs: \(run)")
        #expect(run.stdout.contains("1 cell") || !run.stdout.contains("not a cell"), "\(run)")

        let broken: [String: String] = [
            "text.ipynb": "not json at all", "old.ipynb": #"{"nbformat": 3, "worksheets": []}"#,
            "nocells.ipynb": #"{"nbformat": 4, "nbformat_minor": 5, "metadata": {}}"#,
            "badcell.ipynb": #"{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "video", "source": ""}]}"#,
        ]
        for (name, content) in broken {
            _ = try directory.write(Data(content.utf8), to: name)
            let refused = try LessonCommand.run(["import", name], in: directory.url)
            #expect(refused.status == 2 && refused.stderr.contains("\(name): error:"), "\(name): \(refused)")
        }
    }

    @Test("the committed Output/ptb-lstm.ipynb and Output/quickstart.ipynb validate, render, and match their lessons")
    func committedNotebooks() throws {
        let root = TestPaths.packageRoot()
        for name in ["ptb-lstm", "quickstart"] {
            let check = try Self.python("""
                import json, re, sys, nbformat
                nb = nbformat.read(sys.argv[1], as_version=4)
                nbformat.validate(nb)
                lesson = open(sys.argv[2]).read()
                cells = re.findall(r"^```swift\\n(.*?)^```", lesson, flags=re.S | re.M)
                code = [c.source for c in nb.cells if c.cell_type == "code"]
                sources = ["\\n".join(l for l in c.rstrip("\\n").split("\\n") if not l.startswith("//|")) for c in cells]
                print(json.dumps({"same": code == sources, "cells": len(code), "lesson": len(cells),
                                  "outputs": sum(len(c.outputs) for c in nb.cells if c.cell_type == "code")}))
                """, ["Output/\(name).ipynb", "Notebooks/\(name).md"], in: root)
            #expect(check.status == 0, "\(check)")
            let facts = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
            #expect(facts["same"] as? Bool == true, "Output/\(name).ipynb is out of date: lesson export Notebooks/\(name).md (\(facts))")
            #expect((facts["outputs"] as? Int ?? 0) > 10, "\(facts)")
            let folder = try TemporaryDirectory()
            defer { folder.remove() }
            let html = try LessonCommand.runTool("/usr/bin/env", ["python3", "-m", "nbconvert", "--to", "html",
                                                                  root.appendingPathComponent("Output/\(name).ipynb").path,
                                                                  "--output-dir", folder.url.path], in: folder.url)
            #expect(html.status == 0, "\(html)")
        }
    }
}
