import CellScript
import Engine
import Tensor

/// `generatedCorpus(sentences:seed:)`: a toy corpus made on the spot, so a lesson can
/// train a language model in seconds without the Penn Treebank.
///
/// The sentences come from a small fixed grammar (two determiners, 20 nouns, 15 verbs,
/// 8 adjectives, 3 prepositions and `and`), one per line, so the corpus has the PTB's
/// layout: words separated by spaces, `<eos>` at each sentence end. The vocabulary is
/// built by the engine as for the PTB (most frequent first, ties in byte order), and the
/// sentences are split 80/10/10 into train, valid and test. The same seed always gives
/// the same corpus.
enum GeneratedCorpus {
    static let name = "generatedCorpus(sentences:seed:)"
    /// The fewest and most sentences a corpus may have.
    static let sentenceRange = 10...1_000_000
    /// `generatedCorpus(sentences:seed:)` -> `(train:, valid:, test:, vocabulary:, wordToId:)`,
    /// the tuple `ptbRawData()` returns. Also makes its vocabulary the one `idToWord` and
    /// `predictNext` use by default.
    /// - Throws: a `ScriptError` naming the argument when `sentences` is outside
    ///   `10...1_000_000` or `seed` is negative.
    static func make(_ values: [Value], state: ModelAPIState) throws -> Value {
        let count = try values[0].asInt("\(name): sentences")
        guard sentenceRange.contains(count) else {
            throw ScriptError("\(name): sentences: expected \(sentenceRange.lowerBound)...\(sentenceRange.upperBound), "
                              + "got \(count)")
        }
        let seedNumber = try ModelArguments.int(values[1], "\(name): seed", atLeast: 0)
        var generator = RandomGenerator(seed: UInt64(seedNumber))
        let lines = (0..<count).map { _ in line(generator: &generator) }

        let trainCount = count * 8 / 10
        let validCount = count / 10
        let train = lines[..<trainCount].joined()
        let valid = lines[trainCount..<(trainCount + validCount)].joined()
        let test = lines[(trainCount + validCount)...].joined()

        let vocabulary = Vocabulary(text: train)
        state.vocabulary = vocabulary
        return DataFunctions.rawData(train: vocabulary.ids(forText: train), valid: vocabulary.ids(forText: valid),
                                     test: vocabulary.ids(forText: test), vocabulary: vocabulary)
    }

    // The grammar. Agents do things; things are done to.
    static let determiners = ["the", "a"]
    static let agents = ["cat", "dog", "bird", "child", "teacher", "student", "farmer", "doctor",
                         "king", "queen", "fox", "robot"]
    static let things = ["ball", "book", "apple", "house", "river", "garden", "letter", "song"]
    static let transitiveVerbs = ["sees", "likes", "finds", "chases", "eats", "reads", "builds",
                                  "carries", "follows", "watches", "wants"]
    static let intransitiveVerbs = ["sleeps", "runs", "sings", "waits"]
    static let adjectives = ["small", "big", "red", "old", "young", "happy", "quiet", "green"]
    static let prepositions = ["near", "in", "under"]

    /// One sentence as a PTB-style line: `" w1 w2 ... wn \n"`.
    static func line(generator: inout RandomGenerator) -> String {
        " " + sentence(generator: &generator).joined(separator: " ") + " \n"
    }

    /// The words of one sentence, from one of five templates.
    static func sentence(generator: inout RandomGenerator) -> [String] {
        func pick(_ words: [String]) -> String {
            words[Int(generator.next() % UInt64(words.count))]
        }
        let nouns = agents + things
        switch generator.next() % 5 {
        case 0:  // the <adj> <agent> <verb> the <noun>
            return ["the", pick(adjectives), pick(agents), pick(transitiveVerbs), "the", pick(nouns)]
        case 1:  // <det> <agent> <verb> <det> <adj> <noun>
            return [pick(determiners), pick(agents), pick(transitiveVerbs), pick(determiners), pick(adjectives), pick(nouns)]
        case 2:  // <det> <agent> <intransitive verb>
            return [pick(determiners), pick(agents), pick(intransitiveVerbs)]
        case 3:  // <det> <adj> <agent> <intransitive verb> <prep> the <thing>
            return [pick(determiners), pick(adjectives), pick(agents), pick(intransitiveVerbs), pick(prepositions),
                    "the", pick(things)]
        default:  // the <agent> <verb> the <thing> and the <agent> <intransitive verb>
            return ["the", pick(agents), pick(transitiveVerbs), "the", pick(things), "and", "the", pick(agents),
                    pick(intransitiveVerbs)]
        }
    }
}
