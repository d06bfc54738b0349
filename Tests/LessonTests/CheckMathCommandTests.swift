import Foundation
import TestSupport
import Testing

/// `lesson check` reads the prose's math as the page does: never inside code, each formula at its line.
@Suite("lesson check and math in prose")
struct CheckMathCommandTests {
    @Test("unsupported math is warned at its own line; dollars in code spans and code blocks are not math")
    func mathWarnings() throws {
        let lesson = """
            # Math

            Costs are `echo $USER@$HOST` and this is fine: $x^2$ and
            $\\sigma(x)$ again, with $\\nope$ on the second line.

            ```bash
            echo $A $\\nope$ $B
            ```

            - an item with *$\\alsonot{1}$* inside

            ```swift
            1
            ```
            """
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try directory.write(Data(lesson.utf8), to: "lesson.md")
        let check = try LessonCommand.run(["check", "lesson.md"], in: directory.url)
        let all = check.stdout + check.stderr
        let warnings = all.split(separator: "\n").filter { $0.contains("this math is shown as code") }
        #expect(warnings.count == 2, "\(check)")
        #expect(warnings.first?.hasPrefix("lesson.md:4: warning: this math is shown as code: `\\nope`") == true, "\(check)")
        #expect(warnings.last?.hasPrefix("lesson.md:10: warning: this math is shown as code: `\\alsonot`") == true, "\(check)")
    }
}
