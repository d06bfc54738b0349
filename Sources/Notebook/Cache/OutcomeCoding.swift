import CellScript
import Foundation

// A cell's outcome in the cache's byte format: the cell, its status with diagnostics, its
// output and pieces, the displayed value, rendered diagnostics, timing and check results. Enum cases are a
// one-byte tag; a tag the reader does not know makes the entry invalid.

extension BinaryWriter {
    mutating func outcome(_ outcome: CellOutcome) {
        cell(outcome.cell)
        status(outcome.status)
        string(outcome.output)
        array(outcome.pieces) { $0.piece($1) }
        optional(outcome.displayedValue) { $0.string($1) }
        array(outcome.renderedDiagnostics) { $0.string($1) }
        optional(outcome.startedAt) { $0.double($1.timeIntervalSince1970) }
        double(outcome.duration)
        array(outcome.checks) { writer, check in
            writer.string(check.expression)
            writer.int(check.line)
            writer.int(check.column)
            writer.bool(check.passed)
            writer.optional(check.message) { $0.string($1) }
        }
        optional(outcome.dataFlow) { writer, flow in
            writer.array(flow.reads.sorted()) { $0.string($1) }
            writer.array(flow.writes.sorted()) { $0.string($1) }
        }
    }

    mutating func status(_ status: CellStatus) {
        switch status {
        case .ran: uint8(0)
        case .failed(let diagnostics):
            uint8(1)
            array(diagnostics) { $0.diagnostic($1) }
        case .expectedFailure(let diagnostics):
            uint8(2)
            array(diagnostics) { $0.diagnostic($1) }
        case .missingExpectedError: uint8(3)
        case .skipped: uint8(4)
        case .notRun: uint8(5)
        }
    }

    mutating func diagnostic(_ diagnostic: CellDiagnostic) {
        switch diagnostic.phase {
        case .syntax: uint8(0)
        case .unsupported: uint8(1)
        case .runtime: uint8(2)
        case .interrupted: uint8(3)
        case .call: uint8(4)
        }
        string(diagnostic.message)
        optional(diagnostic.location) { writer, location in
            writer.int(location.line)
            writer.int(location.column)
        }
        array(diagnostic.notes) { $0.string($1) }
    }
}

extension BinaryReader {
    mutating func outcome() throws(CacheFormatError) -> CellOutcome {
        let cell = try cell()
        let status = try status()
        let output = try string()
        let pieces = try array { reader throws(CacheFormatError) in try reader.piece() }
        let displayedValue = try optional { reader throws(CacheFormatError) in try reader.string() }
        let rendered = try array { reader throws(CacheFormatError) in try reader.string() }
        let startedAt = try optional { reader throws(CacheFormatError) in
            Date(timeIntervalSince1970: try reader.double())
        }
        let duration = try double()
        var outcome = CellOutcome(cell: cell, status: status, output: output, pieces: pieces,
                                  displayedValue: displayedValue, renderedDiagnostics: rendered, startedAt: startedAt,
                                  duration: duration)
        outcome.checks = try array { reader throws(CacheFormatError) in
            CheckResult(expression: try reader.string(), line: try reader.int(), column: try reader.int(),
                        passed: try reader.bool(),
                        message: try reader.optional { reader throws(CacheFormatError) in try reader.string() })
        }
        outcome.dataFlow = try optional { reader throws(CacheFormatError) in
            CellDataFlow(reads: Set(try reader.array { reader throws(CacheFormatError) in try reader.string() }),
                         writes: Set(try reader.array { reader throws(CacheFormatError) in try reader.string() }))
        }
        return outcome
    }

    mutating func status() throws(CacheFormatError) -> CellStatus {
        switch try tag(below: 6, of: "cell status") {
        case 0: return .ran
        case 1: return .failed(try array { reader throws(CacheFormatError) in try reader.diagnostic() })
        case 2: return .expectedFailure(try array { reader throws(CacheFormatError) in try reader.diagnostic() })
        case 3: return .missingExpectedError
        case 4: return .skipped
        default: return .notRun
        }
    }

    mutating func diagnostic() throws(CacheFormatError) -> CellDiagnostic {
        let phase: CellDiagnostic.Phase
        switch try tag(below: 5, of: "diagnostic phase") {
        case 0: phase = .syntax
        case 1: phase = .unsupported
        case 2: phase = .runtime
        case 3: phase = .interrupted
        default: phase = .call
        }
        let message = try string()
        let location = try optional { reader throws(CacheFormatError) in
            SourceLocation(line: try reader.int(), column: try reader.int())
        }
        let notes = try array { reader throws(CacheFormatError) in try reader.string() }
        return CellDiagnostic(phase, message, at: location, notes: notes)
    }
}
