import Foundation
import Testing
import TestSupport
@testable import CellScript

/// Thousands of mutated and random cells, built from the case files with a fixed
/// seed, are parsed and run with a small step budget. The test passes when none of
/// them traps (the process would die) or hangs (each must finish in seconds); a
/// failure or a diagnostic is a fine outcome.
@Suite struct FuzzTests {
    /// `FUZZ_SEED` and `FUZZ_CASES` override the fixed seed and count for longer local runs.
    static let seed = ProcessInfo.processInfo.environment["FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x5EED_CE11
    static let caseCount = ProcessInfo.processInfo.environment["FUZZ_CASES"].flatMap { Int($0) } ?? 4_000
    static let stepBudget = 3_000

    @Test func mutatedCellsNeverTrapOrHang() throws {
        let corpus = try Self.corpus()
        #expect(corpus.count > 50)
        var generator = SplitMix64(seed: Self.seed)
        var parsed = 0
        var faulted = 0
        var session = Session()
        let trace = ProcessInfo.processInfo.environment["FUZZ_TRACE"] != nil
        for index in 0..<Self.caseCount {
            if index % 100 == 0 { session = Session() }
            session.stepLimit = Self.stepBudget
            session.timeLimit = 60  // a backstop for a hang: a cell stopped by it fails the check below
            let source = Self.mutate(corpus, using: &generator)
            if trace { print("fuzz case \(index):\n\(source)\n----") }
            guard let program = try? CellParser.parse(source) else { continue }
            parsed += 1
            let result = session.run(program)
            if result.error != nil { faulted += 1 }
            // The step budget, not the clock, ends every cell that runs long.
            #expect(result.error?.message.contains("time limit") != true, "case \(index) hung:\n\(source)")
        }
        print("fuzz: \(Self.caseCount) cells generated, \(parsed) parsed and run, \(faulted) ended with a "
              + "diagnostic, none trapped or hung (seed \(Self.seed), step budget \(Self.stepBudget))")
        #expect(parsed > Self.caseCount / 4)
    }

    /// Every cell of every case file.
    static func corpus() throws -> [String] {
        var cells: [String] = []
        for name in CaseRunnerTests.caseFiles {
            let url = CaseRunnerTests.casesDirectory.appendingPathComponent(name)
            let text = try String(contentsOf: url, encoding: .utf8)
            cells += CaseFile(text).cells.map(\.source)
        }
        return cells
    }

    static let fragments = [
        "0", "1", "-1", "Int.max", "Int.min", "nil", "[]", "[:]", "\"\"", "2.5", "0.0", "(1, 2)", "x", "i",
        "+", "-", "*", "/", "%", "..<", "...", "==", "<", "&&", "??", "!", "?", ".", ",", ":", "=", "+=",
        "(", ")", "[", "]", "{", "}", "$0", "in", "let", "var", "if", "else", "for", "while", "return",
        "break", "continue", "switch", "case", "default:", "func", "guard", "try?", "print", "[0]", "[-1]",
        ".count", ".first!", "!", "as? Int", "is String", "{ $0 }", "(0..<3)", "while true { }",
    ]

    /// One mutated cell: a corpus cell with lines dropped, duplicated, swapped or
    /// spliced, tokens replaced or inserted, or two cells joined; sometimes pure noise.
    static func mutate(_ corpus: [String], using generator: inout SplitMix64) -> String {
        let base = corpus[generator.next(below: corpus.count)]
        var lines = base.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let rounds = 1 + generator.next(below: 3)
        for _ in 0..<rounds {
            guard !lines.isEmpty else { break }
            let at = generator.next(below: lines.count)
            switch generator.next(below: 7) {
            case 0: lines.remove(at: at)
            case 1: lines.insert(lines[at], at: at)
            case 2: lines.swapAt(at, generator.next(below: lines.count))
            case 3: lines[at] = replacingWord(in: lines[at], using: &generator)
            case 4: lines[at] += " " + fragments[generator.next(below: fragments.count)]
            case 5:
                let other = corpus[generator.next(below: corpus.count)]
                lines.insert(contentsOf: other.split(separator: "\n").map(String.init), at: at)
            default:
                let noise = (0..<(1 + generator.next(below: 8))).map { _ in
                    fragments[generator.next(below: fragments.count)]
                }
                lines.insert(noise.joined(separator: " "), at: at)
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func replacingWord(in line: String, using generator: inout SplitMix64) -> String {
        var words = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard !words.isEmpty else { return line }
        words[generator.next(below: words.count)] = fragments[generator.next(below: fragments.count)]
        return words.joined(separator: " ")
    }
}

