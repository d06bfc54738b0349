import CellScript
import Foundation

extension CellOutcome {
    /// This outcome as if `cell` had produced it where `cell` sits in the file `source`.
    ///
    /// Every diagnostic moves by the lines between the two cells' first code lines and every
    /// check by the lines between their fences (checks are option lines, above the code), and the
    /// diagnostics are rendered again against `file` and `source`. The cache uses it for a cell
    /// that moved since it ran.
    /// - Parameters:
    ///   - cell: the cell the outcome now belongs to.
    ///   - file: the name messages show.
    ///   - source: that file's whole text, for the quoted line under each message.
    public func relocated(to cell: Cell, file: String, source: String) -> CellOutcome {
        let shift = cell.firstLine - self.cell.firstLine
        let checkShift = cell.fenceLine - self.cell.fenceLine
        var relocated = self
        relocated.cell = cell
        relocated.checks = checks.map { check in
            var moved = check
            moved.line += checkShift
            return moved
        }
        switch status {
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
        moved.notes = diagnostic.notes.map { movedNote($0, by: lines) }
        return moved
    }

    /// A syntax note ends with where it points, `(at LINE:COLUMN)` (see `CellParser`); that
    /// place moves with the cell too.
    private static func movedNote(_ note: String, by lines: Int) -> String {
        guard lines != 0, note.hasSuffix(")"), let open = note.range(of: " (at ", options: .backwards) else {
            return note
        }
        let place = note[open.upperBound..<note.index(before: note.endIndex)].split(separator: ":")
        guard place.count == 2, let line = Int(place[0]), let column = Int(place[1]) else { return note }
        return String(note[..<open.lowerBound]) + " (at \(line + lines):\(column))"
    }
}

extension CachedCell {
    /// The stored outcome as if `cell` had produced it where it now sits in the notebook.
    ///
    /// Keys leave out positions, so prose edited above a cell keeps its entry while the cell
    /// moves: this swaps in the current `cell` and moves and re-renders its diagnostics.
    /// - Parameters:
    ///   - cell: the notebook's cell for this entry's key, as parsed now.
    ///   - file: the notebook's name as messages show it (the executor's `fileName`).
    ///   - source: the notebook file's whole text, for the quoted line under each message.
    public func outcome(for cell: Cell, file: String, source: String) -> CellOutcome {
        outcome.relocated(to: cell, file: file, source: source)
    }
}
