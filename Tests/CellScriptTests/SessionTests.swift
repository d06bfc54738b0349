import Foundation
import Testing
@testable import CellScript

/// The session as the notebook runner uses it: one global scope across cells,
/// displayed values, captured output, step limits, interrupts, built-in libraries.
@Suite struct SessionTests {
    private func run(_ source: String, in session: Session, firstLine: Int = 1) throws -> CellResult {
        session.run(try CellParser.parse(source, firstLine: firstLine))
    }

    @Test func namesPersistAcrossCells() throws {
        let session = Session()
        _ = try run("let a = 2\nvar b = [1]\nfunc twice(_ x: Int) -> Int { x * 2 }", in: session)
        _ = try run("b.append(a)", in: session)
        let result = try run("twice(a) + b.count", in: session)
        #expect(result.error == nil)
        #expect(result.value?.displayText == "6")
        #expect(session.value(of: "b")?.displayText == "[1, 2]")
    }

    @Test func lastExpressionIsTheValueButNotAssignmentsOrVoidCalls() throws {
        let session = Session()
        #expect(try run("1 + 1", in: session).value?.displayText == "2")
        #expect(try run("var x = 1\nx = 5", in: session).value == nil)
        #expect(try run("print(\"hi\")", in: session).value == nil)
        #expect(try run("let y = 3", in: session).value == nil)
        #expect(try run("\"text\"", in: session).value?.displayText == "\"text\"")
        #expect(try run("\"text\"", in: session).value?.description == "text")
    }

    @Test func outputIsCapturedPerCellAndStreamed() throws {
        let session = Session()
        var streamed: [String] = []
        session.outputHandler = { streamed.append($0) }
        let first = try run("print(1)\nprint(2, terminator: \"\")", in: session)
        #expect(first.output == "1\n2")
        let second = try run("print(3)", in: session)
        #expect(second.output == "3\n")
        #expect(streamed == ["1\n", "2", "3\n"])
    }

    @Test func bindingsBeforeAnErrorStay() throws {
        let session = Session()
        let failed = try run("let kept = 1\nprint(\"before\")\nlet boom = [1][3]\nlet lost = 2", in: session, firstLine: 10)
        #expect(failed.output == "before\n")
        #expect(failed.error?.phase == .runtime)
        #expect(failed.error?.message == "index 3 is out of range for an array of 1 element")
        #expect(failed.error?.location == CellScript.SourceLocation(line: 12, column: 12))
        #expect(session.value(of: "kept") != nil)
        #expect(session.value(of: "lost") == nil)
    }

    @Test func letConstantsCannotChangeAcrossCells() throws {
        let session = Session()
        _ = try run("let fixed = 1", in: session)
        let result = try run("fixed += 1", in: session, firstLine: 4)
        #expect(result.error?.message == "'fixed' is a let constant and cannot be changed")
        #expect(result.error?.location == CellScript.SourceLocation(line: 4, column: 1))
        #expect(session.value(of: "fixed")?.displayText == "1")
    }

    @Test func stepLimitStopsARunawayCellAndTheSessionStaysUsable() throws {
        let session = Session()
        session.stepLimit = 5_000
        let stopped = try run("var n = 0\nwhile true { n += 1 }", in: session)
        #expect(stopped.error?.phase == .interrupted)
        #expect(stopped.error?.message == "the cell ran past its step limit")
        let after = try run("n > 0", in: session)
        #expect(after.error == nil)
        #expect(after.value?.displayText == "true")
    }

    @Test func interruptFromAnotherThreadStopsAnInfiniteLoop() throws {
        let session = Session()
        let interrupter = session.interrupter
        let program = try CellParser.parse("var spins = 0\nwhile true { spins += 1 }")
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { interrupter.interrupt() }
        let started = Date()
        let result = session.run(program)
        #expect(result.error?.phase == .interrupted)
        #expect(result.error?.message == "interrupted")
        #expect(Date().timeIntervalSince(started) < 10)
        let after = try run("spins > 0", in: session)
        #expect(after.error == nil)
        #expect(after.value?.displayText == "true")
    }

    @Test func timeLimitStopsTheCellAndDoesNotLeakIntoTheNext() throws {
        let session = Session()
        session.timeLimit = 0.2
        let stopped = try run("var k = 0\nwhile true { k += 1 }", in: session)
        #expect(stopped.error?.phase == .interrupted)
        #expect(stopped.error?.message == "the cell ran past its time limit of 0.2 s")
        session.timeLimit = nil
        let quick = try run("var total = 0\nfor i in 0..<20_000 { total += i }\ntotal", in: session)
        #expect(quick.error == nil)
        #expect(quick.value?.displayText == "199990000")
    }

    @Test func cancelBetweenCellsStopsTheNextOneUntilResumed() throws {
        let session = Session()
        session.interrupter.cancel()
        let stopped = try run("print(\"should not print\")\n1", in: session)
        #expect(stopped.error?.message == "interrupted")
        #expect(stopped.output.isEmpty)
        #expect(session.interrupter.isCancelled)
        session.interrupter.resume()
        #expect(try run("2", in: session).value?.displayText == "2")
    }

    @Test func interruptReachesALongRunningBuiltin() throws {
        let session = Session(libraries: [ToyLibrary()])
        let interrupter = session.interrupter
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { interrupter.interrupt() }
        let result = try run("spinForever()", in: session)
        #expect(result.error?.message == "interrupted")
        #expect(result.error?.location == CellScript.SourceLocation(line: 1, column: 1))
        #expect(try run("1", in: session).value?.displayText == "1")
    }

    @Test func libraryObjectsHaveMembersOperatorsSubscriptsAndIteration() throws {
        let session = Session(libraries: [ToyLibrary()])
        let source = """
            let c = Countdown(from: 3)
            var seen: [Int] = []
            for n in c { seen.append(n) }
            print(seen, c.start, c[1], (c + 10).start, c.describe(prefix: ">"))
            c
            """
        let result = try run(source, in: session)
        #expect(result.error == nil)
        #expect(result.output == "[3, 2, 1] 3 2 13 >3\n")
        #expect(result.value?.displayText == "Countdown(3)")
        let wrong = try run("Countdown(from: \"x\")", in: session, firstLine: 7)
        #expect(wrong.error?.message == "from: expected Int, got String")
        #expect(wrong.error?.location == CellScript.SourceLocation(line: 7, column: 1))
        let label = try run("Countdown(to: 3)", in: session)
        #expect(label.error?.message
            == "incorrect argument label in call to Countdown(from:) (have 'to:', expected 'from:')")
        let member = try run("Countdown(from: 1).nothing", in: session)
        #expect(member.error?.message == "value of type 'Countdown' has no member 'nothing'")
    }

    @Test func handBuiltProgramRunsWithoutTheParser() {
        let at = CellScript.SourceLocation(line: 1, column: 1)
        let sum = Expression(.binary(operator: "+", Expression(.integer(2), at: at), Expression(.double(0.5), at: at)),
                             at: at)
        let program = CellProgram(statements: [
            Statement(.binding(isConstant: true, pattern: .name("x"), typeName: nil, value: sum), at: at),
            Statement(.expression(Expression(.identifier("x"), at: at)), at: at),
        ])
        #expect(Session().run(program).value?.displayText == "2.5")
    }

    @Test func deepButBoundedRecursionIsAnErrorNotACrash() throws {
        let session = Session()
        let result = try run("func down(_ n: Int) -> Int { n == 0 ? 0 : 1 + down(n - 1) }\ndown(100_000)", in: session)
        #expect(result.error?.message == "too much recursion: more than 1000 nested calls")
        #expect(try run("down(900)", in: session).value?.displayText == "900")
    }
}

/// A stand-in for the model API: a global constructor, an object type and a slow built-in.
private struct ToyLibrary: BuiltinLibrary {
    func register(into registry: inout BuiltinRegistry) {
        registry.function("Countdown") { arguments, _ in
            let start = try arguments.bind(["from"])[0].asInt("from")
            return .object(Countdown(start: start))
        }
        registry.function("spinForever") { _, context in
            while true { try context.checkpoint(steps: 1) }
        }
    }
}

private final class Countdown: ScriptObject {
    let start: Int
    private var current: Int

    init(start: Int) {
        self.start = start
        self.current = start
    }

    var typeName: String { "Countdown" }
    var description: String { "Countdown(\(start))" }

    func member(_ name: String) throws -> Value? {
        switch name {
        case "start": return .int(start)
        case "next":
            return .builtin(BuiltinFunction("next") { _, _ in
                guard self.current > 0 else { return .nilValue }
                self.current -= 1
                return .optional(.int(self.current + 1))
            })
        case "describe":
            return .builtin(BuiltinFunction("describe(prefix:)") { arguments, _ in
                .string(try arguments.bind(["prefix"])[0].asString("prefix") + String(self.start))
            })
        default: return nil
        }
    }

    func subscripted(by arguments: Arguments) throws -> Value? {
        .int(start - (try arguments.bind(["_"])[0].asInt("index")))
    }

    func binaryOperator(_ symbol: String, other: Value, isLeft: Bool) throws -> Value? {
        guard symbol == "+" else { return nil }
        return .object(Countdown(start: start + (try other.asInt("right operand"))))
    }
}
