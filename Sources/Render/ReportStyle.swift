/// The report's only stylesheet and script, inlined so the file works offline and alone.
/// Light by default, dark under `prefers-color-scheme: dark`, plain for print.
enum ReportStyle {
    static let css = """
        :root {
          --bg: #ffffff; --fg: #1d1f21; --muted: #5f6368; --border: #d9dce0; --code-bg: #f6f8fa;
          --out-prompt: #b5451b; --ok-fg: #2e7d32; --fork-bg: #e9f3ff; --accent: #1f5fa8; --error-bg: #fdecea; --error-fg: #8a1c1c; --expected-bg: #fff6e0;
          --banner-bg: #fdecea; --note-bg: #f1f3f4;
          --tok-keyword: #a626a4; --tok-type: #0b6e77; --tok-string: #2e7d32; --tok-number: #8a5d00;
          --tok-comment: #5c6370; --tok-identifier: #1d1f21; --tok-attribute: #7a5500; --tok-label: #2f5fcf;
        }
        @media (prefers-color-scheme: dark) {
          :root {
            --bg: #17191c; --fg: #e3e5e8; --muted: #9aa0a6; --border: #3a3f44; --code-bg: #202327;
            --out-prompt: #ff9e7a; --ok-fg: #7bd88f; --fork-bg: #1c2b3d; --accent: #7fb3ff; --error-bg: #3b1f1f; --error-fg: #ffb4ab; --expected-bg: #3a3220;
            --banner-bg: #4a2020; --note-bg: #25282c;
            --tok-keyword: #d291e4; --tok-type: #56c3c9; --tok-string: #98c379; --tok-number: #e5c07b;
            --tok-comment: #8b929a; --tok-identifier: #e3e5e8; --tok-attribute: #e5c07b; --tok-label: #82aaff;
          }
        }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); color: var(--fg);
          font: 16px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; }
        main, header.report-header, footer.run-facts { max-width: 60rem; margin: 0 auto; padding: 0 1.25rem; }
        a { color: var(--accent); }
        h1 { margin-bottom: 0.2rem; }
        .author { color: var(--muted); margin-top: 0; }
        pre, code { font-family: ui-monospace, "SF Mono", Menlo, Consolas, monospace; font-size: 0.88rem; }
        pre { background: var(--code-bg); border: 1px solid var(--border); border-radius: 6px; padding: 0.6rem 0.8rem;
          overflow-x: auto; white-space: pre; margin: 0.4rem 0; }
        code { background: var(--code-bg); padding: 0.05rem 0.25rem; border-radius: 3px; }
        pre code { background: none; padding: 0; }
        .inline-value { border-bottom: 1px dotted var(--muted); }
        code.inline-error { color: #b00020; background: #fdecee; }
        code.inline-pending { color: var(--muted); }
        blockquote { border-left: 4px solid var(--border); margin-left: 0; padding-left: 1rem; color: var(--muted); }
        table { border-collapse: collapse; margin: 0.6rem 0; }
        th, td { border: 1px solid var(--border); padding: 0.25rem 0.6rem; }
        .table-wrap { overflow-x: auto; }
        ul.task-list { list-style: none; padding-left: 1.2rem; }
        .url, .image-offline { color: var(--muted); font-size: 0.9em; word-break: break-all; }
        .footnote { font-size: 0.9rem; color: var(--muted); }
        .footnote p { display: inline; }
        nav.toc { border: 1px solid var(--border); border-radius: 6px; padding: 0.4rem 1rem; margin: 1rem 0; }
        nav.toc .toc-title { font-size: 1rem; margin: 0.3rem 0; }
        .banner { background: var(--banner-bg); border: 1px solid var(--error-fg); color: var(--fg);
          border-radius: 6px; padding: 0.7rem 1rem; margin: 1rem 0; }
        .cell { margin: 1rem 0; }
        .cell-head { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.8rem; color: var(--muted); }
        .cell-head .prompt { color: var(--accent); }
        .cell-label { border: 1px solid var(--border); border-radius: 3px; padding: 0 0.3rem; }
        .duration { font-size: 0.75rem; }
        .cached { font-size: 0.75rem; color: var(--muted); font-style: italic; }
        .cell-note { background: var(--note-bg); color: var(--muted); font-style: italic; padding: 0.3rem 0.7rem;
          border-radius: 4px; font-size: 0.9rem; }
        .outputs { border-left: 3px solid var(--border); padding-left: 0.6rem; }
        .out .prompt { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.8rem; color: var(--out-prompt); }
        pre.stream, pre.value, pre.error { white-space: pre-wrap; overflow-wrap: anywhere; }
        pre.error { background: var(--error-bg); color: var(--error-fg); border-color: var(--error-fg); }
        pre.error.expected { background: var(--expected-bg); }
        .error-label { font-weight: 600; color: var(--error-fg); margin: 0.4rem 0 0; font-size: 0.9rem; }
        .status-failed .outputs, .status-missing-expected-error .outputs { border-left-color: var(--error-fg); }
        .status-skipped .source, .status-not-run .source { opacity: 0.7; }
        details.solution { border: 1px dashed var(--border); border-radius: 6px; padding: 0.3rem 0.6rem; }
        ul.checks { list-style: none; padding-left: 0.4rem; margin: 0.4rem 0; }
        ul.checks .mark { font-weight: 700; }
        li.check-passed .mark { color: #2e7d32; }
        li.check-failed .mark, li.check-failed .check-message { color: var(--error-fg); }
        .check-message { font-size: 0.9rem; color: var(--muted); }
        .checks-failed .outputs { border-left-color: var(--error-fg); }
        section.exercise { border: 1px solid var(--accent); border-radius: 6px; padding: 0.3rem 0.8rem; }
        .exercise-title { margin: 0.3rem 0; }
        pre.exercise-area { min-height: 5rem; color: var(--muted); }
        details > summary { cursor: pointer; color: var(--accent); font-size: 0.85rem; }
        details[open] + .long-preview { display: none; }
        .elided { color: var(--muted); font-style: italic; }
        figure.figure { margin: 0.6rem 0; overflow-x: auto; }
        figure.figure figcaption { color: var(--muted); font-size: 0.85rem; }
        svg.chart { max-width: 100%; height: auto; color: var(--fg); font: 12px system-ui, sans-serif; }
        svg.chart .grid line { stroke: var(--border); stroke-width: 1; }
        svg.chart .axis line { stroke: currentColor; stroke-width: 1; }
        svg.chart text { fill: currentColor; }
        svg.chart .chart-title { font-size: 14px; font-weight: 600; }
        svg.chart .colour-bar { stroke: var(--border); }
        svg.scatter .marker { fill: #1f77b4; }
        svg.scatter .point-label { font-size: 11px; }
        svg.scatter .point-label.small { font-size: 8px; }
        .tok-keyword { color: var(--tok-keyword); }
        .tok-type { color: var(--tok-type); }
        .tok-string, .tok-regex { color: var(--tok-string); }
        .tok-integer, .tok-float { color: var(--tok-number); }
        .tok-comment { color: var(--tok-comment); font-style: italic; }
        .tok-identifier { color: var(--tok-identifier); }
        .tok-attribute, .tok-directive { color: var(--tok-attribute); }
        .tok-label { color: var(--tok-label); }
        footer.run-facts { border-top: 1px solid var(--border); margin-top: 2.5rem; padding-bottom: 2rem;
          font-size: 0.9rem; }
        footer.run-facts dt { font-weight: 600; float: left; clear: left; width: 9rem; }
        footer.run-facts dd { margin-left: 10rem; margin-bottom: 0.3rem; }
        footer.run-facts td.number { text-align: right; font-variant-numeric: tabular-nums; }
        .result-failed, .result-interrupted { color: var(--error-fg); font-weight: 600; }
        @media print {
          :root { --bg: #fff; --fg: #000; --code-bg: #fff; --error-bg: #fff; --expected-bg: #fff;
            --banner-bg: #fff; --note-bg: #fff; }
          body { font-size: 11pt; }
          pre { white-space: pre-wrap; word-break: break-all; }
          .cell, figure.figure, pre, tr { break-inside: avoid; page-break-inside: avoid; }
          h2, h3 { break-after: avoid; page-break-after: avoid; }
          nav.toc { display: none; }
          details > summary { display: none; }
          /* Where CSS can open a details element, print the whole output instead of the preview. */
          @supports selector(::details-content) {
            details::details-content { content-visibility: visible; display: block; }
            details + .long-preview { display: none; }
          }
        }
        """

    /// Opens collapsed outputs before printing. Optional: without it the page still shows the
    /// first and last lines of every long output.
    static let script = """
        addEventListener("beforeprint", function () {
          document.querySelectorAll("details").forEach(function (d) { d.open = true; });
        });
        """
}
