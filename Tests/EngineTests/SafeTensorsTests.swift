import Engine
import Foundation
import Tensor
import TestSupport
import Testing

/// Checkpoints against Python's `safetensors` package (the format's reference
/// implementation) in both directions, and against damaged files.
@Suite("safetensors checkpoints")
struct SafeTensorsTests {
    /// Tensors covering the awkward cases: a scalar, an empty tensor, signed zero,
    /// infinities, a subnormal and a NaN with a payload (compared by bit pattern).
    static let sample: [(name: String, tensor: Tensor)] = {
        func tensor(_ shape: [Int], _ scalars: [Float]) -> Tensor {
            do { return try Tensor(shape: shape, scalars: scalars) } catch { fatalError("\(error)") }
        }
        let special: [Float] = [-0.0, .infinity, -.infinity, .leastNonzeroMagnitude, Float(bitPattern: 0x7FC0_1234), 1.5]
        return [
            ("embedding", tensor([3, 4], (0..<12).map { Float($0) * 0.25 - 1 })),
            ("cell_0/bias", tensor([6], special)),
            ("scalar", tensor([], [3.25])),
            ("empty", tensor([2, 0], [])),
            ("softmax_w", tensor([2, 1, 3], [1e-20, 2e20, -3, 4, 5, 6])),
        ]
    }()

    static let metadata = ["epoch": "15", "format": "lesson", "note": "perplexité 118.0"]

    // MARK: Round trips

    @Test("round trip keeps names, order, shapes, bits and metadata")
    func roundTrip() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.url.appendingPathComponent("model.safetensors")
        try SafeTensors.write(Self.sample, metadata: Self.metadata, to: url)
        let contents = try SafeTensors.read(from: url)
        #expect(contents.order == Self.sample.map(\.name))
        #expect(contents.metadata == Self.metadata)
        for (name, tensor) in Self.sample {
            let read = try #require(contents.tensors[name])
            #expect(read.shape == tensor.shape, "\(name) shape")
            #expect(read.scalars.map(\.bitPattern) == tensor.scalars.map(\.bitPattern), "\(name) bits")
        }
        // Overwriting replaces the file and leaves no temporary file behind.
        try SafeTensors.write([("only", Tensor([1, 2]))], to: url)
        #expect(try SafeTensors.read(from: url).order == ["only"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["model.safetensors"])
    }

    @Test("the header is space-padded so the data starts at a multiple of 8")
    func headerAlignment() throws {
        let data = try SafeTensors.encode(Self.sample, metadata: Self.metadata)
        let headerLength = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(headerLength % 8 == 0)
        #expect(data.count == 8 + headerLength + Self.sample.reduce(0) { $0 + 4 * $1.tensor.count })
    }

    private struct PythonTensor: Decodable {
        let dtype: String
        let shape: [Int]
        let bits: [UInt32]
    }

    private struct PythonFile: Decodable {
        let tensors: [String: PythonTensor]
        let metadata: [String: String]?
    }

    @Test("Python's safetensors reads our file")
    func pythonReadsOurs() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.url.appendingPathComponent("ours.safetensors")
        try SafeTensors.write(Self.sample, metadata: Self.metadata, to: url)
        let output = try Python.run("""
            import json, numpy as np
            from safetensors import safe_open
            from safetensors.numpy import load_file
            path = \(PTBReference.literal(url.path))
            tensors = load_file(path)
            with safe_open(path, framework="numpy") as f:
                metadata = f.metadata()
            print(json.dumps({"metadata": metadata, "tensors": {name: {"dtype": str(t.dtype), "shape": list(t.shape),
                "bits": t.view(np.uint32).ravel().tolist()} for name, t in tensors.items()}}))
            """)
        let python = try JSONDecoder().decode(PythonFile.self, from: Data(output.utf8))
        #expect(python.metadata == Self.metadata)
        #expect(Set(python.tensors.keys) == Set(Self.sample.map(\.name)))
        for (name, tensor) in Self.sample {
            let read = try #require(python.tensors[name])
            #expect(read.dtype == "float32")
            #expect(read.shape == tensor.shape, "\(name) shape")
            #expect(read.bits == tensor.scalars.map(\.bitPattern), "\(name) bits")
        }
    }

    @Test("we read a file written by Python's safetensors")
    func weReadPythons() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.url.appendingPathComponent("python.safetensors")
        let output = try Python.run("""
            import json, numpy as np
            from safetensors.numpy import save_file
            rng = np.random.default_rng(7)
            tensors = {"b": rng.standard_normal((3, 5)).astype(np.float32),
                       "a": np.array(2.5, dtype=np.float32),
                       "z/long name": rng.standard_normal((2, 2, 2)).astype(np.float32),
                       "nothing": np.zeros((0, 3), dtype=np.float32)}
            save_file(tensors, \(PTBReference.literal(url.path)), metadata={"epoch": "3", "who": "python"})
            print(json.dumps({"metadata": None, "tensors": {name: {"dtype": "F32", "shape": list(t.shape),
                "bits": t.view(np.uint32).ravel().tolist()} for name, t in tensors.items()}}))
            """)
        let python = try JSONDecoder().decode(PythonFile.self, from: Data(output.utf8))
        let contents = try SafeTensors.read(from: url)
        #expect(contents.metadata == ["epoch": "3", "who": "python"])
        #expect(Set(contents.order) == Set(python.tensors.keys))
        #expect(contents.order.count == python.tensors.count)
        for (name, expected) in python.tensors {
            let tensor = try #require(contents.tensors[name])
            #expect(tensor.shape == expected.shape, "\(name) shape")
            #expect(tensor.scalars.map(\.bitPattern) == expected.bits, "\(name) bits")
        }
    }

    @Test("an int32 tensor written by Python is refused by dtype, by name")
    func pythonInt32() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.url.appendingPathComponent("ints.safetensors")
        _ = try Python.run("""
            import numpy as np
            from safetensors.numpy import save_file
            save_file({"ids": np.arange(6, dtype=np.int32)}, \(PTBReference.literal(url.path)))
            """)
        #expect(throws: EngineError.checkpointUnsupportedDType(path: url.path, tensor: "ids", dtype: "I32")) {
            try SafeTensors.read(from: url)
        }
    }

    // MARK: Damaged files

    @Test("every truncation of a checkpoint is an error, never a crash")
    func everyPrefix() throws {
        let data = try SafeTensors.encode(Self.sample, metadata: Self.metadata)
        for length in 0..<data.count {
            let error = #expect(throws: EngineError.self, "prefix of \(length) bytes") {
                try SafeTensors.decode(data.prefix(length), path: "cut.safetensors")
            }
            #expect(error?.description.contains("cut.safetensors") == true)
        }
        #expect(try SafeTensors.decode(data, path: "whole").order.count == Self.sample.count)
    }

    /// A damaged file: its header text (or raw header bytes) and data length.
    struct Damage: CustomTestStringConvertible, Sendable {
        let name: String
        let header: [UInt8]
        var dataBytes = 0
        /// Overrides the header-length field.
        var declaredLength: UInt64?
        /// The `EngineError` case expected.
        let expected: String
        /// Whether Python's safetensors rejects it too (it accepts dtypes we do not read).
        var referenceRejects = true
        var testDescription: String { name }

        init(_ name: String, _ header: String, data: Int = 0, length: UInt64? = nil,
             _ expected: String, referenceRejects: Bool = true) {
            self.init(name, bytes: Array(header.utf8), data: data, length: length, expected,
                      referenceRejects: referenceRejects)
        }

        init(_ name: String, bytes: [UInt8], data: Int = 0, length: UInt64? = nil,
             _ expected: String, referenceRejects: Bool = true) {
            self.name = name
            self.header = bytes
            self.dataBytes = data
            self.declaredLength = length
            self.expected = expected
            self.referenceRejects = referenceRejects
        }

        var file: Data {
            var data = Data()
            withUnsafeBytes(of: (declaredLength ?? UInt64(header.count)).littleEndian) { data.append(contentsOf: $0) }
            data.append(contentsOf: header)
            data.append(contentsOf: [UInt8](repeating: 0, count: dataBytes))
            return data
        }
    }

    /// One header entry as JSON text; fields are spliced in raw so they can be wrong.
    static func entry(
        _ name: String = "a", dtype: String = #""F32""#, shape: String = "[1]", offsets: String = "[0, 4]"
    ) -> String {
        #"{"\#(name)": {"dtype": \#(dtype), "shape": \#(shape), "data_offsets": \#(offsets)}}"#
    }

    /// Several one-entry headers merged into one object.
    static func entries(_ parts: String...) -> String {
        "{" + parts.map { String($0.dropFirst().dropLast()) }.joined(separator: ", ") + "}"
    }

    static let damages: [Damage] = [
        Damage("absurd header length", "{}", length: .max, "checkpointHeaderTooLarge"),
        Damage("header length cuts the JSON short", "{}", length: 1, "checkpointHeaderInvalid"),
        Damage("header length past the end", "{}", length: 10, "checkpointHeaderTooLarge"),
        Damage("empty header", "", "checkpointHeaderInvalid"),
        Damage("not an object", "[1, 2]", "checkpointHeaderInvalid"),
        Damage("invalid JSON", #"{"a": {"dtype": "F32""#, "checkpointHeaderInvalid"),
        Damage("not UTF-8", bytes: Array(#"{"a"#.utf8) + [0xFF] + Array(#"": 1}"#.utf8), "checkpointHeaderInvalid"),
        Damage("deeply nested", "{\"a\": " + String(repeating: "[", count: 100_000), "checkpointHeaderInvalid"),
        Damage("entry not an object", #"{"a": 3}"#, "checkpointEntryInvalid"),
        Damage("missing dtype", #"{"a": {"shape": [1], "data_offsets": [0, 4]}}"#, data: 4, "checkpointEntryInvalid"),
        Damage("missing shape", #"{"a": {"dtype": "F32", "data_offsets": [0, 4]}}"#, data: 4, "checkpointEntryInvalid"),
        Damage("missing offsets", #"{"a": {"dtype": "F32", "shape": [1]}}"#, data: 4, "checkpointEntryInvalid"),
        Damage("dtype not a string", entry(dtype: "7"), data: 4, "checkpointEntryInvalid"),
        Damage("negative extent", entry(shape: "[-1]"), data: 4, "checkpointEntryInvalid"),
        Damage("fractional extent", entry(shape: "[1.5]"), data: 4, "checkpointEntryInvalid"),
        Damage("boolean extent", entry(shape: "[true]"), data: 4, "checkpointEntryInvalid"),
        Damage("huge offset", entry(offsets: "[0, 1e30]"), data: 4, "checkpointEntryInvalid"),
        Damage("negative offset", entry(offsets: "[-4, 0]"), data: 4, "checkpointEntryInvalid"),
        Damage("three offsets", entry(offsets: "[0, 4, 8]"), data: 4, "checkpointEntryInvalid"),
        Damage("offsets backwards", entry(offsets: "[4, 0]"), data: 4, "checkpointOffsetsInvalid"),
        Damage("unknown dtype", entry(dtype: #""Q4""#), data: 4, "checkpointUnsupportedDType"),
        Damage("dtype we do not read", entry(dtype: #""F16""#, shape: "[2]"), data: 4,
               "checkpointUnsupportedDType", referenceRejects: false),
        Damage("shape disagrees with span", entry(shape: "[2]"), data: 4, "checkpointSizeMismatch"),
        Damage("shape overflows", entry(shape: "[4611686018427387904, 4]"), data: 4, "checkpointSizeMismatch"),
        Damage("offsets past the data", entry(shape: "[2]", offsets: "[0, 8]"), data: 4, "checkpointOffsetsInvalid"),
        Damage("overlapping tensors", entries(entry(shape: "[2]", offsets: "[0, 8]"), entry("b", offsets: "[4, 8]")),
               data: 8, "checkpointOffsetsInvalid"),
        Damage("gap between tensors", entries(entry(), entry("b", offsets: "[8, 12]")),
               data: 12, "checkpointOffsetsInvalid"),
        Damage("trailing bytes", entry(), data: 8, "checkpointTrailingBytes"),
        Damage("metadata not an object", #"{"__metadata__": [1]}"#, "checkpointMetadataInvalid"),
        Damage("metadata value not a string", #"{"__metadata__": {"epoch": 3}}"#, "checkpointMetadataInvalid"),
    ]

    @Test("damaged headers are named errors", arguments: damages)
    func damagedHeader(damage: Damage) throws {
        let error = #expect(throws: EngineError.self) {
            try SafeTensors.decode(damage.file, path: "damaged.safetensors")
        }
        let caseName = error.flatMap { Mirror(reflecting: $0).children.first?.label }
        #expect(caseName == damage.expected, "\(String(describing: error))")
        #expect(error?.description.contains("damaged.safetensors") == true)
    }

    @Test("Python's safetensors rejects the same damaged files")
    func referenceRejectsDamage() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var paths: [String] = []
        for (index, damage) in Self.damages.enumerated() where damage.referenceRejects {
            paths.append(try directory.write(damage.file, to: "\(index).safetensors").path)
        }
        let pathList = paths.map { PTBReference.literal($0) }.joined(separator: ", ")
        let output = try Python.run("""
            from safetensors.numpy import load_file
            for path in [\(pathList)]:
                try:
                    load_file(path)
                    print("accepted", path)
                except Exception:
                    pass
            """)
        #expect(output == "")
    }

    /// Issue 12: `load(model, from: "/etc/shadow")` printed the file's first 8 bytes (as a
    /// header length) and its size. Reading is now confined, but a file that is not a
    /// checkpoint (a lesson's own Markdown, say) must still give none of its bytes away.
    @Test("reading a file that is not a checkpoint shows none of its bytes")
    func notACheckpointLeaksNothing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let secret = "root:$6$saltsalt$hashhashhashhash:19000:0:99999:7:::\n"
        let file = try directory.write(Data(secret.utf8), to: "shadow")
        let error = #expect(throws: EngineError.self) { try SafeTensors.read(from: file) }
        // The path (a random folder name, which may hold any digits) is not the file's bytes.
        let message = (error?.description ?? "").replacingOccurrences(of: file.path, with: "FILE")
        let firstEight = secret.utf8.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect(!message.contains(String(firstEight)), "\(message)")
        #expect(!message.contains(String(secret.utf8.count)), "\(message)")
        #expect(message.contains("is not a safetensors checkpoint"), "\(message)")
    }

    @Test("a missing or unwritable checkpoint is an error naming the path")
    func fileErrors() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let missing = directory.url.appendingPathComponent("nope.safetensors")
        #expect(throws: EngineError.fileMissing(path: missing.path)) { try SafeTensors.read(from: missing) }
        let nowhere = directory.url.appendingPathComponent("no/such/dir/model.safetensors")
        let error = #expect(throws: EngineError.self) { try SafeTensors.write(Self.sample, to: nowhere) }
        #expect(error.map { Mirror(reflecting: $0).children.first?.label } == "fileUnwritable")
        #expect(error?.description.contains(nowhere.path) == true)
    }

    @Test("names must be unique, non-empty and not __metadata__", arguments: [
        ["a", "a"], ["__metadata__"], [""],
    ])
    func invalidNames(names: [String]) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.url.appendingPathComponent("model.safetensors")
        try SafeTensors.write(Self.sample, to: url)
        let error = #expect(throws: EngineError.self) {
            try SafeTensors.write(names.map { ($0, Tensor([1])) }, to: url)
        }
        #expect(error.map { Mirror(reflecting: $0).children.first?.label } == "checkpointNameInvalid")
        // The failed write left the previous checkpoint untouched.
        #expect(try SafeTensors.read(from: url).order == Self.sample.map(\.name))
    }
}
