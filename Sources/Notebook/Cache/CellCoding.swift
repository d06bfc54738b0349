import Foundation

// A cell and its options in the cache's byte format. The key preimage and the stored
// outcome share `cellOptions`, so "every option, in a fixed order" is written in one place.

extension BinaryWriter {
    mutating func cell(_ cell: Cell) {
        string(cell.source)
        cellOptions(cell.options, withLines: true)
        int(cell.firstLine)
        int(cell.fenceLine)
        int(cell.index)
        string(cell.info)
    }

    /// Every option in a fixed order. The key (`withLines: false`) leaves out the lines of checks
    /// and unknown options, which move when prose above the cell changes, and `slide`, which only
    /// cuts the served page into slides: adding a slide break must not retrain a lesson.
    mutating func cellOptions(_ options: CellOptions, withLines: Bool) {
        optional(options.label) { $0.string($1) }
        bool(options.echo)
        bool(options.eval)
        bool(options.output)
        string(options.error.rawValue)
        optional(options.timeoutSeconds) { $0.double($1) }
        bool(options.solution)
        optional(options.exercise) { $0.int($1) }
        if withLines { bool(options.slide) }
        array(options.checks) { writer, check in
            writer.string(check.expression)
            if withLines {
                writer.int(check.line)
                writer.int(check.column)
            }
        }
        array(options.unknown) { writer, option in
            writer.string(option.key)
            writer.string(option.value)
            if withLines { writer.int(option.line) }
        }
    }
}

extension BinaryReader {
    mutating func cell() throws(CacheFormatError) -> Cell {
        let source = try string()
        let options = try cellOptions()
        let firstLine = try int()
        let fenceLine = try int()
        let index = try int()
        let info = try string()
        return Cell(source: source, options: options, firstLine: firstLine, fenceLine: fenceLine, index: index,
                    info: info)
    }

    mutating func cellOptions() throws(CacheFormatError) -> CellOptions {
        var options = CellOptions()
        options.label = try optional { reader throws(CacheFormatError) in try reader.string() }
        options.echo = try bool()
        options.eval = try bool()
        options.output = try bool()
        let policy = try string()
        guard let error = CellOptions.ErrorPolicy(rawValue: policy) else {
            throw CacheFormatError("unknown error policy \"\(policy)\"")
        }
        options.error = error
        options.timeoutSeconds = try optional { reader throws(CacheFormatError) in try reader.double() }
        options.solution = try bool()
        options.exercise = try optional { reader throws(CacheFormatError) in try reader.int() }
        options.slide = try bool()
        options.checks = try array { reader throws(CacheFormatError) in
            CellCheck(expression: try reader.string(), line: try reader.int(), column: try reader.int())
        }
        options.unknown = try array { reader throws(CacheFormatError) in
            let key = try reader.string()
            let value = try reader.string()
            let line = try reader.int()
            return CellOptions.UnknownOption(key: key, value: value, line: line)
        }
        return options
    }
}
