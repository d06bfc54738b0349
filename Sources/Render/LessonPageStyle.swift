/// The served page's style on top of the report's: the toolbar, the current and running
/// cells, live progress, and presentation mode (one slide at a time, large type).
enum LessonPageStyle {
    static let css = """
        .toolbar { position: sticky; top: 0; z-index: 10; display: flex; gap: 0.5rem;
          align-items: center; flex-wrap: wrap; padding: 0.45rem 1rem; background: var(--note-bg);
          border-bottom: 1px solid var(--border); font-size: 0.9rem; }
        .toolbar-title { font-weight: 600; margin-right: auto; overflow: hidden; text-overflow: ellipsis;
          white-space: nowrap; max-width: 40vw; }
        .toolbar button, .cell-head button { font: inherit; padding: 0.2rem 0.7rem; border-radius: 5px;
          border: 1px solid var(--border); background: var(--bg); color: var(--fg); cursor: pointer; }
        .toolbar button:hover, .cell-head button:hover { border-color: var(--accent); }
        .toolbar button:disabled, .cell-head button:disabled { opacity: 0.45; cursor: default; }
        .toolbar .stop { color: var(--error-fg); }
        .role, .connection, .position { color: var(--muted); }
        .connection.live { color: var(--ok-fg); }
        .connection.lost { color: var(--error-fg); font-weight: 600; }
        body:not(.presenter) .presenter-only { display: none; }
        body:not(.presenter):not(.forked) .driver-only { display: none; }
        body.presenter .follower-only, body.forked .follower-only, body:not(.forks) .follower-only { display: none; }
        body:not(.forked) .fork-only { display: none; }
        body.forked .toolbar { background: var(--fork-bg); }
        .fork-status { font-weight: 600; }
        .class-count { color: var(--muted); }
        .source-area pre.edited { border-left: 3px solid var(--accent); }
        .editor { margin: 0.3rem 0; border: 1px solid var(--accent); border-radius: 5px; }
        .editor textarea.plain-editor { width: 100%; min-height: 8rem; box-sizing: border-box;
          font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.9rem; border: 0; }
        .editor .CodeMirror { height: auto; min-height: 4rem; font-size: 0.9rem; }
        .editor-bar { display: flex; gap: 0.5rem; padding: 0.3rem; background: var(--note-bg); align-items: center; }
        .editor-bar button { font: inherit; font-size: 0.85rem; padding: 0.1rem 0.6rem; border-radius: 5px;
          border: 1px solid var(--border); background: var(--bg); color: var(--fg); cursor: pointer; }
        .editor-note { color: var(--muted); font-size: 0.8rem; }
        .lesson-page main .report-header { padding: 0; max-width: none; }
        .notice { max-width: 60rem; margin: 0.5rem auto; padding: 0.5rem 0.8rem; border-radius: 6px;
          background: var(--banner-bg); }
        .cell.current { box-shadow: -4px 0 0 var(--accent); }
        .cell.running { box-shadow: -4px 0 0 #e8a200; }
        .cell-head .cell-state { color: var(--muted); font-size: 0.85rem; }
        .cell-head .run-to { margin-left: auto; font-size: 0.8rem; padding: 0.05rem 0.5rem; }
        .cell-head .run-again { font-size: 0.8rem; padding: 0.05rem 0.5rem; }
        .status-pending .run-again, .status-running .run-again, .status-skipped .run-again { display: none; }
        .cell-head .stale-mark { color: #8a5a00; background: #fff4d6; border-radius: 3px; padding: 0 0.4rem; font-size: 0.85rem; }
        .cell.stale { border-left: 3px solid #d9a400; }
        .cell-head { display: flex; gap: 0.5rem; align-items: baseline; }
        .live { margin: 0.4rem 0; }
        .progress { height: 0.55rem; background: var(--code-bg); border: 1px solid var(--border);
          border-radius: 4px; overflow: hidden; }
        .progress-bar { height: 100%; width: 0; background: var(--accent); transition: width 0.2s linear; }
        .progress-text { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.82rem;
          color: var(--muted); }
        /* Anchors and scrolled-to cells land below the sticky toolbar, even when it wraps. */
        .lesson-page .slide, .lesson-page .cell, .lesson-page h2, .lesson-page h3 { scroll-margin-top: 6rem; }
        body.presenting { font-size: 1.45rem; }
        body.presenting .toolbar { position: fixed; left: 0; right: 0; }
        body.presenting .toolbar { opacity: 0.15; transition: opacity 0.2s; }
        body.presenting .toolbar:hover, body.presenting .toolbar:focus-within { opacity: 1; }
        body.presenting main { max-width: none; padding: 0; }
        body.presenting .slide { display: none; }
        body.presenting .slide.active { display: block; min-height: 100vh; padding: 3.5rem 6vw 3rem;
          max-width: 72rem; margin: 0 auto; }
        body.presenting pre, body.presenting code { font-size: 1.05rem; }
        body.presenting h1 { font-size: 2.6rem; }
        body.presenting h2 { font-size: 2.1rem; }
        body.presenting .slide-number { position: fixed; right: 1.2rem; bottom: 0.8rem; color: var(--muted);
          font-size: 0.9rem; }
        body:not(.presenting) .slide-number { display: none; }
        @media print { .toolbar, .run-to, .run-again, .edit, .live, .editor { display: none; } }
        """
}
