import Notebook
import Testing
@testable import lesson_fuzz

/// The fuzzer's checks on what a run produced: they must notice what they are for, and stay
/// quiet about what the product is allowed to do.
@Suite("lesson-fuzz text invariants")
struct TextInvariantsTests {
    static let lesson = """
        ---
        allow-raw-html: true
        ---

        Prose with <pre data-fz="1">raw</pre>.

        ```swift
        //| solution: true
        //| check: answer2 == 1
        // fzsecret3
        let answer2 = 1
        ```
        """

    let invariants = TextInvariants(document: NotebookParser.parse(text: Self.lesson), text: Self.lesson)

    @Test("a marker from prose may be raw when the lesson allows raw HTML; one from anywhere else may not")
    func markers() {
        #expect(invariants.check("page", "<pre data-fz=\"1\">", html: true, student: false).isEmpty)
        #expect(invariants.check("page", "<script data-fz=\"9\">", html: true, student: false)[.invariant] != nil)
    }

    @Test("a solution's secret comment is a finding only in what students see")
    func secrets() {
        #expect(invariants.secrets == ["fzsecret3"])
        #expect(invariants.check("report", "// fzsecret3", html: true, student: false).isEmpty)
        #expect(invariants.check("student report", "// fzsecret3", html: true, student: true)[.invariant] != nil)
        #expect(invariants.check("student report", "// fzsecret34", html: true, student: true).isEmpty)
    }

    @Test("canary bytes are an escape anywhere")
    func canary() {
        #expect(invariants.check("output", "x \(Sandbox.canaryToken) y", html: false, student: false)[.escape] != nil)
    }
}
