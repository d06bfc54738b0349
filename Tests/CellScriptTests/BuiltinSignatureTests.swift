import Testing
import TestSupport
@testable import CellScript
@testable import ModelAPI

/// Built-ins declared by signature: the declaration checks a call when it runs, `CallCheck`
/// checks the same call before anything runs with the same message, and `help(f)` prints it.
@Suite struct BuiltinSignatureTests {
    static var signatures: [BuiltinSignature] { BuiltinRegistry.signatures(of: [ModelAPI()]) }

    static func staticMessages(_ source: String) throws -> [String] {
        CallCheck.diagnostics([try CellParser.parse(source)], signatures: signatures).map(\.message)
    }

    static func runtimeMessage(_ source: String) throws -> String? {
        let session = Session(libraries: [ModelAPI(files: FileScope(lessonFolder: TestPaths.packageRoot()))])
        return session.run(try CellParser.parse(source)).error?.message
    }

    /// Calls whose labels or literals cannot fit: the check before running and the run agree
    /// word for word.
    @Test(arguments: [
        "ptbIterator([1, 2, 3], batch: 1, numSteps: 1)",
        "ptbIterator([1, 2, 3], 1, 1)",
        "BasicLSTMCell(200)",
        "gradients(1.0)",
        "zeros([2, 2])",
        "trainableVariables(1)",
        "save(\"model.safetensors\")",
        "generatedCorpus(sentences: \"many\")",
        "randomUniform(shape: [2], minval: \"low\")",
        "Variable(1.0, trainable: 1)",
        "ptbRawData(dataDir: 3)",
        "getVariable(3, shape: [2])",
        "plot([1.0, 2.0], title: 5)",
        "help(3)",
    ])
    func checkBeforeRunningAgreesWithTheRun(_ call: String) throws {
        let found = try Self.staticMessages(call)
        #expect(found.count == 1, "\(found)")
        let ran = try Self.runtimeMessage(call)
        #expect(found.first == ran, "static: \(found), run: \(ran ?? "no error")")
    }

    @Test func wellFormedCallsAndUnknownTypesPass() throws {
        let source = """
            let data = generatedCorpus(sentences: 20, seed: 2)
            let cell = BasicLSTMCell(units: 4, forgetBias: 0.0)
            let noise = randomUniform(shape: [2, 2], minval: -1, maxval: 1, seed: 3)
            let batches = ptbIterator(data.train, batchSize: someSize(), numSteps: 2)
            func someSize() -> Int { 2 }
            plot([1, 2, 3], title: "t", logScale: false)
            """
        #expect(try Self.staticMessages(source) == [])
    }

    @Test func aNameTheLessonBindsIsTheLessonsAndIsNotChecked() throws {
        let cells = [
            try CellParser.parse("let (train, valid) = (1, 2)"),
            try CellParser.parse("train(1, 2, 3)\nfunc plot(_ a: Int, _ b: Int) {}\nplot(1, 2)"),
            try CellParser.parse("for zeros in [1] { print(zeros) }\nzeros(1, 2)"),
        ]
        #expect(CallCheck.diagnostics(cells, signatures: Self.signatures).isEmpty)
    }

    @Test func aProblemIsPlacedAtTheArgumentAtFault() throws {
        let program = try CellParser.parse("let x = 1\nlet it = ptbIterator([1, 2], batchSize: 1, numStep: 2)", firstLine: 10)
        let found = CallCheck.diagnostics([program], signatures: Self.signatures)
        #expect(found.count == 1)
        #expect(found.first?.location == SourceLocation(line: 11, column: 44))
        #expect(found.first?.phase == .call)
        let literal = CallCheck.diagnostics([try CellParser.parse("zeros(shape: \"2\")")], signatures: Self.signatures)
        #expect(literal.first?.location == SourceLocation(line: 1, column: 14))
    }

    @Test func helpPrintsTheDeclarationAndSummary() throws {
        let session = Session(libraries: [ModelAPI()])
        let result = session.run(try CellParser.parse("help(ptbIterator)\nhelp(print)\nfunc f(x: Int) {}\nhelp(f)"))
        #expect(result.error == nil)
        #expect(result.output == """
            ptbIterator(_ data: IntTensor or [Int], batchSize: Int, numSteps: Int) -> BatchIterator
                Cuts a split into batchSize rows and walks them numSteps words at a time, as (x, y) pairs.
            print: a built-in function; its arguments are described in the README
            f(x:): defined in this lesson

            """)
    }

    @Test func declarationsReadAsSwift() throws {
        let byName = Dictionary(uniqueKeysWithValues: Self.signatures.map { ($0.name, $0) })
        #expect(byName["randomUniform"]?.declaration
                == "randomUniform(shape: [Int], minval: Double = 0.0, maxval: Double = 1.0, seed: Int? = nil) -> Tensor")
        #expect(byName["load"]?.selector == "load(_:from:)")
        #expect(byName["plot"]?.declaration.contains("title: String = \"\"") == true)
        // Every declared name is unique and every one has a summary.
        #expect(byName.count == Self.signatures.count)
        #expect(Self.signatures.allSatisfy { !$0.summary.isEmpty && !$0.topic.isEmpty })
    }
}

extension BuiltinSignatureTests {
    /// Every array element is a `Value`, so its size is the memory budget's unit: a signature
    /// carried inline by built-ins once made every value 128 bytes; boxed with the global's
    /// name, it is 48.
    @Test func aValueStaysSmall() {
        #expect(MemoryLayout<Value>.stride <= 48)
    }
}
