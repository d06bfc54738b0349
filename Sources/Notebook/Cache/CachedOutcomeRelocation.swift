import CellScript
import Foundation

extension CachedCell {
    /// The stored outcome as if `cell` had produced it where it now sits in the notebook.
    ///
    /// Keys leave out positions, so prose edited above a cell keeps its entry while the cell
    /// moves: this swaps in the current `cell`, shifts every diagnostic by the lines the cell
    /// moved, and renders the diagnostics again against the current file.
    /// - Parameters:
    ///   - cell: the notebook's cell for this entry's key, as parsed now.
    ///   - file: the notebook's name as messages show it (the executor's `fileName`).
    ///   - source: the notebook file's whole text, for the quoted line under each message.
    public func outcome(for cell: Cell, file: String, source: String) -> CellOutcome {
        let shift = cell.firstLine - outcome.cell.firstLine
        var relocated = outcome
        relocated.cell = cell
        switch outcome.status {
        case .failed(let diagnostics):
            let moved = diagnostics.map { Self.moved($0, by: shift) }
            relocated.status = .failed(moved)
            relocated.renderedDiagnostics = moved.map { $0.rendered(file: file, source: source) }
        case .expectedFailure(let diagnostics):
            let moved = diagnostics.map { Self.moved($0, by: shift) }
            relocated.status = .expectedFailure(moved)
            relocated.renderedDiagnostics = moved.map { $0.rendered(file: file, source: source) }
        case .missingExpectedError:
            let diagnostic = NotebookExecutor.missingExpectedErrorDiagnostic(cell)
            relocated.renderedDiagnostics = [diagnostic.rendered(file: file, source: source)]
        case .ran, .skipped, .notRun:
            break
        }
        return relocated
    }

    private static func moved(_ diagnostic: CellDiagnostic, by lines: Int) -> CellDiagnostic {
        var moved = diagnostic
        if let location = diagnostic.location {
            moved.location = SourceLocation(line: location.line + lines, column: location.column)
        }
        return moved
    }
}
