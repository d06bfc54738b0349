/// Calls to the model API with sizes and paths on the edge: tensors of impossible shapes, tiny
/// models, corpora, checkpoints saved and loaded through hostile paths, figures with markup in
/// their titles. Names made here join the scope so later statements use them.
enum ModelAPICode {
    static func statement(_ g: inout Generation, code: inout CellCodeGenerator) -> String {
        switch g.random.weighted([6, 5, 3, 3, 3, 2, 2, 2, 2, 2]) {
        case 0: return tensor(&g, code: &code)
        case 1: return tensorOperation(&g, code: &code)
        case 2: return corpus(&g, code: &code)
        case 3: return model(&g, code: &code)
        case 4: return checkpoint(&g, code: &code)
        case 5: return "let \(g.fresh("d")) = ptbRawData(dataDir: \(g.random.pick(HostileValues.paths)))"
        case 6: return figure(&g, code: &code)
        case 7: return training(&g, code: &code)
        case 8: return recurrent(&g)
        default: return g.random.pick(["ptbRawData()", "trainableVariables().count", "setRandomSeed(\(g.random.pick(HostileValues.integers)))",
                                       "Tensor(\(g.random.pick(["[[1.0, 2.0], [3.0]]", "[]", "[[[]]]", "1", "\"x\"", "[1e309]"])))",
                                       "IntTensor([1, \(g.random.pick(HostileValues.integers))])", "constant(1.5, shape: \(g.random.pick(HostileValues.shapes)))"])
        }
    }

    private static func tensor(_ g: inout Generation, code: inout CellCodeGenerator) -> String {
        let name = g.fresh("t")
        let shape = g.random.chance(0.6) ? g.random.pick(["[2, 3]", "[3, 3]", "[4]", "[2, 2]", "[1, 5]"]) : g.random.pick(HostileValues.shapes)
        let call = g.random.pick(["zeros(shape: \(shape))", "ones(shape: \(shape))",
                                  "randomUniform(shape: \(shape), minval: \(g.random.pick(HostileValues.doubles)), maxval: 1, seed: \(g.random.int(0...9)))",
                                  "randomUniform(shape: \(shape))", "Variable(ones(shape: \(shape)), name: \(g.random.pick(HostileValues.strings)))",
                                  "getVariable(\(g.random.pick(HostileValues.strings)), shape: \(shape))"])
        code.bind(name, .tensor)
        return "let \(name) = \(call)"
    }

    private static func tensorOperation(_ g: inout Generation, code: inout CellCodeGenerator) -> String {
        let a = code.name(of: .tensor, &g) ?? "ones(shape: [2, 2])"
        let b = code.name(of: .tensor, &g) ?? "zeros(shape: [2, 3])"
        let shape = g.random.pick(HostileValues.shapes)
        let axis = g.random.pick(["0", "1", "-1", "2", "Int.max", "nil"])
        return g.random.pick([
            "matmul(\(a), \(b))", "reduceSum(\(a))", "reduceSum(\(a), axis: \(axis))", "reduceMean(\(a), axis: \(axis))",
            "softmax(\(a))", "\(a).reshape(\(shape))", "argmax(\(a), axis: \(axis))", "\(a).shape", "\(a) + \(b)",
            "\(a) * 2.0", "\(a)[0..<\(g.random.int(0...5))]", "\(a)[\(g.random.pick(HostileValues.integers))]",
            "print(\(a))", "gradients(of: reduceSum(\(a)), wrt: [\(a)])", "clipByGlobalNorm([\(a)], clipNorm: \(g.random.pick(HostileValues.doubles)))",
            "\(a).scalars.count", "matmul(\(a), \(a).transposed())", "embeddingLookup(\(a), IntTensor([0, 1]))",
        ])
    }

    private static func corpus(_ g: inout Generation, code: inout CellCodeGenerator) -> String {
        let name = g.fresh("corpus")
        let sentences = g.random.chance(0.8) ? String(g.random.int(10...60)) : g.random.pick(HostileValues.integers)
        code.bind(name, .corpus)
        let use = g.random.pick(["print(idToWord(\(name).train[0..<\(g.random.int(0...12))]).joined(separator: \" \"))",
                                 "print(\(name).vocabulary.count)", "var it = ptbIterator(\(name).train, batchSize: \(g.random.pick(["2", "0", "-1", "100000"])), numSteps: 3)\nprint(it.next()?.0.shape ?? [])",
                                 "idToWord([\(g.random.pick(HostileValues.integers))], vocabulary: \(name).vocabulary)", "\(name).wordToId[\"the\"] ?? -1"])
        return "let \(name) = generatedCorpus(sentences: \(sentences), seed: \(g.random.int(0...3)))\n\(use)"
    }

    private static func model(_ g: inout Generation, code: inout CellCodeGenerator) -> String {
        let name = g.fresh("model")
        code.bind(name, .model)
        let hidden = g.random.chance(0.85) ? "[\(g.random.int(1...6))]" : g.random.pick(["[]", "[0]", "[-1]", "[100000]", "[4, 4, 4]", "[Int.max]"])
        let vocab = g.random.chance(0.85) ? "50" : g.random.pick(HostileValues.integers)
        let batch = g.random.chance(0.9) ? String(g.random.int(1...3)) : g.random.pick(HostileValues.integers)
        return "let \(name) = PTBModel(ModelConfig(numSteps: \(g.random.int(1...4)), hiddenSizes: \(hidden), "
            + "embeddingSize: \(g.random.int(1...4)), batchSize: \(batch), vocabularySize: \(vocab)))"
    }

    private static func checkpoint(_ g: inout Generation, code: inout CellCodeGenerator) -> String {
        let model = code.name(of: .model, &g) ?? "PTBModel(ModelConfig(numSteps: 2, hiddenSizes: [2], embeddingSize: 2, batchSize: 1, vocabularySize: 5))"
        let path = g.random.pick(HostileValues.paths)
        return g.random.pick(["save(\(model), to: \(path))", "load(\(model), from: \(path))",
                              "save(\(model), to: \(path))\nload(\(model), from: \(path))"])
    }

    private static func figure(_ g: inout Generation, code: inout CellCodeGenerator) -> String {
        let title = g.random.chance(0.5) ? g.markerExpression() : g.random.pick(HostileValues.strings)
        let tensor = code.name(of: .tensor, &g) ?? "randomUniform(shape: [3, 4])"
        let series = g.random.pick(["[1.0, 2.0, 0.5]", "[]", "[Double.nan, 1]", "[1e309, -1e309]", "[\"a\": [1.0, 2.0], \(title): [3.0]]",
                                    "(0..<5000).map { Double($0) }", "[0.0]"])
        return g.random.pick(["plot(\(series), title: \(title), xLabel: \(title), yLabel: \"y\", logScale: \(g.random.pick(["true", "false"])))",
                              "heatmap(\(tensor), title: \(title), rowLabel: \(title), columnLabel: \"c\")"])
    }

    private static func training(_ g: inout Generation, code: inout CellCodeGenerator) -> String {
        guard let model = code.name(of: .model, &g), let corpus = code.name(of: .corpus, &g) else {
            return "let \(g.fresh("x")) = predictNext(3, context: \"the\")"
        }
        return g.random.pick(["let \(g.fresh("history")) = train(\(model), data: \(corpus), epochs: \(g.random.pick(["1", "0", "-1", "2"])), verbose: \(g.random.pick(["true", "false"])))",
                              "predictNext(\(model), context: \(g.random.pick(HostileValues.strings)), count: \(g.random.pick(["3", "0", "-1", "1000000"])))",
                              "perplexity(\(model), \(corpus).valid)", "runEpoch(\(model), \(corpus).train, learningRate: 1.0)"])
    }

    private static func recurrent(_ g: inout Generation) -> String {
        let units = g.random.chance(0.85) ? String(g.random.int(1...4)) : g.random.pick(HostileValues.integers)
        let cell = g.fresh("cell")
        return """
            let \(cell) = MultiRNNCell([BasicLSTMCell(units: \(units), forgetBias: 0.0), BasicLSTMCell(units: 2)])
            let \(g.fresh("s")) = \(cell).zeroState(batchSize: \(g.random.pick(["1", "2", "0", "-3"])))
            """
    }
}
