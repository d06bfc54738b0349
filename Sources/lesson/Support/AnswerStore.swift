import Foundation
import Notebook

/// Where `lesson step --student` keeps a student's answers: `<lesson>.answers.md` beside the
/// lesson (or `--answers FILE`), in the form `lesson grade` reads (`AnswerFile`). Every save
/// reads the file again, changes one exercise's code and replaces the file in one rename, so a
/// crash or Ctrl-C never leaves half a file, and a file changed by hand meanwhile keeps the change.
struct AnswerStore {
    let url: URL
    /// The path as the student gave it or as it sits beside the lesson, for messages.
    let name: String
    let lesson: NotebookDocument
    let lessonText: String

    /// The default file for the lesson at `lessonPath`: `ptb-lstm.md` → `ptb-lstm.answers.md`.
    static func defaultPath(for lessonPath: String) -> String {
        let url = URL(fileURLWithPath: lessonPath)
        let base = url.deletingPathExtension().lastPathComponent + ".answers.md"
        let folder = (lessonPath as NSString).deletingLastPathComponent
        return folder.isEmpty ? base : (folder as NSString).appendingPathComponent(base)
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The answers saved so far by exercise number; none when the file does not exist yet.
    /// - Throws: `Failure` when it exists but cannot be read as answers to this lesson.
    func load() throws(Failure) -> [Int: String] {
        guard let text = try read() else { return [:] }
        do throws(AnswerSheetError) {
            return try AnswerFile.answers(in: text, file: name, lesson: lesson)
        } catch {
            throw Failure(description: "\(name) cannot be read as answers to this lesson:\n\(error.description)\n"
                          + "Fix it, move it away, or keep your answers elsewhere with --answers FILE.")
        }
    }

    /// Saves `code` as the answer to exercise `number` (nil: removes the answer).
    func save(_ code: String?, exercise number: Int) throws(Failure) {
        let existing = try read()
        let updated: String
        do throws(AnswerFile.Refusal) {
            updated = try AnswerFile.saving(code, exercise: number, into: existing, file: name,
                                            lesson: lesson, lessonText: lessonText)
        } catch {
            throw Failure(description: error.description)
        }
        do {
            try AtomicFile.write(updated, to: url)
        } catch {
            throw Failure(description: "\(name) could not be written: \(error.localizedDescription)")
        }
    }

    /// The file's text; nil when there is no file.
    private func read() throws(Failure) -> String? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        guard let data = try? Data(contentsOf: url) else {
            throw Failure(description: "\(name) exists but cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Failure(description: "\(name) is not UTF-8 text, so it was left as it is")
        }
        return text
    }
}
