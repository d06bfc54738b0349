import ArgumentParser
import Engine
import Foundation

/// Where the Penn Treebank files are.
struct DataOptions: ParsableArguments {
    @Option(name: .customLong("data"), help: ArgumentHelp(
        "Directory holding ptb.train.txt, ptb.valid.txt and ptb.test.txt.",
        discussion: "Without it: $LESSON_DATA_DIR, then ./data/ptb, then ../shared/data/ptb.",
        valueName: "dir"))
    var directory: String?

    /// Finds and reads the corpus (commands print where it came from).
    func load() throws -> PTBData {
        try PTBData.load(explicit: directory)
    }
}
