import Foundation

/// The JSON header of a safetensors file, checked entry by entry.
///
///     {"embedding": {"dtype": "F32", "shape": [10000, 200], "data_offsets": [0, 8000000]},
///      ...,
///      "__metadata__": {"epoch": "15"}}
///
/// Offsets count bytes from the start of the data section (just after the header).
/// The checks follow the reference implementation (huggingface/safetensors): the
/// tensors, sorted by offset, must tile the data section exactly, with no overlap,
/// no gap and no trailing bytes.
struct SafeTensorsHeader {
    /// One tensor's entry.
    struct Entry: Equatable {
        var name: String
        var shape: [Int]
        /// Byte range inside the data section.
        var begin: Int
        var end: Int
    }

    /// Tensors in data order (by offset, then name).
    var entries: [Entry]
    var metadata: [String: String]

    /// The key that holds free-form string metadata instead of a tensor.
    static let metadataKey = "__metadata__"
    /// The largest header accepted, as in the reference implementation (100 MB).
    static let maxLength = 100_000_000
    /// The only dtype this engine stores; `Tensor` is Float32.
    static let dtype = "F32"

    // MARK: Reading

    /// Parses and checks the header bytes.
    /// - Parameters:
    ///   - bytes: the header, between the length prefix and the data.
    ///   - dataLength: bytes after the header, which the tensors must tile exactly.
    ///   - path: the file, for error messages.
    /// - Throws: `EngineError.checkpointHeaderInvalid`, `.checkpointEntryInvalid`,
    ///   `.checkpointUnsupportedDType`, `.checkpointSizeMismatch`, `.checkpointOffsetsInvalid`,
    ///   `.checkpointTrailingBytes`, `.checkpointMetadataInvalid`.
    static func parse(_ bytes: UnsafeRawBufferPointer, dataLength: Int, path: String) throws -> SafeTensorsHeader {
        guard bytes.first == UInt8(ascii: "{") else {
            throw EngineError.checkpointHeaderInvalid(path: path, detail: "it does not start with '{'")
        }
        guard String(validating: bytes.bindMemory(to: UInt8.self), as: UTF8.self) != nil else {
            throw EngineError.checkpointHeaderInvalid(path: path, detail: "it is not UTF-8 text")
        }
        let object: [String: JSONValue]
        do {
            object = try JSONDecoder().decode([String: JSONValue].self, from: Data(bytes))
        } catch DecodingError.typeMismatch {
            throw EngineError.checkpointHeaderInvalid(path: path, detail: "it is JSON but not an object")
        } catch {
            throw EngineError.checkpointHeaderInvalid(path: path, detail: "it is not valid JSON")
        }

        var entries: [Entry] = []
        var metadata: [String: String] = [:]
        // In name order, so that of several damaged entries the same one is always reported.
        let names = object.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for name in names {
            guard let value = object[name] else { continue }
            if name == metadataKey {
                metadata = try parseMetadata(value, path: path)
            } else {
                entries.append(try parseEntry(name: name, value, path: path))
            }
        }
        entries.sort { a, b in
            if a.begin != b.begin { return a.begin < b.begin }
            if a.end != b.end { return a.end < b.end }
            return a.name.utf8.lexicographicallyPrecedes(b.name.utf8)
        }
        try checkTiling(entries, dataLength: dataLength, path: path)
        return SafeTensorsHeader(entries: entries, metadata: metadata)
    }

    private static func parseMetadata(_ value: JSONValue, path: String) throws -> [String: String] {
        guard case .object(let fields) = value else {
            throw EngineError.checkpointMetadataInvalid(path: path, detail: "it is \(value.kind)")
        }
        var metadata: [String: String] = [:]
        for (key, field) in fields {
            guard case .string(let text) = field else {
                throw EngineError.checkpointMetadataInvalid(path: path, detail: "'\(key)' is \(field.kind)")
            }
            metadata[key] = text
        }
        return metadata
    }

    private static func parseEntry(name: String, _ value: JSONValue, path: String) throws -> Entry {
        func invalid(_ detail: String) -> EngineError {
            EngineError.checkpointEntryInvalid(path: path, tensor: name, detail: detail)
        }
        guard case .object(let fields) = value else { throw invalid("it is \(value.kind), not an object") }
        guard let dtypeValue = fields["dtype"] else { throw invalid("it has no \"dtype\"") }
        guard case .string(let dtype) = dtypeValue else { throw invalid("\"dtype\" is \(dtypeValue.kind), not a string") }
        let shape = try naturals(fields["shape"], field: "shape", invalid: invalid)
        let offsets = try naturals(fields["data_offsets"], field: "data_offsets", invalid: invalid)
        guard offsets.count == 2 else { throw invalid("\"data_offsets\" has \(offsets.count) numbers, not 2") }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin <= end else {
            throw EngineError.checkpointOffsetsInvalid(
                path: path, tensor: name, begin: begin, end: end, detail: "end before they begin")
        }
        guard dtype == Self.dtype else {
            throw EngineError.checkpointUnsupportedDType(path: path, tensor: name, dtype: dtype)
        }
        guard let byteCount = byteCount(of: shape), byteCount == end - begin else {
            throw EngineError.checkpointSizeMismatch(path: path, tensor: name, shape: shape, byteCount: end - begin)
        }
        return Entry(name: name, shape: shape, begin: begin, end: end)
    }

    /// A JSON array of non-negative integers.
    private static func naturals(
        _ value: JSONValue?, field: String, invalid: (String) -> EngineError
    ) throws -> [Int] {
        guard let value else { throw invalid("it has no \"\(field)\"") }
        guard case .array(let items) = value else { throw invalid("\"\(field)\" is \(value.kind), not an array") }
        return try items.map { item in
            guard case .integer(let number) = item, number >= 0 else {
                let shown = if case .integer(let number) = item { String(number) } else { item.kind }
                throw invalid("\"\(field)\" holds \(shown), but only non-negative integers are allowed")
            }
            return number
        }
    }

    /// Bytes of a Float32 tensor of `shape`, or nil if that overflows `Int`.
    static func byteCount(of shape: [Int]) -> Int? {
        var total = MemoryLayout<Float>.size
        for extent in shape {
            let (product, overflow) = total.multipliedReportingOverflow(by: extent)
            guard !overflow else { return nil }
            total = product
        }
        return total
    }

    /// The sorted entries must cover `0..<dataLength` back to back.
    private static func checkTiling(_ entries: [Entry], dataLength: Int, path: String) throws {
        var covered = 0
        var previous: String?
        for entry in entries {
            func invalid(_ detail: String) -> EngineError {
                EngineError.checkpointOffsetsInvalid(
                    path: path, tensor: entry.name, begin: entry.begin, end: entry.end, detail: detail)
            }
            guard entry.end <= dataLength else {
                throw invalid("run past the end of the data section (\(dataLength) bytes)")
            }
            if entry.begin < covered, let previous {
                throw invalid("overlap tensor '\(previous)' (which ends at \(covered))")
            }
            if entry.begin > covered {
                throw invalid("leave bytes \(covered)..<\(entry.begin) of the data section unused")
            }
            covered = entry.end
            previous = entry.name
        }
        guard covered == dataLength else {
            throw EngineError.checkpointTrailingBytes(path: path, expected: covered, actual: dataLength)
        }
    }

    // MARK: Writing

    /// The header as JSON bytes, padded with spaces to a multiple of 8 so the data
    /// that follows is aligned (as the reference writer does).
    func encoded() throws -> [UInt8] {
        var object: [String: HeaderValue] = [:]
        for entry in entries {
            object[entry.name] = .tensor(dtype: Self.dtype, shape: entry.shape, offsets: [entry.begin, entry.end])
        }
        if !metadata.isEmpty {
            object[Self.metadataKey] = .metadata(metadata)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var bytes = [UInt8](try encoder.encode(object))
        let padding = (8 - bytes.count % 8) % 8
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: padding))
        return bytes
    }

    /// What one header key maps to when writing.
    private enum HeaderValue: Encodable {
        case tensor(dtype: String, shape: [Int], offsets: [Int])
        case metadata([String: String])

        private enum Keys: String, CodingKey {
            case dtype, shape
            case dataOffsets = "data_offsets"
        }

        func encode(to encoder: Encoder) throws {
            switch self {
            case .tensor(let dtype, let shape, let offsets):
                var container = encoder.container(keyedBy: Keys.self)
                try container.encode(dtype, forKey: .dtype)
                try container.encode(shape, forKey: .shape)
                try container.encode(offsets, forKey: .dataOffsets)
            case .metadata(let fields):
                var container = encoder.singleValueContainer()
                try container.encode(fields)
            }
        }
    }
}
