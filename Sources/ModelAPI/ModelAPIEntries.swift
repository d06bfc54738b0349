import CellScript
import Tensor

/// How the model API's engine values sit in a saved session: tensors as a shape then raw
/// scalars, the generator as its four state words, and autodiff variables as shared entries
/// of the object table (tag `variableTag`), so a variable held by a model and by a cell's
/// global comes back as one variable.
enum ModelAPIEntries {
    /// The object-table tag of a variable entry (name, whether it was computed, then value; the autodiff history itself is not kept).
    static let variableTag: UInt8 = 1

    /// Registers how variable entries are read back.
    static func register(into registry: inout BuiltinRegistry) {
        registry.archiveEntries(tag: variableTag) { (reader: inout StateReader, _: StateDecoder, what: String) throws(SessionStateError) in
            let name = try reader.optionalString("the name of \(what)")
            let hadHistory = try reader.bool("whether \(what) was computed")
            return Variable(restored: try reader.tensor("the value of \(what)"), name: name, hadHistory: hadHistory)
        }
    }
}

extension StateEncoder {
    /// The table index of `variable`, adding it on first sight.
    func reference(_ variable: Variable) throws(SessionStateError) -> UInt32 {
        try reference(variable, tag: ModelAPIEntries.variableTag) { (entry: inout StateWriter) throws(SessionStateError) in
            try entry.optionalString(variable.name)
            entry.bool(variable.hasHistory)
            try entry.tensor(variable.value)
        }
    }
}

extension StateDecoder {
    /// A reference to a variable entry.
    func variable(_ reader: inout StateReader, _ what: String) throws(SessionStateError) -> Variable {
        try object(&reader, as: Variable.self, what, description: "a variable")
    }
}

extension StateWriter {
    /// Shape, then the scalars as raw little-endian Float32.
    mutating func tensor(_ tensor: Tensor) throws(SessionStateError) {
        try shape(tensor.shape)
        float32s(tensor.scalars)
    }

    /// Shape, then the scalars as raw little-endian Int32.
    mutating func intTensor(_ tensor: IntTensor) throws(SessionStateError) {
        try shape(tensor.shape)
        int32s(tensor.scalars)
    }

    mutating func generator(_ generator: RandomGenerator) {
        let state = generator.state
        for word in [state.0, state.1, state.2, state.3] { u64(word) }
    }
}

extension StateReader {
    mutating func tensor(_ what: String) throws(SessionStateError) -> Tensor {
        let (shape, count) = try shape(what, scalarSize: 4)
        return Tensor(uncheckedShape: shape, scalars: try float32s(count, what))
    }

    mutating func intTensor(_ what: String) throws(SessionStateError) -> IntTensor {
        let (shape, count) = try shape(what, scalarSize: 4)
        return IntTensor(uncheckedShape: shape, scalars: try int32s(count, what))
    }

    mutating func generator(_ what: String) throws(SessionStateError) -> RandomGenerator {
        RandomGenerator(state: (try u64(what), try u64(what), try u64(what), try u64(what)))
    }
}
