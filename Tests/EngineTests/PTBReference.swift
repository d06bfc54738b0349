import Foundation
import TestSupport

/// The tutorial's reader.py rewritten in plain Python + numpy, as an independent
/// reference for the Swift reader. It reads raw bytes and decodes them, as
/// TensorFlow's `GFile` does (no newline translation).
enum PTBReference {
    static let readerScript = """
        import collections, json
        import numpy as np

        def read_words(path):
            with open(path, "rb") as f:
                return f.read().decode("utf-8").replace("\\n", "<eos>").split()

        def build_vocab(path):
            counter = collections.Counter(read_words(path))
            pairs = sorted(counter.items(), key=lambda x: (-x[1], x[0]))
            words = [word for word, _ in pairs]
            return words, dict(zip(words, range(len(words))))

        def file_to_word_ids(path, word_to_id):
            return [word_to_id[word] for word in read_words(path) if word in word_to_id]

        def ptb_iterator(raw_data, batch_size, num_steps):
            raw_data = np.array(raw_data, dtype=np.int32)
            batch_len = len(raw_data) // batch_size
            data = np.zeros([batch_size, batch_len], dtype=np.int32)
            for i in range(batch_size):
                data[i] = raw_data[batch_len * i:batch_len * (i + 1)]
            epoch_size = (batch_len - 1) // num_steps
            for i in range(epoch_size):
                x = data[:, i * num_steps:(i + 1) * num_steps]
                y = data[:, i * num_steps + 1:(i + 1) * num_steps + 1]
                yield x, y

        def raw_data(directory):
            words, word_to_id = build_vocab(directory + "/ptb.train.txt")
            splits = [file_to_word_ids(directory + "/ptb." + name + ".txt", word_to_id)
                      for name in ("train", "valid", "test")]
            return words, splits

        """

    /// A Swift string as a Python string literal (JSON string syntax without `\/` is valid Python).
    static func literal(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        let data = (try? encoder.encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Runs `readerScript` followed by `body` and decodes the JSON it prints.
    static func run<Output: Decodable>(_ body: String, as type: Output.Type) throws -> Output {
        let output = try Python.run(readerScript + body)
        return try JSONDecoder().decode(Output.self, from: Data(output.utf8))
    }
}
