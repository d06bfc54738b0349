import Figures
import Foundation
import Notebook
import Render

/// What `lesson run` shows while a notebook runs.
///
/// - Transcript (standard output not a terminal, or `--transcript`): every cell's outputs
///   in the report's text form, text streamed as it is written, so `| tee run.log` keeps
///   a full record even of a run that is stopped.
/// - Compact (standard output a terminal): one line per finished cell, errors in full.
///
/// On a terminal standard error also carries a live status line: cell n/N and its label,
/// and while a cell trains, the bar with perplexity, words per second and ETA.
/// Hooks arrive on the cell's thread, so every method takes the lock.
final class RunDisplay: @unchecked Sendable {
    // @unchecked: every method reads and writes the fields with `lock` held.
    private let lock = NSLock()
    private let total: Int
    private let transcript: Bool
    private let status: StatusLine
    private var executionCount = 0
    private var runningCell: Cell?
    private var lastProgress: ProgressReport?
    private var lastDraw = Date.distantPast
    private var textEndsLine = true

    private let printsHeaders: Bool

    /// - Parameter printsHeaders: false when the caller shows each cell before it runs
    ///   (`lesson step`), so only its outputs follow.
    init(cellCount: Int, transcript: Bool, liveStatus: Bool, printsHeaders: Bool = true) {
        total = cellCount
        self.transcript = transcript
        self.printsHeaders = printsHeaders
        status = StatusLine(enabled: liveStatus)
    }

    /// - Parameter number: the cell's execution count when the caller keeps it (`lesson step`
    ///   counts re-runs); by default the display counts.
    func cellStarted(_ cell: Cell, number: Int? = nil) {
        locked {
            executionCount = number ?? executionCount + 1
            runningCell = cell
            lastProgress = nil
            if transcript, printsHeaders {
                emit(Transcript.cellHeader(cell, number: executionCount, total: total) + "\n")
            }
            redraw(force: true)
        }
    }

    func cellWrote(_ cell: Cell, _ text: String) {
        guard transcript, cell.options.output else { return }
        locked {
            emit(text)
            textEndsLine = text.hasSuffix("\n")
        }
    }

    func cellDisplayed(_ cell: Cell, _ figure: Figure) {
        guard transcript, cell.options.output else { return }
        locked {
            if !textEndsLine { emit("\n") }
            emit(Transcript.figureSummary(figure) + "\n")
            textEndsLine = true
        }
    }

    func cellProgressed(_ report: ProgressReport) {
        locked {
            let newPhase = lastProgress?.phase != report.phase
            lastProgress = report
            redraw(force: newPhase)
        }
    }

    func cellFinished(_ outcome: CellOutcome, cancelled: Bool) {
        locked {
            let started = runningCell != nil
            runningCell = nil
            lastProgress = nil
            status.clear()
            // A cell `lesson run` took from the cache never started here: count it now.
            if outcome.fromCache, !started, outcome.startedAt != nil { executionCount += 1 }
            let number: Int? = outcome.startedAt == nil ? nil : executionCount
            if transcript {
                if !textEndsLine { emit("\n") }
                textEndsLine = true
                if outcome.startedAt == nil || (outcome.fromCache && !started) {
                    emit(Transcript.cellHeader(outcome.cell, number: number, total: total) + "\n")
                }
                let ending = Transcript.outcome(outcome, number: number, cancelled: cancelled,
                                                includingPieces: outcome.fromCache)
                if !ending.isEmpty { emit(ending) }
            } else {
                emit(compactLine(outcome) + "\n")
                if !outcome.renderedDiagnostics.isEmpty, outcome.cell.options.error != .expected
                    || outcome.status == .missingExpectedError {
                    emit(outcome.renderedDiagnostics.joined(separator: "\n") + "\n")
                }
                for check in outcome.failedChecks {
                    emit("\(check.line):\(check.column): \(check.summary)\n")
                }
            }
        }
    }

    /// Clears the status line before the final summary.
    func finish() {
        locked { status.clear() }
    }

    /// Prints text between cells (prose, prompts) without disturbing the status line.
    func show(_ text: String) {
        locked { emit(text) }
    }

    private func compactLine(_ outcome: CellOutcome) -> String {
        let mark: String
        switch outcome.status {
        case .ran: mark = outcome.failedChecks.isEmpty ? "ok  " : "FAIL"
        case .expectedFailure: mark = "ok  "
        case .failed: mark = outcome.cell.options.error == .allow ? "err " : "FAIL"
        case .missingExpectedError: mark = "FAIL"
        case .skipped: mark = "skip"
        case .notRun: mark = "--  "
        }
        var line = "\(mark) [\(outcome.cell.index)/\(total)]"
        if let label = outcome.cell.options.label { line += " \(label)" }
        if outcome.startedAt != nil { line += "  " + Self.seconds(outcome.duration) }
        if case .expectedFailure = outcome.status { line += "  (raised its expected error)" }
        if outcome.fromCache { line += "  (from the cache)" }
        return line
    }

    private func redraw(force: Bool) {
        guard status.isEnabled, let cell = runningCell else { return }
        let now = Date()
        guard force || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        var line = "cell \(cell.index)/\(total)"
        if let label = cell.options.label { line += " \(label)" }
        if let report = lastProgress { line += "  " + Self.bar(report) }
        status.show(line)
    }

    /// `Epoch 2/15 train [#####-------] 312/2323  ppl 180.2  10532 wps  ETA 3:07`.
    static func bar(_ report: ProgressReport, width: Int = 20) -> String {
        "\(report.phase) " + ProgressBar.bar(fraction: report.fraction, width: width) + " " + ProgressText.figures(report)
    }

    /// `0.4 s`, `12.3 s`, `3 min 05 s`.
    static func seconds(_ value: TimeInterval) -> String {
        if value < 60 { return String(format: "%.1f s", value) }
        let total = Int(value.rounded())
        return total < 3600 ? String(format: "%d min %02d s", total / 60, total % 60)
            : String(format: "%d h %02d min", total / 3600, (total % 3600) / 60)
    }

    private func emit(_ text: String) {
        status.clear()
        FileHandle.standardOutput.write(Data(text.utf8))
        redraw(force: true)
    }

    private func locked(_ body: () -> Void) {
        lock.lock()
        defer { lock.unlock() }
        body()
    }
}
