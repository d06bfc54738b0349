import Foundation
import TestSupport
import Testing

/// `lesson train` and a cell's `train(...)` share one training loop (the engine's `Trainer`),
/// so the same run logs the same lines, to the last digit, whichever way it is started.
@Suite("one training loop")
struct TrainingLogTests {
    /// A few thousand words of a small grammar, split three ways, in `data/`.
    static func corpus(in directory: TemporaryDirectory) throws {
        let subjects = ["the cat", "a dog", "the robot", "my friend"]
        let verbs = ["sees", "likes", "finds", "holds"]
        let objects = ["the ball", "a tree", "the moon", "some bread"]
        var sentences: [String] = []
        for index in 0..<600 {
            // Deterministic: every combination in a fixed order.
            sentences.append("\(subjects[index % 4]) \(verbs[(index / 4) % 4]) \(objects[(index / 16) % 4])")
        }
        let train = sentences.joined(separator: "\n") + "\n"
        let held = sentences.prefix(120).reversed().joined(separator: "\n") + "\n"
        _ = try directory.writeCorpus(train: train, valid: held, test: held, in: "data")
    }

    /// The log's lines, with the words-per-second figure (the one thing that differs between
    /// two runs of the same training) left out.
    static func log(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init)
            .filter { $0.hasPrefix("Epoch ") || $0.hasPrefix("Itr ") || $0.hasPrefix("Test Perplexity") }
            .map { $0.replacingOccurrences(of: #" speed: \d+ wps"#, with: " speed: N wps", options: .regularExpression) }
    }

    @Test("the CLI's log and the cell's log of the same run are the same lines")
    func sameLog() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Self.corpus(in: directory)
        let cli = try LessonCommand.run([
            "train", "--data", "data", "--hidden-sizes", "8", "--embedding-size", "8", "--batch-size", "4",
            "--num-steps", "5", "--epochs", "2", "--keep-prob", "1", "--max-epoch-decay-lr", "1",
        ], in: directory.url)
        #expect(cli.exited && cli.status == 0, "\(cli)")
        let lesson = """
            ```swift
            let corpus = ptbRawData(dataDir: "data")
            let config = ModelConfig(numSteps: 5, hiddenSizes: [8], embeddingSize: 8, batchSize: 4,
                                     vocabularySize: corpus.vocabulary.count, keepProb: 1, maxEpochDecayLR: 1)
            let model = PTBModel(config)
            let history = train(model, data: corpus, epochs: 2, verbose: true)
            ```
            """
        _ = try directory.write(Data(lesson.utf8), to: "lesson.md")
        let cell = try LessonCommand.run(["run", "lesson.md", "--no-cache", "--transcript"], in: directory.url)
        #expect(cell.exited && cell.status == 0, "\(cell)")
        let fromCLI = Self.log(cli.stdout)
        #expect(fromCLI.count == 2 * 3 + 1 + fromCLI.filter { $0.hasPrefix("Itr ") }.count, "\(fromCLI)")
        #expect(fromCLI.contains { $0.hasPrefix("Itr ") }, "epochs long enough for the tutorial's Itr lines")
        #expect(fromCLI.first == "Epoch 1: Learning rate: 1.000")
        #expect(Self.log(cell.stdout) == fromCLI)
    }
}
