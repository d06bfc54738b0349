import Foundation
import Limits
import Testing
@testable import CellScript
@testable import ModelAPI

/// What a bored student types into a cell: each must end that cell with a located error (or be
/// cut short) and leave the session usable, never end the process. Without the guards each of
/// these crashed or exhausted the machine, so these tests fail by crashing on such code.
///
/// The budget is checked against the whole process's memory, which other tests running beside
/// these share; so here every refused request is larger than the limit by itself (decided
/// without reading the process's size), and the default budget is too large to be reached.
/// Growth caught by the process's size is tested through the binary (HostileCellCommandTests).
@Suite struct HostileCellTests {
    static func session(memory: Int = 1 << 40) -> Session {
        let session = Session(libraries: [ModelAPI()])
        session.memoryBudget = MemoryBudget(limit: memory)
        return session
    }

    static func run(_ source: String, in session: Session) throws -> CellResult {
        session.run(try CellParser.parse(source))
    }

    /// The cell fails with a message containing `message`, at `line`, and the session still runs cells.
    static func expectFailure(_ source: String, _ message: String, line: Int? = nil, in session: Session = session(),
                              sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let result = try run(source, in: session)
        let error = try #require(result.error, "the cell ran: \(source.prefix(80))", sourceLocation: sourceLocation)
        #expect(error.message.contains(message), "\(error.message)", sourceLocation: sourceLocation)
        if let line { #expect(error.location?.line == line, "\(String(describing: error.location))", sourceLocation: sourceLocation) }
        #expect(try run("1 + 1", in: session).value?.displayText == "2", sourceLocation: sourceLocation)
    }

    @Test func productsAndBroadcastsPastTheBudgetFail() throws {
        let session = Self.session(memory: 1 << 30)
        try Self.expectFailure("let a = zeros(shape: [100000, 1])\nlet b = zeros(shape: [1, 100000])\nlet c = matmul(a, b)",
                               "matmul: the result of shape [100000, 100000] would need 40.0 GB; the limit is 1.1 GB",
                               line: 3, in: session)
        try Self.expectFailure("let d = zeros(shape: [100000, 1]) + zeros(shape: [1, 100000])", "would need 40.0 GB",
                               line: 1, in: session)
        try Self.expectFailure("let m = PTBModel(ModelConfig(hiddenSizes: [20000], vocabularySize: 10000))",
                               "PTBModel(_:): the weights and training buffers would need", in: session)
        try Self.expectFailure("let x = randomUniform(shape: [10000, 10000])", "would need 400 MB; the limit is 100 MB",
                               in: Self.session(memory: 100_000_000))
    }

    @Test func shapesThatOverflowInLoopsAreRefused() throws {
        try Self.expectFailure("let z = zeros(shape: [0, 4294967295, 4294967295])\nreduceSum(z, axis: 1)", "is too large",
                               line: 1)
        try Self.expectFailure("let z = zeros(shape: [0]).reshape([0, 4294967295, 4294967295])", "is too large")
    }

    @Test func hugeStringsAndArraysAreRefusedBeforeTheyAreBuilt() throws {
        try Self.expectFailure("let s = Array(repeating: String(repeating: \"x\", count: 10_000_000), count: 10_000_000).joined()",
                               "bytes; the limit is 10000000")
    }

    @Test func valuesMayNotNestWithoutEnd() throws {
        let message = "nested more than 1000 levels deep"
        try Self.expectFailure("var n = [0]\nfor _ in 0..<30000 { n = [n] }\nn", message, line: 2)
        try Self.expectFailure("var d = [\"k\": 0]\nfor _ in 0..<30000 { d = [\"k\": d] }", message)
        try Self.expectFailure("var t = (0, 0)\nfor _ in 0..<30000 { t = (t, 1) }", message)
        try Self.expectFailure("var a = [0]\nfor _ in 0..<30000 { var b = [0]\nb.append(a)\na = b }", message)
        try Self.expectFailure("let r = (0..<30000).reduce([Int]()) { acc, _ in Array(repeating: acc, count: 1) }", message)
        let session = Self.session()
        _ = try Self.run("var ok = [0]\nfor _ in 0..<900 { ok = [ok] }", in: session)
        #expect(try Self.run("ok", in: session).value?.displayText.hasPrefix("[[[[") == true, "900 levels are fine")
    }

    /// `a.append(a)` doubles what `a` reaches each turn while sharing storage: forty turns reach
    /// a trillion elements, and every walk over the value (display, equality, snapshots) takes
    /// that long. Measured once per storage, the check itself stays quick.
    @Test func sharedStorageCannotMultiplyWithoutEnd() throws {
        let message = "would hold more than 10000000 elements in all"
        try Self.expectFailure("var a = [0]\nfor _ in 0..<100 { a.append(a) }", message, line: 2)
        try Self.expectFailure("var b = [0]\nfor _ in 0..<100 { b = [b, b] }", message, line: 2)
        try Self.expectFailure("let c = Array(repeating: Array(repeating: 1, count: 10_000), count: 10_000)", message)
        let session = Self.session()
        _ = try Self.run("var d = [0]\nfor _ in 0..<20 { d.append(d) }", in: session)
        #expect(try Self.run("d == d", in: session).value?.displayText == "true")
    }

    @Test func outputAndDisplaysAreCapped() throws {
        let session = Self.session()
        let printed = try Self.run("for _ in 0..<2000 { print(String(repeating: \"y\", count: 10000)) }\n\"done\"", in: session)
        #expect(printed.error == nil)
        #expect(printed.output.utf8.count < Value.maximumDisplayBytes + 200)
        #expect(printed.output.hasSuffix("the rest of its output is not kept\n"))
        #expect(printed.value?.displayText == "\"done\"", "the cell ran to its end")
        let shown = try Self.run("Array(repeating: \"abcdefghij\", count: 2_000_000)", in: session)
        let text = try #require(shown.value?.displayText)
        #expect(text.utf8.count <= Value.maximumDisplayBytes + 3 && text.hasSuffix("…"))
    }

    /// Found by the fuzzer: a message naming the type of a value nested a few dozen levels
    /// deep never came, because each level worked out its first element's type twice.
    @Test func typeNamesOfDeeplyNestedValuesAreQuick() throws {
        let session = Self.session()
        _ = try Self.run("var h: [Any] = []\nfor _ in 0..<900 { h = [h] }", in: session)
        let result = try Self.run("h()", in: session)
        let message = try #require(result.error?.message)
        #expect(message.contains("cannot call a value of non-function type " + String(repeating: "[", count: 901) + "Any]"))
    }

    /// Found by the fuzzer: `plot` in an endless loop, stopped by the time limit, left tens of
    /// thousands of figures (an 80 MB report). A cell keeps its first `maximumFigures`.
    @Test func figuresPerCellAreCapped() throws {
        let session = Self.session()
        let result = try Self.run("for i in 0..<1000 { plot([\"a\": [1.0, Double(i)]], title: \"t\\(i)\") }\n\"done\"", in: session)
        #expect(result.error == nil)
        let figures = result.pieces.compactMap { piece -> String? in
            if case .figure(let figure) = piece { return figure.title }
            return nil
        }
        #expect(figures.count == Interpreter.maximumFigures)
        #expect(figures.last == "t\(Interpreter.maximumFigures - 1)", "the first ones are kept")
        #expect(result.output == "… the cell drew more than 100 figures; the rest are not kept\n")
        #expect(result.value?.displayText == "\"done\"", "the cell ran to its end")
    }

    /// Copies that share storage cost nothing in memory; a session's snapshot looks into shared
    /// storage once, so 300 names for one 9-million-element table are as quick to snapshot as
    /// one. Walked path by path (as it was) that is 2.7 billion visits: this test then hangs.
    @Test func snapshotsLookIntoSharedStorageOnce() throws {
        let session = Self.session()
        let names = (1...300).map { "let copy\($0) = table" }.joined(separator: "\n")
        let built = try Self.run("let table = Array(repeating: Array(repeating: 1, count: 3000), count: 3000)\n" + names,
                                 in: session)
        #expect(built.error == nil)
        let snapshot = session.snapshot()
        _ = try Self.run("let later = 1", in: session)
        session.restore(snapshot)
        #expect(try Self.run("later", in: session).error?.message.contains("cannot find 'later'") == true)
        #expect(try Self.run("copy300[2999].count", in: session).value?.displayText == "3000")
    }

    /// A million names for one 10 MB string take 10 TB written out: saving the session (for
    /// the cell cache) is refused past `StateEncoder.maximumValueBytes`, with the global named.
    @Test func savingSharedCopiesIsCapped() throws {
        let session = Self.session()
        let built = try Self.run("let s = String(repeating: \"x\", count: 10_000_000)\n"
                                 + "let many = Array(repeating: s, count: 1_000_000)", in: session)
        #expect(built.error == nil)
        #expect(throws: SessionStateError.unsupported(
            "its values would take more than 256 MB to save (global 'many', counting every copy of a shared array or string)")) {
            try session.exportState()
        }
    }

    /// A chain of scopes kept by closures, freed on a thread with a small stack: freed in a
    /// loop, so no stack overflow (it was freed recursively, a few frames per link).
    @Test func aLongClosureChainIsFreedWithoutRecursion() throws {
        final class Holder: @unchecked Sendable { var session: Session? }
        let holder = Holder()
        holder.session = Self.session()
        if let session = holder.session {
            let built = try Self.run("var f: () -> Int = { 0 }\nfor _ in 0..<200000 { let g = f; f = { g() + 1 } }", in: session)
            #expect(built.error == nil)
        }
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            holder.session = nil
            done.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
        done.wait()
        #expect(holder.session == nil)
    }
}
