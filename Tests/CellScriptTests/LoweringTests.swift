import Testing
import TestSupport
@testable import CellScript

/// Lowering: every supported construct has its AST shape, and every unsupported
/// one is a named, located diagnostic.
@Suite struct LoweringTests {
    /// The S-expression of a cell that lowers, or its diagnostics.
    static func lowered(_ source: String) -> String {
        do {
            return ASTDump.program(try CellParser.parse(source))
        } catch {
            return "failed: \(error)"
        }
    }

    static let supported: [(source: String, expected: String)] = [
        // Bindings
        ("let x = 1", "(let x 1)"),
        ("var y: Double = 2.5", "(var y : Double 2.5)"),
        ("var names: [String: Int]", "(var names : [String: Int])"),
        ("let a = 1, b = 2", "(let a 1) (let b 2)"),
        ("let (a, (b, _)) = (1, (2, 3))", "(let (a (b _)) (tuple 1 (tuple 2 3)))"),
        ("let _ = f()", "(let _ (call f))"),
        ("_ = f()", "(let _ (call f))"),
        ("let `default` = 1", "(let default 1)"),
        ("import Foundation\nlet x = 1", "(let x 1)"),
        // Literals
        ("0x1F + 0b101 + 0o17 + 1_000", "(+ (+ (+ 31 5) 15) 1000)"),
        ("-9223372036854775808", "-9223372036854775808"),
        ("-2.5e3", "-2500.0"),
        ("-x", "(prefix- x)"),
        ("true != false", "(!= true false)"),
        (#""tab\tquote\"\u{41}""#, #""tab\tquote\"A""#),
        (##"#"raw \n"#"##, #""raw \\n""#),
        ("\"\"\"\n    one\n      two\n    \"\"\"", #""one\n  two""#),
        (#""a \(b) c\(d + 1)""#, #"(interpolation "a " b " c" (+ d 1))"#),
        ("\"\"\"\n  x = \\(x)\n  done\n  \"\"\"", #"(interpolation "x = " x "\ndone")"#),
        ("nil", "nil"),
        ("[1, 2, 3]", "[1 2 3]"),
        ("[String]()", "(call [String])"),
        ("[:]", "[]"),
        (#"["a": 1, "b": 2]"#, #"["a": 1 "b": 2]"#),
        ("(1, \"two\")", #"(tuple 1 "two")"#),
        ("(x: 1, y: 2)", "(tuple x:1 y:2)"),
        ("()", "(tuple)"),
        ("((1 + 2)) * 3", "(* (+ 1 2) 3)"),
        // Operators, folded by precedence
        ("a + b * c - d / e % f", "(- (+ a (* b c)) (% (/ d e) f))"),
        ("a < b && b <= c || !d", "(|| (&& (< a b) (<= b c)) (prefix! d))"),
        ("x ?? y ?? 0", "(?? x (?? y 0))"),
        ("0..<n", "(..< 0 n)"),
        ("0...n - 1", "(... 0 (- n 1))"),
        ("..<3", "(prefix..< 3)"),
        ("2...", "(postfix... 2)"),
        ("x = y + 1", "(= x (+ y 1))"),
        ("x += 1", "(+= x 1)"),
        ("a[0] *= 2", "(*= (subscript a 0) 2)"),
        ("(a, b) = (b, a)", "(= (tuple a b) (tuple b a))"),
        ("c ? a : b ? d : e", "(?: c a (?: b d e))"),
        ("x is Int", "(is x Int)"),
        ("x as Double", "(as x Double)"),
        ("x as? [Int]", "(as? x [Int])"),
        ("a == b ? 1 : 2", "(?: (== a b) 1 2)"),
        // Calls, members, subscripts
        ("f()", "(call f)"),
        (#"print(a, b, separator: ", ")"#, #"(call print a b separator:", ")"#),
        ("cell.zeroState(batchSize: 20)", "(call (. cell zeroState) batchSize:20)"),
        ("x.shape", "(. x shape)"),
        ("t.0 + t.1", "(+ (. t 0) (. t 1))"),
        ("f(mode: .train)", "(call f mode:.train)"),
        ("x[0]", "(subscript x 0)"),
        ("x[0..<3]", "(subscript x (..< 0 3))"),
        ("m[i, j]", "(subscript m i j)"),
        ("a.map { $0 * 2 }", "(call (. a map) (closure () (* $0 2)))"),
        ("a.reduce(0) { $0 + $1 }", "(call (. a reduce) 0 (closure () (+ $0 $1)))"),
        ("f { 1 } onError: { 2 }", "(call f (closure () 1) onError:(closure () 2))"),
        ("x!.count", "(. (! x) count)"),
        ("x?.count", "(. (?chain x) count)"),
        ("x?[0].y", "(. (subscript (?chain x) 0) y)"),
        ("try f()", "(try (call f))"),
        ("try? f()", "(try? (call f))"),
        ("try! f()", "(try! (call f))"),
        ("self.x", "(. self x)"),
        // Closures
        ("let g = { x, y in x + y }", "(let g (closure (x y) (+ x y)))"),
        ("let g = { (x: Int, y) -> Int in return x * y }", "(let g (closure (x y) (return (* x y))))"),
        ("let g = { _ in 0 }", "(let g (closure (_) 0))"),
        ("let g = { print(1); return }", "(let g (closure () (call print 1) (return)))"),
        // Control flow
        ("if a { f() }", "(if (a) (then (call f)))"),
        ("if a { 1 } else if b { 2 } else { 3 }", "(if (a) (then 1) (else (if (b) (then 2) (else 3))))"),
        ("if let x = y, x > 0, var z = w { }", "(if ((let? x y) (> x 0) (var? z w)) (then))"),
        ("if let x { x }", "(if ((let? x x)) (then x))"),
        ("guard let x = y else { return }", "(guard ((let? x y)) (else (return)))"),
        ("while i < 3 { i += 1 }", "(while ((< i 3)) (+= i 1))"),
        ("while let b = it.next() { }", "(while ((let? b (call (. it next)))))"),
        ("repeat { i -= 1 } while i > 0", "(repeat (body (-= i 1)) (> i 0))"),
        ("for i in 0..<3 { print(i) }", "(for i (..< 0 3) (call print i))"),
        ("for _ in xs { }", "(for _ xs)"),
        ("for (i, x) in xs.enumerated() where i > 0 { continue }",
         "(for (i x) (call (. xs enumerated)) (where (> i 0)) (continue))"),
        ("for x in xs { if x { break } }", "(for x xs (if (x) (then (break))))"),
        ("switch n { case 1, 2: f() case 3..<10: g() case let k where k > 10: h(k) case _: break }",
         "(switch n (case 1 2 (call f)) (case (..< 3 10) (call g)) (case (let k) (where (> k 10)) (call h k)) (case _ (break)))"),
        ("switch mode { case .train: 1 default: 2 }", "(switch mode (case .train 1) (default 2))"),
        ("do { let x = 1 }", "(do (let x 1))"),
        // Functions
        ("func f() { }", "(func f ())"),
        ("func add(_ a: Int, to b: Int = 1) -> Int { return a + b }",
         "(func add (_ a (to b = 1)) (return (+ a b)))"),
        ("func g(x: Int) -> Int { x }", "(func g (x) x)"),
        ("func h(f: @escaping (Int) -> Int) { }", "(func h (f))"),
        ("func outer() { func inner() { } }", "(func outer () (func inner ()))"),
    ]

    @Test(arguments: supported)
    func constructLowersToItsShape(_ example: (source: String, expected: String)) {
        #expect(Self.lowered(example.source) == example.expected, "\(example.source)")
    }

    @Test func locationsAreWhereStudentsLookForTheProblem() throws {
        let marked = MarkedSource("1️⃣let y = 2️⃣a.3️⃣b 4️⃣/ 5️⃣c[6️⃣1]\n7️⃣y 8️⃣+= 9️⃣f(x: 1)\n", firstLine: 4)
        let program = try CellParser.parse(marked.text, firstLine: 4)
        guard case .binding(_, _, _, let value?) = program.statements[0].kind,
            case .binary(_, let left, let right) = value.kind,
            case .subscripted(_, let arguments) = right.kind,
            case .expression(let assignment) = program.statements[1].kind,
            case .assignment(_, let target, let call) = assignment.kind
        else {
            Issue.record("unexpected shape \(ASTDump.program(program))")
            return
        }
        #expect(program.statements[0].location == marked["1️⃣"])
        #expect(left.location == marked["3️⃣"])  // member access: at the member's name
        #expect(value.location == marked["4️⃣"])  // binary operator: at the operator
        #expect(right.location == marked["5️⃣"])  // subscript: where it starts
        #expect(arguments.first?.location == marked["6️⃣"])
        #expect(program.statements[1].location == marked["7️⃣"])
        #expect(target.location == marked["7️⃣"])
        #expect(assignment.location == marked["8️⃣"])
        #expect(call.location == marked["9️⃣"])
        _ = marked["2️⃣"]
    }

    @Test func negativeLiteralIsLocatedAtItsMinus() throws {
        let marked = MarkedSource("let x = 1️⃣-5")
        let program = try CellParser.parse(marked.text)
        guard case .binding(_, _, _, let value?) = program.statements[0].kind else {
            Issue.record("expected a binding")
            return
        }
        #expect(value.location == marked["1️⃣"])
    }
}

/// Valid Swift that cells do not run: one named diagnostic per construct, at the
/// word the message names, all of them reported in one pass.
@Suite struct UnsupportedLoweringTests {
    static let unsupported: [(source: String, message: String)] = [
        ("1️⃣struct Point { var x = 0 }", "structs are not supported in cells; use a dictionary or a tuple"),
        ("final 1️⃣class A { }", "classes are not supported in cells; use a dictionary or a tuple"),
        ("1️⃣enum Mode { case train, test }", "enums are not supported in cells; use strings or integers for the cases"),
        ("1️⃣protocol P { }", "protocols are not supported in cells"),
        ("1️⃣extension Int { }", "extensions are not supported in cells; write a function instead"),
        ("1️⃣actor A { }", "actors are not supported in cells"),
        ("1️⃣typealias Ids = [Int]", "type aliases (`typealias`) are not supported in cells"),
        ("1️⃣import Glibc", "imports are not supported in cells; the lesson's functions are available without one"),
        ("infix 1️⃣operator <+>", "operator declarations are not supported in cells; write a function instead"),
        ("1️⃣#warning(\"x\")", "macros such as `#warning` are not supported in cells"),
        ("let x = 1️⃣#line", "macros such as `#line` are not supported in cells"),
        ("1️⃣#if DEBUG\nlet x = 1\n#endif", "conditional compilation (`#if`) is not supported in cells"),
        ("func f1️⃣<T>(_ x: T) { }",
         "generic parameters (`<T>`) are not supported in cells; write the function for concrete types"),
        ("let a = Array1️⃣<Int>()",
         "explicit generic arguments (`<...>`) are not supported in cells; write `[Int]()` rather than `Array<Int>()`"),
        ("func f() 1️⃣async { }", "`async` functions are not supported in cells"),
        ("func f() 1️⃣throws { }",
         "throwing functions (`throws`) are not supported in cells; an error in a function stops the cell"),
        ("let y = 1️⃣await f()", "`await` is not supported in cells"),
        ("1️⃣defer { }", "`defer` is not supported in cells"),
        ("1️⃣throw e", "`throw` is not supported in cells"),
        ("do { } 1️⃣catch { }",
         "`catch` is not supported in cells; an error stops the cell with its message, or use `try?` to get nil"),
        ("switch x { case 1: 1️⃣fallthrough\ndefault: break }",
         "`fallthrough` is not supported in cells; list the values in one `case`"),
        ("func f(_ x: 1️⃣inout Int) { }", "`inout` parameters are not supported in cells; return the new value instead"),
        ("f(1️⃣&x)", "passing `&x` (inout) is not supported in cells; return the new value instead"),
        ("func f(_ x: Int1️⃣...) { }", "variadic parameters (`...`) are not supported in cells; pass an array"),
        ("1️⃣@discardableResult func f() -> Int { 1 }", "attributes such as `@discardableResult` are not supported in cells"),
        ("1️⃣private let x = 1", "declaration modifiers such as `private` are not supported in cells"),
        ("1️⃣outer: for i in xs { }",
         "labeled statements (`outer:`) are not supported in cells; use a flag variable or a function with `return`"),
        ("for i in xs { 1️⃣break outer }", "`break` and `continue` with a label are not supported in cells"),
        ("let k = 1️⃣\\Item.name", "key paths (`\\.name`) are not supported in cells; use a closure such as `{ $0.name }`"),
        ("let v: 1️⃣any Equatable = 1", "`any` types are not supported in cells; name the type or leave it out"),
        ("func f() -> 1️⃣some Equatable { 1 }", "`some` types are not supported in cells; name the type or leave it out"),
        ("var x: Int 1️⃣{ 1 }",
         "computed properties and property observers are not supported in cells; write a function instead"),
        ("let 1️⃣x: Int", "a `let` needs a value in cells: write `let name = value`"),
        ("let y = 1️⃣if c { 1 } else { 2 }", "`if` used as a value is not supported in cells; use `condition ? a : b`"),
        ("let y = x 1️⃣as! Int", "forced casts (`as!`) are not supported in cells; use `as?` with `if let`"),
        ("for 1️⃣case let x? in xs { }",
         "`for case` loops are not supported in cells; use `for` with `where` or an `if` inside"),
        ("for 1️⃣var i in xs { }",
         "`for var` is not supported in cells; copy the loop variable into a `var` inside the loop"),
        ("if 1️⃣case 1 = x { }", "`case` patterns in conditions (`if case`) are not supported in cells; use `==` or `switch`"),
        ("switch p { case 1️⃣let (a, b): f(a, b) default: break }",
         "this `case` pattern is not supported in cells; match values, ranges, `let name` or `_`"),
        ("switch p { case 1, 2 1️⃣where p > 0: f() default: break }",
         "`where` in a `case` with several patterns is not supported in cells; give that pattern its own `case`"),
        ("let f = { 1️⃣[x] in x }", "closure capture lists (`[x] in`) are not supported in cells"),
        ("let n = f1️⃣(x:y:)", "function references with argument labels (`f(x:)`) are not supported in cells; use a closure"),
        ("let (1️⃣x: a, b) = p", "labels in tuple patterns are not supported in cells; write `let (a, b) = ...`"),
        ("1️⃣init() { }", "initializers (`init`) are not supported in cells; write a function instead"),
        ("let s = 1️⃣super.x", "`super` is not supported in cells"),
    ]

    @Test(arguments: unsupported)
    func constructIsNamedWhereItIs(_ example: (source: String, message: String)) {
        let marked = MarkedSource(example.source, firstLine: 30)
        do {
            let program = try CellParser.parse(marked.text, firstLine: 30)
            Issue.record("\(example.source) lowered to \(ASTDump.program(program))")
        } catch {
            let expected = CellDiagnostic(.unsupported, example.message, at: marked["1️⃣"])
            #expect(error.diagnostics == [expected], "\(example.source)")
        }
    }

    @Test func tooLongAnExpressionIsNamedInsteadOfRecursingOverIt() {
        let marked = MarkedSource("let x = 1️⃣" + Array(repeating: "1", count: 300).joined(separator: " + "))
        do {
            _ = try CellParser.parse(marked.text)
            Issue.record("expected the expression to be rejected")
        } catch {
            let message = "this expression has more than 200 operators; split it into several `let`s"
            #expect(error.diagnostics == [CellDiagnostic(.unsupported, message, at: marked["1️⃣"])])
        }
    }

    @Test func unsupportedConstructsInsideFunctionsAndClosuresAreFound() {
        let marked = MarkedSource(
            """
            func f() {
                let g = { (x: 1️⃣inout Int) in x }
                for i in xs { 2️⃣defer { } }
            }
            let h = xs.map { 3️⃣await $0 }
            """)
        do {
            _ = try CellParser.parse(marked.text)
            Issue.record("expected unsupported constructs")
        } catch {
            #expect(error.diagnostics.map(\.location) == ["1️⃣", "2️⃣", "3️⃣"].map { marked[$0] })
        }
    }

    @Test func aVarNeedsAValueOrAType() {
        let marked = MarkedSource("var 1️⃣x")
        do {
            _ = try CellParser.parse(marked.text)
            Issue.record("expected an error")
        } catch {
            let message = "a `var` needs a value or a type: write `var name = value`"
            #expect(error.diagnostics == [CellDiagnostic(.unsupported, message, at: marked["1️⃣"])])
        }
    }

    @Test func everyUnsupportedConstructInACellIsReported() {
        let marked = MarkedSource(
            """
            1️⃣struct A { }
            let a = 1
            func f() 2️⃣throws {
                3️⃣defer { }
                let k = 4️⃣\\A.x
            }
            5️⃣enum E { }
            """, firstLine: 2)
        do {
            _ = try CellParser.parse(marked.text, firstLine: 2)
            Issue.record("expected unsupported constructs")
        } catch {
            #expect(error.diagnostics.map(\.location) == ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣"].map { marked[$0] })
            #expect(error.diagnostics.allSatisfy { $0.phase == .unsupported })
        }
    }
}

/// Mutated cells: whatever swift-syntax makes of them, parsing and lowering
/// either succeed or fail with located diagnostics, and never trap.
@Suite struct LoweringRobustnessTests {
    static let programs = [
        """
        let data = ptbRawData("data")
        var total = 0.0
        for (i, batch) in data.batches(size: 20).enumerated() where i < 3 {
            let (x, y) = batch
            total += Double(x.shape[0]) * 1.5
            if let first = x.first, first > 0 { print("first \\(first)") } else { continue }
        }
        """,
        """
        func perplexity(_ loss: Double, steps: Int = 1) -> Double {
            guard steps > 0 else { return 0 }
            return exp(loss / Double(steps))
        }
        switch perplexity(3.2) { case 0..<10: print("good") case let p where p > 100: print(p) default: break }
        """,
        """
        let cell = BasicLSTMCell(units: 200, forgetBias: 0.0)
        let state = cell.zeroState(batchSize: 20)
        let words = ["a": 1, "b": 2].map { key, value in "\\(key)=\\(value)" }
        var i = 0
        repeat { i += 1 } while i < 10 && words.count > 0 || false
        let s = \"\"\"
            multi \\(i)
            line
            \"\"\"
        print(s, terminator: "")
        """,
    ]

    /// Small tokens worth inserting: keywords, brackets, operators, quotes.
    static let tokens = [
        "let", "var", "func", "if", "else", "for", "in", "while", "switch", "case", "default", "return", "struct",
        "(", ")", "{", "}", "[", "]", ",", ":", ".", "?", "!", "=", "+", "-", "*", "/", "..<", "...", "??", "&&",
        "\"", "\"\"\"", "\\(", "$0", "#", "@", "_", "0", "1.5", "nil", "try", "as", "is", "\n", " ", "\u{0}", "é",
    ]

    @Test func mutatedCellsNeverTrapAndAlwaysLocateTheirErrors() {
        var random = SplitMix64(seed: 0x5EED_CE11)
        let corpus = Self.programs + LoweringTests.supported.map(\.source)
            + UnsupportedLoweringTests.unsupported.map { MarkedSource($0.source).text }
        var parsed = 0
        var failed = 0
        let cases = 4000
        for _ in 0..<cases {
            var characters = Array(corpus[Int(random.next() % UInt64(corpus.count))])
            for _ in 0..<(1 + Int(random.next() % 4)) {
                mutate(&characters, using: &random)
            }
            let text = String(characters)
            let firstLine = 1 + Int(random.next() % 50)
            do {
                _ = try CellParser.parse(text, firstLine: firstLine)
                parsed += 1
            } catch {
                failed += 1
                let lineBreaks = text.unicodeScalars.filter { $0 == "\n" || $0 == "\r" }.count
                #expect(!error.diagnostics.isEmpty, "\(text.debugDescription)")
                for diagnostic in error.diagnostics {
                    let location = diagnostic.location ?? SourceLocation(line: 0, column: 0)
                    let inCell = location.line >= firstLine && location.line <= firstLine + lineBreaks
                    #expect(inCell && location.column >= 1 && !diagnostic.message.isEmpty,
                            "\(diagnostic) in \(text.debugDescription) from line \(firstLine)")
                }
            }
        }
        print("lowering fuzz: \(cases) mutated cells, \(parsed) lowered, \(failed) rejected with located diagnostics")
        #expect(parsed + failed == cases)
        #expect(parsed > 100 && failed > 100, "parsed \(parsed), failed \(failed)")
    }

    @Test func pathologicalCellsAreErrorsNotTraps() {
        let inputs = [
            "", "\n\n", "   ", "\u{0}", "\"", "\"\"\"", "}", "{", String(repeating: "(", count: 300),
            String(repeating: "[", count: 300) + String(repeating: "]", count: 300),
            "let x = " + Array(repeating: "1", count: 1000).joined(separator: " + "),
            "let x = " + Array(repeating: "a", count: 1000).joined(separator: " ?? "),
            "let x = " + String(repeating: "-", count: 500) + "1",
            "let s = \"\\(\\(\\(\"", "x = = = 1", "#if\n#endif", "@", "\\", "$", "let é = 1; print(é)",
            "let x = 1\r\nlet y = \r\n",
        ]
        for input in inputs {
            do {
                _ = try CellParser.parse(input, firstLine: 3)
            } catch {
                #expect(error.diagnostics.allSatisfy { $0.location != nil }, "\(input.prefix(40).debugDescription)")
            }
        }
    }

    @Test func longRunsOfNestedBracketsAreRejectedBeforeParsing() {
        let marked = MarkedSource("let ok = [[[[1]]]]\nlet t = 1️⃣" + String(repeating: "[ ", count: 40) + "1"
            + String(repeating: "]", count: 40), firstLine: 5)
        do {
            _ = try CellParser.parse(marked.text, firstLine: 5)
            Issue.record("expected the brackets to be rejected")
        } catch {
            let message = "more than 12 `[` and `(` nested directly inside each other are not supported in cells"
            #expect(error.diagnostics == [CellDiagnostic(.unsupported, message, at: marked["1️⃣"])])
        }
    }

    /// One random edit: delete, duplicate or swap characters, insert a token, or
    /// delete or swap whole tokens.
    private func mutate(_ characters: inout [Character], using random: inout SplitMix64) {
        let count = characters.count
        func index() -> Int { count == 0 ? 0 : Int(random.next() % UInt64(count)) }
        switch random.next() % 6 {
        case 0 where count > 0:
            characters.remove(at: index())
        case 1 where count > 0:
            let at = index()
            characters.insert(characters[at], at: at)
        case 2 where count > 1:
            let at = Int(random.next() % UInt64(count - 1))
            characters.swapAt(at, at + 1)
        case 3, 0, 1, 2:
            let token = Self.tokens[Int(random.next() % UInt64(Self.tokens.count))]
            characters.insert(contentsOf: Array(token), at: count == 0 ? 0 : index())
        default:
            var tokens = Self.tokenize(characters)
            guard tokens.count > 1 else { return }
            let first = Int(random.next() % UInt64(tokens.count))
            if random.next() % 2 == 0 {
                tokens.remove(at: first)
            } else {
                tokens.swapAt(first, Int(random.next() % UInt64(tokens.count)))
            }
            characters = tokens.flatMap { $0 }
        }
    }

    /// Runs of letters, digits and `_`; runs of spaces; every other character alone.
    private static func tokenize(_ characters: [Character]) -> [[Character]] {
        var tokens: [[Character]] = []
        for character in characters {
            let isWord = character.isLetter || character.isNumber || character == "_"
            if let last = tokens.last?.last, isWord, last.isLetter || last.isNumber || last == "_" {
                tokens[tokens.count - 1].append(character)
            } else if let last = tokens.last?.last, character == " ", last == " " {
                tokens[tokens.count - 1].append(character)
            } else {
                tokens.append([character])
            }
        }
        return tokens
    }
}
