/// A student's answers kept between sessions of `lesson step --student`: the lesson's handout
/// (`StudentHandout`) with each answered exercise's cell holding the student's code, the very
/// file `lesson grade` takes.
///
/// The file may have been opened and changed by hand between sessions (notes in its prose, an
/// answer typed in a text editor): saving an answer rewrites only that exercise's code lines
/// (`CellRewrite`) and keeps every other byte. A file that no longer reads as answers to the
/// lesson is never written over: the student's work in it would be lost.
public enum AnswerFile {
    /// Why an answer cannot be saved; nothing was written.
    public struct Refusal: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// The first line of `code` that a Markdown reader would take for the end of its cell.
    public static func lineEndingCell(in code: String) -> Substring? {
        code.split(separator: "\n", omittingEmptySubsequences: false).first(where: CellRewrite.closesFence)
    }

    /// The answers in `text` by exercise number; a cell with only the placeholder (or only
    /// comments and blank lines) is no answer.
    /// - Throws: `AnswerSheetError` when the file cannot be matched to `lesson`'s exercises.
    public static func answers(in text: String, file: String, lesson: NotebookDocument) throws(AnswerSheetError)
        -> [Int: String] {
        let document = NotebookParser.parse(text: text, file: file)
        let sheet = try AnswerSheet(student: document, text: text, exerciseCount: lesson.exercises.count)
        return sheet.cells.compactMapValues { GradingPlan.hasCode($0.source) ? $0.source : nil }
    }

    /// The answers file with exercise `number` answered by `code` (nil: its placeholder again).
    /// - Parameters:
    ///   - existing: the file's text as it is now; nil when there is none yet (the handout is made).
    ///   - file: the file's name, for messages.
    ///   - lesson: the lesson, parsed from `lessonText`.
    /// - Throws: `Refusal` when the code holds a line that would end its cell, or `existing` no
    ///   longer reads as answers to the lesson.
    public static func saving(_ code: String?, exercise number: Int, into existing: String?, file: String,
                              lesson: NotebookDocument, lessonText: String) throws(Refusal) -> String {
        let tidied = code.map(CellRewrite.tidy)
        if let tidied, let line = lineEndingCell(in: tidied) {
            throw Refusal(description: "a line of the answer would end its cell in the answers file: "
                          + "\(line.prefix(40)) (a code fence cannot be part of an answer)")
        }
        let result: String
        if let existing {
            result = try rewrite(existing, exercise: number, code: tidied, file: file, lesson: lesson)
        } else {
            let answers = tidied.map { [number: $0] } ?? [:]
            result = StudentHandout.text(of: lesson, text: lessonText, answers: answers)
        }
        // Read back as grading reads it: exactly this answer, or nothing written.
        let again: [Int: String]
        do throws(AnswerSheetError) {
            again = try answers(in: result, file: file, lesson: lesson)
        } catch {
            throw Refusal(description: "the answers file would not read back: \(error.description)")
        }
        let expected = tidied.flatMap { GradingPlan.hasCode($0) ? $0 : nil }
        guard again[number] == expected else {
            throw Refusal(description: "exercise \(number)'s answer would not read back as written")
        }
        return result
    }

    /// `existing` with the code lines of exercise `number`'s cell replaced, or a cell for it added
    /// at the end when the file has none.
    private static func rewrite(_ existing: String, exercise number: Int, code: String?, file: String,
                                lesson: NotebookDocument) throws(Refusal) -> String {
        let document = NotebookParser.parse(text: existing, file: file)
        let sheet: AnswerSheet
        do throws(AnswerSheetError) {
            sheet = try AnswerSheet(student: document, text: existing, exerciseCount: lesson.exercises.count)
        } catch {
            throw Refusal(description: "\(file) no longer reads as answers to this lesson, so it was left as it is:\n"
                          + error.description)
        }
        let body = code ?? StudentHandout.placeholder(number)
        guard let cell = sheet.cells[number] else {
            let separator = existing.isEmpty || existing.hasSuffix("\n") ? "" : "\n"
            return existing + separator + "\n```swift\n//| exercise: \(number)\n\(body)\n```\n"
        }
        do throws(CellRewrite.Refusal) {
            return try CellRewrite.apply([cell.index - 1: body], to: existing)
        } catch {
            throw Refusal(description: "exercise \(number)'s cell in \(file) cannot be rewritten: \(error.description)")
        }
    }
}
