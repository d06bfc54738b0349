import Foundation
import ModelAPI
import Notebook
import Render
import Testing
import TestSupport

/// Math in prose: TeX to MathML Core, to terminal text, where `$` starts math, and what is refused.
@Suite("math in prose")
struct TeXMathTests {
    @Test("fractions, scripts, sums with limits, Greek letters, functions and operators")
    func mathML() throws {
        #expect(try TeXMath.mathML(#"\frac{1}{N}"#, display: false) == "<math><mfrac><mn>1</mn><mi>N</mi></mfrac></math>")
        #expect(try TeXMath.mathML("x_t^2", display: false) == "<math><msubsup><mi>x</mi><mi>t</mi><mn>2</mn></msubsup></math>")
        let sum = try TeXMath.mathML(#"\sum_{i=1}^{N} a_i"#, display: true)
        #expect(sum.hasPrefix("<math display=\"block\"><mrow><munderover><mo largeop=\"true\">∑</mo>"), "\(sum)")
        #expect(try TeXMath.mathML(#"\sum_{i=1}^{N} a_i"#, display: false).contains("<msubsup><mo largeop=\"true\">∑</mo>"))
        let gates = try TeXMath.mathML(#"\sigma(x) \odot \tanh(c) \cdot h_{t-1}"#, display: false)
        for piece in ["<mi>σ</mi>", "<mo>⊙</mo>", "<mi mathvariant=\"normal\">tanh</mi>", "<mo>·</mo>",
                      "<msub><mi>h</mi><mrow><mi>t</mi><mo>−</mo><mn>1</mn></mrow></msub>"] {
            #expect(gates.contains(piece), "\(piece) in \(gates)")
        }
        #expect(try TeXMath.mathML(#"\text{perplexity} = \exp(-\log p)"#, display: false)
            .hasPrefix("<math><mrow><mtext>perplexity</mtext><mo>=</mo><mi mathvariant=\"normal\">exp</mi>"))
        #expect(try TeXMath.mathML("a < b", display: false).contains("<mo>&lt;</mo>"), "escaped")
    }

    @Test("matrices: rows by \\\\ (or the single \\ Markdown leaves of it), columns by &")
    func matrices() throws {
        let expected = "<math><mrow><mo>(</mo><mtable><mtr><mtd><mi>a</mi></mtd><mtd><mi>b</mi></mtd></mtr>"
            + "<mtr><mtd><mi>c</mi></mtd><mtd><mi>d</mi></mtd></mtr></mtable><mo>)</mo></mrow></math>"
        #expect(try TeXMath.mathML(#"\begin{pmatrix} a & b \\ c & d \end{pmatrix}"#, display: false) == expected)
        #expect(try TeXMath.mathML(#"\begin{pmatrix} a & b \ c & d \end{pmatrix}"#, display: false) == expected)
        #expect(throws: TeXMath.Unsupported.self) { try TeXMath.mathML(#"\begin{align} a \end{align}"#, display: false) }
        #expect(throws: TeXMath.Unsupported.self) { try TeXMath.mathML(#"\begin{pmatrix} a \end{bmatrix}"#, display: false) }
    }

    @Test("unsupported TeX is refused with its name; broken groups too")
    func refusals() {
        for tex in [#"\unknown{x}"#, #"\frac{1}"#, "{a", "a}", #"x^"#, "@"] {
            #expect(throws: TeXMath.Unsupported.self, "\(tex)") { try TeXMath.mathML(tex, display: false) }
        }
    }

    @Test("hostile math: deep nesting and huge formulas are refused, text full of dollars is read to the end")
    func hostileMath() throws {
        let deep = String(repeating: "{", count: 100_000) + "x" + String(repeating: "}", count: 100_000)
        #expect(throws: TeXMath.Unsupported.self) { try TeXMath.mathML(deep, display: false) }
        #expect(throws: TeXMath.Unsupported.self) { try TeXMath.mathML(String(repeating: "x^", count: 50_000) + "y", display: false) }
        #expect(throws: TeXMath.Unsupported.self) { try TeXMath.mathML(String(repeating: "a+", count: 20_000), display: false) }
        #expect(MathSpans.split(String(repeating: "$a ", count: 100_000)).count == 1, "no closing dollar: all text")
        #expect(MathSpans.split(String(repeating: "$a$ ", count: 100_000)).count == 200_000)
        let nested = String(repeating: "{", count: 5_000) + "x" + String(repeating: "}", count: 5_000)
        let document = NotebookParser.parse(text: "Deep: $" + nested + "$\n", file: "lesson.md")
        let html = HTMLReport.render(document: document, outcomes: [], facts: ReportFacts(engineVersion: "test"))
        #expect(html.contains("math-unsupported") && html.contains("nested more than 64 levels"), "shown as code")
    }

    @Test("where prose holds math: $...$ and $$...$$, prices stay text")
    func spans() {
        #expect(MathSpans.split("costs $5 and $10.") == [.text("costs $5 and $10.")])
        #expect(MathSpans.split("a $x_t$ b") == [.text("a "), .math("x_t", display: false), .text(" b")])
        #expect(MathSpans.split("$$\nc = 1\n$$") == [.math("c = 1", display: true)])
        #expect(MathSpans.split("$ x$ and $y $") == [.text("$ x$ and $y $")], "spaces inside the dollars: not math")
    }

    @Test("the terminal reads math as text")
    func terminalText() throws {
        #expect(try TeXMath.text(#"\frac{a}{b}"#) == "(a)/(b)")
        #expect(try TeXMath.text("x^2 + y_t") == "x² + y_t")
        #expect(try TeXMath.text(#"\sigma(z) \odot c"#) == "σ(z) ⊙ c")
    }

    @Test("the report draws math as MathML; unsupported TeX shows as code with the reason")
    func inTheReport() throws {
        let document = NotebookParser.parse(text: "Perplexity is $\\exp(H)$; $\\nope$ stays code.\n\n$$\n\\frac{1}{N}\n$$\n",
                                            file: "lesson.md")
        let html = HTMLReport.render(document: document, outcomes: [],
                                     facts: ReportFacts(engineVersion: "test", seed: 1, command: "test"))
        #expect(html.contains("<math><mrow><mi mathvariant=\"normal\">exp</mi>"))
        #expect(html.contains("<math display=\"block\"><mfrac>"))
        #expect(html.contains("<code class=\"math-unsupported\" title=\"`\\nope` is not supported\">$\\nope$</code>"), "\(html)")
    }

    @Test("Chromium lays the MathML out: a fraction's numerator above its denominator, a matrix in rows",
          .enabled(if: HeadlessBrowser.isAvailable, "needs chromium (make test installs it)"))
    func drawnByABrowser() throws {
        let document = NotebookParser.parse(text: """
            $$
            \\frac{1}{N}\\sum_{t=1}^{N} \\log p(w_t)
            $$

            $\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}$
            """, file: "lesson.md")
        let html = HTMLReport.render(document: document, outcomes: [], facts: ReportFacts(engineVersion: "test"))
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let page = try folder.write(Data(html.utf8), to: "math.html")
        let browser = try HeadlessBrowser()
        defer { browser.close() }
        try browser.navigate(to: page.absoluteString)
        let layout = try browser.evaluate("""
            (function () {
              var frac = document.querySelector('mfrac');
              var top = frac.children[0].getBoundingClientRect(), bottom = frac.children[1].getBoundingClientRect();
              var cells = Array.from(document.querySelectorAll('mtd')).map(function (c) { return c.getBoundingClientRect(); });
              return [top.bottom <= bottom.top + 1, frac.getBoundingClientRect().height > 10,
                      Math.abs(cells[0].top - cells[1].top) < 2, cells[2].top > cells[0].bottom - 1].join(',');
            })()
            """) as? String
        #expect(layout == "true,true,true,true", "numerator above, a real height, a row side by side, rows stacked: \(String(describing: layout))")
    }

    @Test("every figure says what it shows to a screen reader: series, first and last values, range; `alt:` overrides")
    func figureAlternatives() throws {
        let text = """
            ```swift
            plot(["train": [300.0, 150.0, 90.0], "valid": [280.0, 160.0, 120.0]], title: "Perplexity")
            ```

            ```swift
            //| alt: Validation perplexity falls from 280 to 120.
            plot(["valid": [280.0, 160.0, 120.0]], title: "Valid")
            ```
            """
        let document = NotebookParser.parse(text: text, file: "lesson.md")
        let run = NotebookExecutor(document: document, text: text, libraries: [ModelAPI()]).run()
        let html = HTMLReport.render(document: document, outcomes: run.outcomes, facts: ReportFacts(engineVersion: "test"))
        #expect(html.contains(">line chart: Perplexity. train: 300 → 90 (min 90); valid: 280 → 120 (min 120)</title>"), "\(html)")
        #expect(html.contains(">Validation perplexity falls from 280 to 120.</title>"))
        #expect(!html.contains("▁"), "no sparkline in what is read aloud")
    }
}
