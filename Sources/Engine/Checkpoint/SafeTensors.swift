import Foundation
import Tensor

// File layout (all integers little-endian):
//   [0, 8)          N, the header length, as UInt64
//   [8, 8+N)        the JSON header (see SafeTensorsHeader), space-padded to a multiple of 8
//   [8+N, end)      the data section: each tensor's Float32 scalars, row-major, back to back

/// Checkpoints in the safetensors format, readable by Python's `safetensors` package
/// (`safetensors.numpy.load_file`) and by PyTorch, JAX and MLX.
///
/// Only Float32 tensors (dtype `F32`) are stored: `Tensor` holds nothing else.
/// Reading checks every field and every byte range before touching the data, so a
/// damaged or hostile file gives an error naming it, never a crash.
public enum SafeTensors {
    /// What a checkpoint holds: tensors by name, the names in file order, and metadata.
    public typealias Contents = (tensors: [String: Tensor], order: [String], metadata: [String: String])

    /// Writes `tensors` (in the given order) and `metadata` to `url`.
    ///
    /// The file is written whole to a temporary file in the same directory and then
    /// renamed over `url`, so a failure never leaves a half-written checkpoint.
    /// - Throws: `EngineError.checkpointNameInvalid` for an empty, duplicate or reserved
    ///   (`__metadata__`) name; `EngineError.fileUnwritable` naming `url`.
    public static func write(
        _ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:], to url: URL
    ) throws {
        try FileAccess.writeAtomically(try encode(tensors, metadata: metadata), to: url)
    }

    /// Reads the checkpoint at `url`.
    /// - Returns: the tensors by name, their names in data order, and the `__metadata__` strings.
    /// - Throws: `EngineError.fileMissing` / `.fileUnreadable`, or one of the `checkpoint...`
    ///   cases naming `url` and what is wrong with it.
    public static func read(from url: URL) throws -> Contents {
        try decode(try FileAccess.read(url), path: url.path)
    }

    /// The bytes of a checkpoint file holding `tensors` and `metadata`.
    /// - Throws: `EngineError.checkpointNameInvalid` for an empty, duplicate or reserved name.
    public static func encode(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:]) throws -> Data {
        var entries: [SafeTensorsHeader.Entry] = []
        var names = Set<String>()
        var offset = 0
        for (name, tensor) in tensors {
            guard !name.isEmpty else {
                throw EngineError.checkpointNameInvalid(name: name, detail: "names must not be empty")
            }
            guard name != SafeTensorsHeader.metadataKey else {
                throw EngineError.checkpointNameInvalid(name: name, detail: "the format reserves it for metadata")
            }
            guard names.insert(name).inserted else {
                throw EngineError.checkpointNameInvalid(name: name, detail: "another tensor already has that name")
            }
            let byteCount = tensor.count * MemoryLayout<Float>.size
            entries.append(.init(name: name, shape: tensor.shape, begin: offset, end: offset + byteCount))
            offset += byteCount
        }
        let header = try SafeTensorsHeader(entries: entries, metadata: metadata).encoded()

        var data = Data(capacity: 8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: header)
        for (_, tensor) in tensors {
            appendLittleEndian(tensor.scalars, to: &data)
        }
        return data
    }

    /// Parses the bytes of a checkpoint file; `path` names it in errors.
    /// - Throws: `EngineError.checkpointTooShort`, `.checkpointHeaderTooLarge` and the
    ///   header checks of `SafeTensorsHeader.parse`.
    public static func decode(_ data: Data, path: String) throws -> Contents {
        try data.withUnsafeBytes { bytes in
            guard bytes.count >= 8 else {
                throw EngineError.checkpointTooShort(path: path, byteCount: bytes.count)
            }
            let headerLength = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
            guard headerLength <= UInt64(SafeTensorsHeader.maxLength), headerLength <= UInt64(bytes.count - 8) else {
                throw EngineError.checkpointHeaderTooLarge(path: path, headerLength: headerLength, fileSize: bytes.count)
            }
            let dataStart = 8 + Int(headerLength)
            let header = try SafeTensorsHeader.parse(
                UnsafeRawBufferPointer(rebasing: bytes[8..<dataStart]),
                dataLength: bytes.count - dataStart, path: path)

            var tensors: [String: Tensor] = [:]
            var order: [String] = []
            for entry in header.entries {
                let span = UnsafeRawBufferPointer(rebasing: bytes[(dataStart + entry.begin)..<(dataStart + entry.end)])
                let tensor: Tensor
                do {
                    tensor = try Tensor(shape: entry.shape, scalars: floats(fromLittleEndian: span))
                } catch {
                    throw EngineError.checkpointEntryInvalid(path: path, tensor: entry.name, detail: "\(error)")
                }
                guard tensors.updateValue(tensor, forKey: entry.name) == nil else {
                    throw EngineError.checkpointEntryInvalid(
                        path: path, tensor: entry.name, detail: "the name appears twice")
                }
                order.append(entry.name)
            }
            return (tensors, order, header.metadata)
        }
    }

    private static func appendLittleEndian(_ scalars: [Float], to data: inout Data) {
        #if _endian(little)
        scalars.withUnsafeBytes { data.append(contentsOf: $0) }
        #else
        for scalar in scalars {
            withUnsafeBytes(of: scalar.bitPattern.littleEndian) { data.append(contentsOf: $0) }
        }
        #endif
    }

    /// Float32 values from little-endian bytes; `bytes.count` is a multiple of 4.
    private static func floats(fromLittleEndian bytes: UnsafeRawBufferPointer) -> [Float] {
        let count = bytes.count / MemoryLayout<Float>.size
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count {
                let bits = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))
                buffer[i] = Float(bitPattern: bits)
            }
            initialized = count
        }
    }
}
