import ArgumentParser
import Engine
import Limits
import Tensor

/// The `lesson` command line: a notebook runner for teaching deep learning, with
/// its own LSTM engine.
@main
struct Lesson: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson",
        abstract: "Run deep-learning lessons on a built-in LSTM engine.",
        discussion: """
            A lesson is a Markdown notebook whose ```swift cells run in order in one session \
            against the engine; `lesson run Notebooks/ptb-lstm.md` writes its HTML report to \
            Output/. The engine reproduces the TensorFlow PTB tutorial (a 2-layer LSTM language \
            model on the Penn Treebank). Data is looked up in --data, then $LESSON_DATA_DIR, then \
            ./data/ptb, then ../shared/data/ptb.
            """,
        version: EngineVersion.string,
        subcommands: [Run.self, Step.self, Serve.self, Check.self, Grade.self, Cache.self, Train.self, Bench.self, Builtins.self, Export.self, Import.self, Worker.self])

    static func main() {
        // OpenBLAS picks its kernels when it loads, so a better choice needs a fresh start.
        KernelSelectionAtLaunch.restartWithFastKernelIfNeeded()
        AllocatorPolicy.apply()
        main(nil)
    }
}
