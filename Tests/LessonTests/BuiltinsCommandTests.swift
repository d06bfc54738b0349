import Foundation
import Testing
import TestSupport

/// `lesson builtins` and the call checks of `lesson check`, through the built binary.
@Suite struct BuiltinsCommandTests {
    @Test("check finds a call that cannot fit its built-in's signature, with file, line and column, before running")
    func checkFindsBadCalls() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(Data("""
            # Calls

            ```swift
            let data = generatedCorpus(sentences: 50)
            let batches = ptbIterator(data.train, batchSize: 2, numStep: 5)
            ```

            ```swift
            let cell = BasicLSTMCell(units: "200")
            print("never runs")
            ```

            ```swift
            func train(_ a: Int) -> Int { a }
            train(3)
            ```
            """.utf8), to: "calls.md")
        let result = try LessonCommand.run(["check", "calls.md"], in: directory.url)
        #expect(result.exited && result.status == 1, "\(result)")
        #expect(result.stderr.contains("""
            calls.md:5:53: error: incorrect argument label in call to ptbIterator(_:batchSize:numSteps:) \
            (have 'numStep:', expected 'numSteps:')
            """), "\(result)")
        #expect(result.stderr.contains("""
            calls.md:9:33: error: BasicLSTMCell(units:forgetBias:inputSize:initScale:): units: expected Int, got String
            """), "\(result)")
        #expect(result.stdout.contains("calls.md: 3 cells, 2 errors"), "\(result)")
        #expect(!result.stdout.contains("never runs"))

        // Running the lesson fails at the same call with the same message.
        let run = try LessonCommand.run(["run", "calls.md", "--no-cache"], in: directory.url)
        #expect(run.status == 1, "\(run)")
        #expect(run.stdout.contains("incorrect argument label in call to ptbIterator(_:batchSize:numSteps:) "
                                    + "(have 'numStep:', expected 'numSteps:')"), "\(run)")
    }

    @Test("builtins lists every declared built-in by topic, one or more by name, and refuses an unknown name")
    func listsBuiltins() throws {
        let all = try LessonCommand.run(["builtins"])
        #expect(all.status == 0, "\(all)")
        for line in ["Data", "  ptbIterator(_ data: IntTensor or [Int], batchSize: Int, numSteps: Int) -> BatchIterator",
                     "The model and its training", "  help(_ function: Function)"] {
            #expect(all.stdout.contains(line + "\n"), "missing \(line)")
        }
        let one = try LessonCommand.run(["builtins", "save"])
        #expect(one.stdout == """
            The model and its training
              save(_ model: PTBModel, to: String)
                  Writes the model's weights to a safetensors checkpoint in the lesson's folder.

            """, "\(one)")
        let unknown = try LessonCommand.run(["builtins", "fit"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no built-in named 'fit'"), "\(unknown)")
    }
}
