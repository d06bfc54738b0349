/// Everything the engine can reject: missing or malformed data, bad
/// configurations, diverging training, unreadable checkpoints. Each case carries
/// what its message needs; `description` reads as a sentence for a student.
public enum EngineError: Error, Equatable, CustomStringConvertible, Sendable {
    // Files
    case fileMissing(path: String)
    case fileUnreadable(path: String, reason: String)
    case fileUnwritable(path: String, reason: String)
    case notUTF8(path: String, byteOffset: Int)
    // The Penn Treebank
    case dataDirectoryMissing(directory: String, origin: String)
    case dataDirectoryIncomplete(directory: String, origin: String, missing: [String])
    case dataNotFound(searched: [String])
    case emptyTrainingFile(path: String)
    case wordIdOutOfRange(id: Int, vocabularySize: Int)
    case unknownWord(String)
    // Batching
    case invalidBatchShape(batchSize: Int, numSteps: Int)
    case emptyEpoch(idCount: Int, batchSize: Int, numSteps: Int)
    case windowOutOfRange(index: Int, epochSize: Int)
    // The model and training
    case invalidConfig([String])
    case vocabularyTooSmall(modelSize: Int, dataSize: Int)
    case diverged(epoch: Int, iteration: Int, cost: Float)
    case cancelled
    /// An argument outside what the operation accepts (a count, a temperature), said in words.
    case invalidArgument(String)

    // Checkpoints (safetensors)
    case checkpointTooShort(path: String, byteCount: Int)
    case checkpointHeaderTooLarge(path: String, headerLength: UInt64, fileSize: Int)
    case checkpointHeaderInvalid(path: String, detail: String)
    case checkpointEntryInvalid(path: String, tensor: String, detail: String)
    case checkpointUnsupportedDType(path: String, tensor: String, dtype: String)
    case checkpointSizeMismatch(path: String, tensor: String, shape: [Int], byteCount: Int)
    case checkpointOffsetsInvalid(path: String, tensor: String, begin: Int, end: Int, detail: String)
    case checkpointTrailingBytes(path: String, expected: Int, actual: Int)
    case checkpointMetadataInvalid(path: String, detail: String)
    case checkpointNameInvalid(name: String, detail: String)

    public var description: String {
        switch self {
        case .fileMissing(let path):
            return "no file at \(path)"
        case .fileUnreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .fileUnwritable(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .notUTF8(let path, let byteOffset):
            return "\(path) is not UTF-8 text (invalid byte at offset \(byteOffset))"
        case .dataDirectoryMissing(let directory, let origin):
            return "the data directory \(directory) (from \(origin)) does not exist"
        case .dataDirectoryIncomplete(let directory, let origin, let missing):
            return "the data directory \(directory) (from \(origin)) lacks \(missing.joined(separator: ", "))"
        case .dataNotFound(let searched):
            return DataDirectory.notFoundMessage(searched: searched)
        case .emptyTrainingFile(let path):
            return "the training file \(path) holds no words, so there is no vocabulary"
        case .wordIdOutOfRange(let id, let vocabularySize):
            return "word id \(id) is outside the vocabulary (ids run from 0 to \(vocabularySize - 1))"
        case .unknownWord(let word):
            return "\"\(word)\" is not in the vocabulary"
        case .invalidBatchShape(let batchSize, let numSteps):
            return "batch size and number of steps must be at least 1 (got batch size \(batchSize), \(numSteps) steps)"
        case .emptyEpoch(let idCount, let batchSize, let numSteps):
            return "\(idCount) ids cut into \(batchSize) rows give no window of \(numSteps) steps: use a smaller batch size or fewer steps"
        case .windowOutOfRange(let index, let epochSize):
            return "window \(index) is out of range: an epoch has \(epochSize) windows"
        case .invalidConfig(let problems):
            return "invalid configuration: " + problems.joined(separator: "; ")
        case .vocabularyTooSmall(let modelSize, let dataSize):
            return "the model's vocabulary has \(modelSize) words but the data has \(dataSize)"
        case .diverged(let epoch, let iteration, let cost):
            return "training diverged at epoch \(epoch + 1), iteration \(iteration): the cost became \(cost). Try a smaller learning rate or max grad norm."
        case .cancelled:
            return "cancelled"
        case .invalidArgument(let detail):
            return detail
        case .checkpointTooShort(let path, let byteCount):
            return "\(path) is not a safetensors checkpoint: it has \(byteCount) bytes, fewer than the 8 that give the header length"
        // Neither the length read from the file nor the file's size is shown: the first 8
        // bytes of a file that is not a checkpoint are its content, not a length.
        case .checkpointHeaderTooLarge(let path, let headerLength, let fileSize):
            return headerLength > UInt64(max(fileSize - 8, 0))
                ? "\(path) is not a safetensors checkpoint: the header length its first 8 bytes give runs past the end of the file"
                : "\(path) is not a safetensors checkpoint: the header length its first 8 bytes give is over the 100 MB a header may have"
        case .checkpointHeaderInvalid(let path, let detail):
            return "\(path) has a damaged header: \(detail)"
        case .checkpointEntryInvalid(let path, let tensor, let detail):
            return "\(path): the entry for tensor '\(tensor)' is damaged: \(detail)"
        case .checkpointUnsupportedDType(let path, let tensor, let dtype):
            return "\(path): tensor '\(tensor)' is stored as \(dtype), but this engine reads only F32"
        case .checkpointSizeMismatch(let path, let tensor, let shape, let byteCount):
            return "\(path): tensor '\(tensor)' has shape \(shape) but its data_offsets span \(byteCount) bytes "
                + "(F32 needs 4 bytes per value)"
        case .checkpointOffsetsInvalid(let path, let tensor, let begin, let end, let detail):
            return "\(path): tensor '\(tensor)' has data_offsets [\(begin), \(end)], which \(detail)"
        case .checkpointTrailingBytes(let path, let expected, let actual):
            return "\(path) is damaged: its tensors cover \(expected) bytes of data but the file holds \(actual)"
        case .checkpointMetadataInvalid(let path, let detail):
            return "\(path): __metadata__ must map names to strings, but \(detail)"
        case .checkpointNameInvalid(let name, let detail):
            return "cannot save a tensor named '\(name)': \(detail)"
        }
    }
}
