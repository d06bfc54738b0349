import Foundation
import Notebook

/// How `lesson grade` prints its results.
enum GradeTable {
    /// A column-aligned table, then the full text of each error (with its quoted line and caret).
    static func text(_ grades: [ExerciseGrade]) -> String {
        let header = ["exercise", "label", "result", "points", "details"]
        let rows = grades.map { grade in
            [String(grade.number), grade.label ?? "", grade.result.rawValue,
             ClassGrading.points(grade.points) + "/" + ClassGrading.points(grade.maxPoints),
             grade.detail.map { String($0.prefix { $0 != "\n" }) } ?? ""]
        }
        var widths = header.map(\.count)
        for row in rows {
            for (column, cell) in row.enumerated() where column < widths.count {
                widths[column] = max(widths[column], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        var lines = [line(header)] + rows.map(line)
        let passed = grades.filter { $0.result == .passed }.count
        lines.append("\(passed) of \(grades.count) exercise\(grades.count == 1 ? "" : "s") passed, "
                     + "\(ClassGrading.points(grades.map(\.points).reduce(0, +))) of "
                     + "\(ClassGrading.points(grades.map(\.maxPoints).reduce(0, +))) points")
        for grade in grades where grade.result == .error {
            if let detail = grade.detail, detail.contains("\n") {
                lines.append("")
                lines.append("exercise \(grade.number):")
                lines.append(detail)
            }
        }
        return lines.joined(separator: "\n")
    }

    /// One JSON object: the files, the counts, and each exercise with its checks.
    static func json(_ grades: [ExerciseGrade], student: String, lesson: String) -> String {
        let exercises: [[String: Any]] = grades.map { grade in
            var object: [String: Any] = [
                "exercise": grade.number, "result": grade.result.rawValue,
                "points": grade.points, "maxPoints": grade.maxPoints,
                "checks": grade.checks.map { check -> [String: Any] in
                    var item: [String: Any] = ["expression": check.expression, "line": check.line,
                                               "passed": check.passed]
                    if let message = check.message { item["message"] = message }
                    return item
                },
            ]
            if let label = grade.label { object["label"] = label }
            if let detail = grade.detail { object["detail"] = detail }
            return object
        }
        let object: [String: Any] = [
            "student": student, "lesson": lesson, "exercises": exercises,
            "passed": grades.filter { $0.result == .passed }.count, "total": grades.count,
            "points": grades.map(\.points).reduce(0, +), "maxPoints": grades.map(\.maxPoints).reduce(0, +),
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
