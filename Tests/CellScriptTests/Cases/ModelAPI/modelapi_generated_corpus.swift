// The generated toy corpus: its vocabulary, its determinism, its 80/10/10 split and its argument errors.
let (train, valid, test, vocabulary, wordToId) = generatedCorpus()
vocabulary.count // expect: 50
// cell
// Most frequent first, as the PTB reader orders its vocabulary.
wordToId["the"] // expect: Optional(0)
// cell
vocabulary.contains("<eos>") && vocabulary.contains("robot") && vocabulary.contains("under") // expect: true
// cell
// 2000 sentences, each ending in <eos>: 1600 for training, 200 each for validation and test.
let eos = wordToId["<eos>"] ?? -1
[train, valid, test].map { split in split.scalars.filter { $0 == eos }.count } // expect: [1600, 200, 200]
// cell
[train.count, valid.count, test.count] // expect: [11432, 1472, 1479]
// cell
idToWord(train[0..<8]) // expect: ["the", "king", "waits", "<eos>", "the", "bird", "watches", "a"]
// cell
// The same seed gives the same corpus; another seed another corpus with the same words.
generatedCorpus(seed: 1).train.scalars == train.scalars // expect: true
// cell
generatedCorpus(seed: 2).train.scalars == train.scalars // expect: false
// cell
generatedCorpus(seed: 2).vocabulary.count // expect: 50
// cell
let small = generatedCorpus(sentences: 10)
let smallEos = small.wordToId["<eos>"] ?? -1
[small.train, small.valid, small.test].map { split in split.scalars.filter { $0 == smallEos }.count } // expect: [8, 1, 1]
// cell
// The corpus read last gives idToWord its default vocabulary.
idToWord(small.train[0..<6]) == idToWord(small.train[0..<6], vocabulary: small.vocabulary) // expect: true
// cell
generatedCorpus(sentences: 9) // expect error: generatedCorpus(sentences:seed:): sentences: expected 10...1000000, got 9
// cell
generatedCorpus(sentences: 2_000_000) // expect error: generatedCorpus(sentences:seed:): sentences: expected 10...1000000, got 2000000
// cell
generatedCorpus(sentences: "many") // expect error: generatedCorpus(sentences:seed:): sentences: expected Int, got String
// cell
generatedCorpus(seed: -1) // expect error: generatedCorpus(sentences:seed:): seed: expected at least 0, got -1
// cell
generatedCorpus(100) // expect error: extra argument in call to generatedCorpus(sentences:seed:)
