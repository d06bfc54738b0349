/// A move through a lesson's cells, the same whether a student types it at `lesson step`'s
/// prompt or a presenter's page sends it to `lesson serve`. Cells are numbered from 0.
/// `NotebookStepper.refusal(for:)` says when one cannot be made, `perform(_:)` makes it.
public enum StepCommand: Equatable, Sendable {
    /// Run the current cell and move on.
    case run
    /// Move on without running the current cell.
    case skip
    /// Run the previous cell again, from the session as it was before it.
    case rerun
    /// Go back one cell; the session returns to how it was before that cell.
    case back
    /// Back to the first cell, with the session as it was before any cell ran.
    case reset
    /// Stand before cell N (`cells.count`: after the last): backwards by restoring the session,
    /// forwards by running the cells in between (not `eval: false` ones), stopping at a failure.
    case goTo(Int)
    /// Run every cell up to and including cell N: `goTo(N)`, then `run`.
    case runTo(Int)
    /// Run cell N (one already passed) again now, in the session as it stands, without
    /// going back: the later cells that read what it changed are marked stale.
    case runAgain(Int)
    /// Run every stale cell again, in order, until none is left.
    case runStale
}

/// A command for the room `lesson serve` shares: a move through the cells, or one of the
/// presenter's own (stop the running cell, change slide, reveal a solution).
public enum RoomCommand: Equatable, Sendable {
    case step(StepCommand)
    /// Stop the running cell; it fails with an "interrupted" error and the session goes on.
    case interrupt
    /// Show this slide (0-based) to everyone following.
    case slide(Int)
    /// Show a hidden solution (0-based cell) to everyone: its code, and its outputs from now on.
    case reveal(Int)
    /// Run `code` in place of the cell's own code from now on (nil: the lesson's code again).
    /// It takes effect when the cell next runs (`run`, `runAgain`).
    case edit(Int, code: String?)
}

/// Why a command was not carried out. Numbers are quoted as they were sent (they may come
/// from the network), and nothing does arithmetic on them that could overflow.
public enum StepRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// `run` or `skip` past the last cell.
    case atEnd
    /// `back` at the first cell.
    case atStart
    /// `rerun` before any cell ran.
    case nothingRan
    /// `runAgain` of a cell the stepper has not reached yet.
    case notReached(Int)
    /// `runStale` with no stale cell.
    case nothingStale
    /// A cell number the lesson does not have.
    case noSuchCell(Int, cellCount: Int)
    /// A slide number the page does not have.
    case noSuchSlide(Int, slideCount: Int)
    /// `reveal` of a cell that is not a hidden solution.
    case notHidden(Int)
    /// Another command is still running.
    case busy
    /// `interrupt` with nothing running.
    case nothingRunning
    /// The room has closed (the server is stopping).
    case closed
    /// Going back before the cell a fork started at: the session before it is the class's.
    case beforeStart(Int)
    /// Edited code longer than a cell may be.
    case tooLong(Int, limit: Int)
    /// The session cannot be saved for a fork (it holds something the state format cannot carry).
    case unsaveable(String)
    /// `run` of an exercise a student has not answered (its solution is not theirs to run).
    case unanswered(Int)

    /// What kind of problem it is: the server answers with a status that says so.
    public enum Kind: Sendable {
        /// The command names something the lesson does not have (HTTP 400).
        case badRequest
        /// The command does not fit the room's state now (HTTP 409).
        case conflict
        /// The room is gone (HTTP 503).
        case unavailable
    }

    public var kind: Kind {
        switch self {
        case .noSuchCell, .noSuchSlide, .notHidden, .tooLong: return .badRequest
        case .unsaveable: return .conflict
        case .atEnd, .atStart, .nothingRan, .notReached, .nothingStale, .busy, .nothingRunning, .beforeStart, .unanswered:
            return .conflict
        case .closed: return .unavailable
        }
    }

    public var description: String {
        switch self {
        case .atEnd: return "The lesson is over: go back or reset."
        case .atStart: return "Already at the first cell."
        case .nothingRan: return "No cell has run yet."
        case .notReached(let index): return "Cell \(index) has not been reached yet: only cells before the current one run again."
        case .nothingStale: return "No cell is stale."
        case .noSuchCell(let index, let count):
            let range = count <= 0 ? "this lesson has no cells" : "cells are numbered 0 to \(count - 1)"
            return "There is no cell \(index): \(range)."
        case .noSuchSlide(let index, let count):
            return "There is no slide \(index): slides are numbered 0 to \(max(count, 1) - 1)."
        case .notHidden(let index): return "Cell \(index) is not a hidden solution."
        case .busy: return "A cell is running: wait for it, or stop it first."
        case .nothingRunning: return "No cell is running."
        case .closed: return "The lesson server is stopping."
        case .beforeStart(let index):
            return "Your copy of the session starts at cell \(index): it cannot go back before it (follow the class again to see the rest)."
        case .unsaveable(let reason):
            return "The session cannot be copied for a fork now: \(reason)"
        case .unanswered(let index):
            return "Cell \(index + 1) is an exercise with no answer yet: write one first, or move on without it."
        case .tooLong(let length, let limit):
            return "The edited code is \(length) bytes; a cell may have at most \(limit)."
        }
    }
}
