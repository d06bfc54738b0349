/// What a hostile student writes as the answer to the first exercise of the grading tests'
/// lesson (`doubled`, then `total`): shared by the tests that grade it in process and through
/// the `lesson` binary.
public enum HostileAnswers {
    /// The right code, then a three-backtick line that would close the lesson's cell, a copy of
    /// the second exercise's cell with `check: true` and a cell using it, then `ending` (an
    /// unclosed `<pre>` or `<!--` to swallow the rest of the lesson). Pasted as Markdown, this
    /// turned a wrong answer into "2 of 2 exercises passed".
    public static func fenceInjection(label: String? = "total", laterCell: String = "print(\"the total is\", total)",
                                      ending: String = "<pre>") -> String {
        let labelLine = label.map { "//| label: \($0)\n" } ?? ""
        return """
            let doubled = numbers.map { $0 * 2 }
            ```

            ```swift
            \(labelLine)//| solution: true
            //| check: true
            let total = 0
            ```

            ```swift
            \(laterCell)
            ```

            \(ending)
            """
    }
}

/// The grading tests' lesson: two exercises, the second using what the first defines, and a
/// cell after them. `extraChecks` and `extraCode` go into the first exercise.
public enum SumsLesson {
    /// - Parameters:
    ///   - firstCheck: exercise 1's first check.
    ///   - extraChecks: more checks of exercise 1, then `hiddenChecks` as `hidden-check:` lines.
    ///   - extraCode: lines after exercise 1's solution.
    public static func markdown(firstCheck: String = "doubled == [2, 4, 6, 8]", extraChecks: [String] = [],
                                hiddenChecks: [String] = [], extraCode: [String] = []) -> String {
        let checks = extraChecks.map { "//| check: \($0)\n" }.joined() + hiddenChecks.map { "//| hidden-check: \($0)\n" }.joined()
        let code = extraCode.map { $0 + "\n" }.joined()
        return """
            ---
            title: Sums
            ---

            # Sums

            ```swift
            let numbers = [1, 2, 3, 4]
            ```

            Double every number.

            ```swift
            //| label: doubled
            //| solution: true
            //| check: \(firstCheck)
            \(checks)let doubled = numbers.map { $0 * 2 }
            \(code)```

            Add them up.

            ```swift
            //| label: total
            //| solution: true
            //| check: total == 20
            let total = doubled.reduce(0, +)
            ```

            ```swift
            print("the total is", total)
            ```

            """
    }
}
